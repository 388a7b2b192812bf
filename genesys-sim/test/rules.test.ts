import { conversationMatches, findConversations, parseQuery } from '../src/analytics.ts';
import { generateOrg } from '../src/generate.ts';
import type { SimOrg, SimUser } from '../src/model.ts';
import { defaultOptions, mergeOptions, parseArgs, OptionsError } from '../src/options.ts';
import { renderAnalyticsConversation, visibleWrapup } from '../src/render.ts';
import { applyWrapup, checkWrite, expireAcw, findTimedAcw, resolveTarget, allowedCodeIds, type Target } from '../src/rules.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAY = 86_400_000;
const opts = { wrapupPolicy: 'permissive' as const, wrapupWindowDays: 7, notesMaxLength: 1000, rewrap: 'allow' as const };

let org: SimOrg;
let supervisor: SimUser;
let viewer: SimUser;
beforeEach(() => {
  org = generateOrg({ seed: 5, conversations: 400, days: 10, agents: 12, now: NOW });
  supervisor = org.usersByEmail.get('supervisor@demo.example')!;
  viewer = org.usersByEmail.get('viewer@demo.example')!;
});

function target(pred: (t: Target) => boolean): Target {
  for (const conversation of org.conversations)
    for (const participant of conversation.participants)
      for (const comm of participant.comms) {
        const t = { conversation, participant, comm };
        if (pred(t)) return t;
      }
  throw new Error('no target');
}
const missingRecent = (t: Target) =>
  t.participant.purpose === 'agent' &&
  t.comm.state === 'disconnected' &&
  !t.comm.wrapup &&
  (t.comm.disconnectedTime ?? 0) > NOW - 3 * DAY &&
  t.conversation.media !== 'chat';
const codeFor = (t: Target) => allowedCodeIds(org, t.participant)[0]!;

describe('write rules', () => {
  it('accepts a supervisor write of an allowed code on a disconnected agent communication (permissive)', () => {
    const t = target(missingRecent);
    const r = checkWrite(org, opts, { user: supervisor, target: t, body: { code: codeFor(t), notes: 'fixed' }, now: NOW });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.code).toBe(codeFor(t));
      expect(r.value.name).toBe(org.codesById.get(codeFor(t))!.name);
      expect(r.value.notes).toBe('fixed');
    }
  });

  it.each([
    ['missing permission', () => ({ user: viewer, body: { code: 'x' } }), 403, 'missing.permissions'],
    ['malformed body', () => ({ user: supervisor, body: 'nope' }), 400, 'bad.request'],
    ['missing code', () => ({ user: supervisor, body: { notes: 'n' } }), 400, 'bad.request'],
    ['code not allowed', () => ({ user: supervisor, body: { code: '00000000-0000-4000-8000-000000000000' } }), 400, 'bad.request'],
    ['notes too long', () => ({ user: supervisor, body: { code: 'c', notes: 'x'.repeat(1001) } }), 400, 'bad.request'],
  ])('refuses %s', (_name, make, status, code) => {
    const t = target(missingRecent);
    const { user, body } = make();
    const r = checkWrite(org, opts, { user, target: t, body, now: NOW });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.status).toBe(status);
      expect(r.error.code).toBe(code);
    }
  });

  it('refuses a deleted code even though analytics still shows it', () => {
    const deleted = org.codes.find((c) => c.deleted)!;
    const t = target(missingRecent);
    const r = checkWrite(org, opts, { user: supervisor, target: t, body: { code: deleted.id }, now: NOW });
    expect(r.ok ? 200 : r.error.status).toBe(400);
  });

  it('refuses non-agent participants and communications that are not disconnected', () => {
    const customer = target((t) => t.participant.purpose === 'customer' && t.comm.state === 'disconnected');
    const r1 = checkWrite(org, opts, { user: supervisor, target: customer, body: { code: 'x' }, now: NOW });
    expect(!r1.ok && r1.error.status).toBe(400);
    const active = target((t) => t.participant.purpose === 'agent' && t.comm.state !== 'disconnected');
    const r2 = checkWrite(org, opts, { user: supervisor, target: active, body: { code: codeFor(active) }, now: NOW });
    expect(!r2.ok && r2.error.message).toMatch(/not disconnected/);
  });

  it('strict policy: only the participant’s own user may write', () => {
    const t = target(missingRecent);
    const strict = { ...opts, wrapupPolicy: 'strict' as const };
    const r = checkWrite(org, strict, { user: supervisor, target: t, body: { code: codeFor(t) }, now: NOW });
    expect(!r.ok && [r.error.status, r.error.code]).toEqual([403, 'not.authorized']);
    const own = org.usersById.get(t.participant.userId!)!;
    expect(checkWrite(org, strict, { user: own, target: t, body: { code: codeFor(t) }, now: NOW }).ok).toBe(true);
  });

  it('permissive policy: the supervisor window closes after wrapupWindowDays', () => {
    const old = target((t) => t.participant.purpose === 'agent' && t.comm.state === 'disconnected' && (t.comm.disconnectedTime ?? NOW) < NOW - 8 * DAY);
    const r = checkWrite(org, opts, { user: supervisor, target: old, body: { code: codeFor(old) }, now: NOW });
    expect(!r.ok && r.error.status).toBe(400);
    expect(checkWrite(org, { ...opts, wrapupWindowDays: 30 }, { user: supervisor, target: old, body: { code: codeFor(old) }, now: NOW }).ok).toBe(true);
  });

  it('rewrap refuse: 409 when a wrap-up exists; allow: replaces it', () => {
    const coded = target((t) => t.participant.situation === 'coded' && (t.comm.disconnectedTime ?? 0) > NOW - 3 * DAY);
    const r = checkWrite(org, { ...opts, rewrap: 'refuse' }, { user: supervisor, target: coded, body: { code: codeFor(coded) }, now: NOW });
    expect(!r.ok && r.error.status).toBe(409);
    expect(checkWrite(org, opts, { user: supervisor, target: coded, body: { code: codeFor(coded) }, now: NOW }).ok).toBe(true);
  });

  it('resolveTarget: 404 for unknown ids and for the wrong media path', () => {
    const t = target(missingRecent);
    const wrongMedia = t.conversation.media === 'voice' ? 'emails' : 'calls';
    expect(resolveTarget(org, wrongMedia, t.conversation.id, t.participant.id, t.comm.id).ok).toBe(false);
    expect(resolveTarget(org, null, 'nope', t.participant.id, t.comm.id).ok).toBe(false);
    expect(resolveTarget(org, null, t.conversation.id, 'nope', t.comm.id).ok).toBe(false);
    expect(resolveTarget(org, null, t.conversation.id, t.participant.id, 'nope').ok).toBe(false);
    expect(resolveTarget(org, null, t.conversation.id, t.participant.id, t.comm.id).ok).toBe(true);
  });

  it('a write shows at once live and in analytics only after the lag', () => {
    const t = target(missingRecent);
    const code = codeFor(t);
    applyWrapup(t, { code, name: 'n' }, NOW, null);
    expect(t.comm.wrapup?.code).toBe(code);
    expect(t.comm.acwState).toBe('complete');
    expect(visibleWrapup(t.comm, NOW + 1999, 2000)).toBeUndefined();
    expect(visibleWrapup(t.comm, NOW + 2000, 2000)?.wrapup.code).toBe(code);
    const before = renderAnalyticsConversation(t.conversation, NOW + 1000, 2000);
    const after = renderAnalyticsConversation(t.conversation, NOW + 3000, 2000);
    const codesIn = (v: typeof before) => (v.participants ?? []).flatMap((p) => (p.sessions ?? []).flatMap((s) => (s.segments ?? []).map((x) => x.wrapUpCode)));
    expect(codesIn(before)).not.toContain(code);
    expect(codesIn(after)).toContain(code);
  });

  it('time-boxed ACW that runs out gets ININ-WRAP-UP-TIMEOUT', () => {
    const timed = findTimedAcw(org);
    expect(timed.length).toBeGreaterThan(0);
    const dueOf = (t: Target) => t.comm.acwStart! + t.participant.wrapupTimeoutMs!;
    const first = [...timed].sort((a, b) => dueOf(a) - dueOf(b))[0]!;
    const due = dueOf(first);
    expect(expireAcw(timed, due - 1, null)).toHaveLength(timed.length);
    const told: string[] = [];
    const remaining = expireAcw(timed, due + 10 * DAY, (t, w) => told.push(`${t.comm.id} ${w.code}`));
    expect(remaining).toHaveLength(0);
    expect(first.comm.wrapup?.code).toBe('ININ-WRAP-UP-TIMEOUT');
    // The listener (notification events) hears about every timeout.
    expect(told).toHaveLength(timed.length);
    expect(told).toContain(`${first.comm.id} ININ-WRAP-UP-TIMEOUT`);
  });
});

describe('analytics query', () => {
  const interval = `${new Date(NOW - 11 * DAY).toISOString()}/${new Date(NOW).toISOString()}`;
  const view =
    (lag = 0) =>
    (c: SimOrg['conversations'][number]) =>
      renderAnalyticsConversation(c, NOW, lag);

  it.each([
    [{ interval, paging: { pageSize: 101, pageNumber: 1 } }, /at most 100/],
    [{ interval: '2026-01-02/2026-01-01' }, /ISO/],
    [{ interval: '2026-01-02T00:00:00Z/2026-01-01T00:00:00Z' }, /after the start/],
    [{ interval: '2025-01-01T00:00:00Z/2026-01-01T00:00:00Z' }, /longer than 31 days/],
    [{ interval, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'nope', value: 'x' }] }] }, /unknown dimension/],
    [{ interval, segmentFilters: [{ type: 'xor', predicates: [{ dimension: 'purpose', value: 'agent' }] }] }, /"and" or "or"/],
    [{ interval, order: 'up' }, /order/],
    [{ interval, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'purpose', operator: 'matches' }] }] }, /needs a value/],
  ])('refuses %j', (body, message) => {
    const q = parseQuery(body, 31, 'query');
    expect(q.ok).toBe(false);
    if (!q.ok) expect(q.error.message).toMatch(message);
  });

  it('filters by purpose/queue/media with and/or and clauses, and exists/notExists', () => {
    const queue = org.queues[0]!;
    const q = parseQuery(
      {
        interval,
        segmentFilters: [
          {
            type: 'and',
            predicates: [
              { dimension: 'purpose', value: 'agent' },
              { dimension: 'queueId', value: queue.id },
            ],
          },
        ],
        conversationFilters: [
          {
            type: 'or',
            clauses: [
              { type: 'and', predicates: [{ dimension: 'originatingDirection', value: 'inbound' }] },
              { type: 'and', predicates: [{ dimension: 'originatingDirection', value: 'outbound' }] },
            ],
          },
        ],
      },
      31,
      'query',
    );
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    const found = findConversations(org, q.value, view());
    const expected = org.conversations.filter((c) => c.participants.some((p) => p.purpose === 'agent' && p.queueId === queue.id));
    expect(found.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());

    const ended = parseQuery(
      { interval, conversationFilters: [{ type: 'and', predicates: [{ dimension: 'conversationEnd', operator: 'notExists' }] }] },
      31,
      'query',
    );
    if (!ended.ok) throw new Error('parse');
    expect(findConversations(org, ended.value, view()).every((c) => c.end === undefined)).toBe(true);

    const coded = parseQuery({ interval, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'wrapUpCode', operator: 'exists' }] }] }, 31, 'query');
    const notCoded = parseQuery({ interval, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'wrapUpCode', operator: 'notExists' }] }] }, 31, 'query');
    if (!coded.ok || !notCoded.ok) throw new Error('parse');
    // notExists matches code-less segments, i.e. nearly everything (the trap the app must avoid).
    expect(findConversations(org, notCoded.value, view()).length).toBe(org.conversations.length);
    expect(findConversations(org, coded.value, view()).length).toBeLessThan(org.conversations.length);
  });

  it('orders by conversationStart asc/desc and respects the interval', () => {
    const asc = parseQuery({ interval, order: 'asc' }, 31, 'query');
    const desc = parseQuery({ interval, order: 'desc' }, 31, 'query');
    if (!asc.ok || !desc.ok) throw new Error('parse');
    const a = findConversations(org, asc.value, view());
    const d = findConversations(org, desc.value, view());
    expect(a.map((c) => c.id)).toEqual([...d].reverse().map((c) => c.id));
    const narrow = parseQuery({ interval: `${new Date(NOW - 2 * DAY).toISOString()}/${new Date(NOW - DAY).toISOString()}` }, 31, 'query');
    if (!narrow.ok) throw new Error('parse');
    const n = findConversations(org, narrow.value, view());
    expect(n.length).toBeGreaterThan(0);
    expect(n.every((c) => c.start >= NOW - 2 * DAY && c.start < NOW - DAY)).toBe(true);
  });

  it('conversationMatches: divisionId matches any of the conversation’s divisions', () => {
    const c = org.conversations[0]!;
    const v = renderAnalyticsConversation(c, NOW, 0);
    const yes = {
      conversationFilters: [
        { type: 'and' as const, predicates: [{ dimension: 'divisionId', operator: 'matches' as const, value: c.divisionIds[0]! }], clauses: [] },
      ],
      segmentFilters: [],
    };
    const no = {
      conversationFilters: [{ type: 'and' as const, predicates: [{ dimension: 'divisionId', operator: 'matches' as const, value: 'other' }], clauses: [] }],
      segmentFilters: [],
    };
    expect(conversationMatches(v, yes)).toBe(true);
    expect(conversationMatches(v, no)).toBe(false);
  });
});

describe('options', () => {
  it('parses flags and refuses bad ones clearly', () => {
    const o = parseArgs([
      '--port',
      '0',
      '--seed=3',
      '--control',
      '--wrapup-policy',
      'strict',
      '--fault-5xx',
      '0.5',
      '--fault-401-after',
      '10',
      '--auto-login',
      'supervisor@demo.example',
    ]);
    expect(o).toMatchObject({ port: 0, seed: 3, control: true, wrapupPolicy: 'strict', autoLogin: 'supervisor@demo.example' });
    expect(o.faults).toMatchObject({ rate5xx: 0.5, unauthorizedAfter: 10, scope: 'writes' });
    expect(() => parseArgs(['--nope'])).toThrow(OptionsError);
    expect(() => parseArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--wrapup-policy', 'lax'])).toThrow(/permissive, during-acw, strict/);
    expect(() => parseArgs(['--fault-drop', '2'])).toThrow(/between 0 and 1/);
    expect(() => mergeOptions(defaultOptions, { rateLimit: -1 })).toThrow(OptionsError);
  });
});
