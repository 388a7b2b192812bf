import fc from 'fast-check';
import { MARKUP_AGENT_NAME, MARKUP_CODE_NAME, generateOrg } from '../src/generate.ts';
import type { Situation } from '../src/model.ts';
import { createRng } from '../src/prng.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAY = 86_400_000;

describe('prng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    expect(createRng(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('generateOrg', () => {
  it('is deterministic from the seed', () => {
    const a = generateOrg({ seed: 3, conversations: 50, days: 7, agents: 10, now: NOW });
    const b = generateOrg({ seed: 3, conversations: 50, days: 7, agents: 10, now: NOW });
    const c = generateOrg({ seed: 4, conversations: 50, days: 7, agents: 10, now: NOW });
    expect(b.conversations.map((x) => x.id)).toEqual(a.conversations.map((x) => x.id));
    expect(JSON.stringify(b.conversations)).toEqual(JSON.stringify(a.conversations));
    expect(c.conversations.map((x) => x.id)).not.toEqual(a.conversations.map((x) => x.id));
  });

  it('covers every wrap-up situation, media, direction, transfer and the users the app needs even in a tiny org', () => {
    const org = generateOrg({ seed: 1, conversations: 11, days: 7, agents: 4, now: NOW });
    const situations = new Set<Situation>();
    for (const c of org.conversations) for (const p of c.participants) if (p.situation) situations.add(p.situation);
    expect([...situations].sort()).toEqual(
      ['active', 'acw-running', 'coded', 'missing-not-applicable', 'missing-pending', 'missing-skipped', 'system-outbound', 'system-timeout'].sort(),
    );
    expect(new Set(org.conversations.map((c) => c.media))).toEqual(new Set(['voice', 'callback', 'email', 'message', 'chat']));
    expect(new Set(org.conversations.map((c) => c.direction))).toEqual(new Set(['inbound', 'outbound']));
    expect(org.conversations.some((c) => c.participants.filter((p) => p.purpose === 'agent').length === 2)).toBe(true);
    expect(org.usersByEmail.get('supervisor@demo.example')?.permissions).toContain('conversation:participant:wrapup');
    expect(org.usersByEmail.get('viewer@demo.example')?.permissions).not.toContain('conversation:participant:wrapup');
    expect(org.usersByEmail.get('agent04@demo.example')).toBeDefined();
  });

  it('has deleted codes still referenced by old conversations, and markup in platform text', () => {
    const org = generateOrg({ seed: 1, conversations: 3000, days: 7, agents: 20, now: NOW });
    const deleted = new Set(org.codes.filter((c) => c.deleted).map((c) => c.id));
    expect(deleted.size).toBeGreaterThan(0);
    const referenced = org.conversations.some((c) => c.participants.some((p) => p.comms.some((m) => m.wrapup && deleted.has(m.wrapup.code))));
    expect(referenced).toBe(true);
    for (const q of org.queues) for (const id of q.codeIds) expect(deleted.has(id)).toBe(false);
    expect(org.codes.some((c) => c.name === MARKUP_CODE_NAME)).toBe(true);
    expect(org.users.some((u) => u.name === MARKUP_AGENT_NAME)).toBe(true);
    const codes = new Set(org.conversations.flatMap((c) => c.participants.flatMap((p) => p.comms.map((m) => m.wrapup?.code ?? ''))));
    expect(codes.has('ININ-WRAP-UP-TIMEOUT')).toBe(true);
    expect([...codes].some((c) => c.startsWith('ININ-OUTBOUND-'))).toBe(true);
  });

  it('builds 10,000 conversations', () => {
    const org = generateOrg({ seed: 9, conversations: 10_000, days: 30, agents: 50, now: NOW });
    expect(org.conversations).toHaveLength(10_000);
    expect(new Set(org.conversations.map((c) => c.id)).size).toBe(10_000);
  });

  it('keeps time and structure invariants for any seed and size (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 150 }), fc.integer({ min: 1, max: 30 }), (seed, n, days) => {
        const org = generateOrg({ seed, conversations: n, days, agents: 6, now: NOW });
        expect(org.conversations).toHaveLength(n);
        const ids = new Set<string>();
        let prev = -Infinity;
        for (const c of org.conversations) {
          expect(c.start).toBeGreaterThanOrEqual(prev);
          prev = c.start;
          expect(c.start).toBeGreaterThanOrEqual(NOW - days * DAY - 1);
          expect(c.start).toBeLessThan(NOW);
          if (c.end !== undefined) {
            expect(c.end).toBeGreaterThanOrEqual(c.start);
            expect(c.end).toBeLessThan(NOW);
          }
          if (c.media === 'chat') expect(c.start).toBeLessThanOrEqual(NOW - (days * DAY) / 2 + 1000);
          for (const p of c.participants) {
            expect(ids.has(p.id)).toBe(false);
            ids.add(p.id);
            for (const m of p.comms) {
              expect(ids.has(m.id)).toBe(false);
              ids.add(m.id);
              for (const s of m.segments) {
                expect(s.start).toBeGreaterThanOrEqual(c.start);
                if (s.end !== undefined) expect(s.end).toBeGreaterThanOrEqual(s.start);
              }
              if (p.purpose === 'agent') {
                expect(p.queueId).toBeDefined();
                expect(p.userId).toBeDefined();
                if (m.state !== 'disconnected') expect(c.end).toBeUndefined();
                if (m.acwState === 'complete') expect(m.wrapup).toBeDefined();
              }
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
