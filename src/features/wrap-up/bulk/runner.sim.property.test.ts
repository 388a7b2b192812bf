/**
 * Property test of the bulk runner against the simulated org (reliability-checklist #12–22): the
 * app's real HTTP client and RateLimiter, the sim's rules, limits and fault dice (random rates,
 * scope, Retry-After, refusals, slow writes, a revoked token), agents wrapping up mid-run, in virtual time.
 * Every guarantee is checked against the sim's own write log and org, not a copy.
 */
import fc from 'fast-check';
import { WRITE_TIMEOUT_MS } from '../late-apply.ts';
import { countItems, isSystemCode, isTerminal, type JobOptions } from './model.ts';
import { drive, maxInWindow } from './test-support.ts';
import { simHarness, type SimItemKind } from './sim-harness.ts';

type H = Awaited<ReturnType<typeof simHarness>>;

const LATENCY = 150;
const rate = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 0.3, noNaN: true }) });

const scenarioArb = fc.record({
  items: fc.array(
    fc.oneof(
      { weight: 8, arbitrary: fc.constant<SimItemKind>('missing') },
      { weight: 1, arbitrary: fc.constantFrom<SimItemKind>('coded', 'system', 'active', 'chat') },
    ),
    { minLength: 1, maxLength: 16 },
  ),
  faults: fc.record({
    scope: fc.constantFrom<'writes' | 'all'>('writes', 'all'),
    rate429: rate,
    rate429RetryAfter: rate,
    retryAfterSeconds: fc.constantFrom(0, 1, 30, 200, 400),
    rate5xx: rate,
    rate5xxEmpty: rate,
    rateRefuse: rate,
    refuseStatus: fc.constantFrom(400, 403, 404, 422),
    rateDrop: rate,
    rateLostResponse: rate,
    rateSlow: rate,
    slowMs: fc.constantFrom(5_000, WRITE_TIMEOUT_MS + 10_000),
    seed: fc.nat(10_000),
    maxFaults: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
    unauthorizedAfter: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
  }),
  /** An agent wraps up item i at time t (ms after the start). */
  agents: fc.array(fc.tuple(fc.nat(15), fc.integer({ min: 0, max: 30_000 })), { maxLength: 5 }),
  verify: fc.constantFrom<JobOptions['verify']>('batched', 'per-item'),
  replaceExisting: fc.boolean(),
  includeSystemCoded: fc.boolean(),
  budget: fc.integer({ min: 6, max: 40 }),
  rewrap: fc.constantFrom<'allow' | 'refuse'>('allow', 'refuse'),
  lag: fc.integer({ min: 0, max: 5_000 }),
  seed: fc.integer({ min: 0, max: 1_000 }),
});

/** Runs to the end like a user would: signs in again after a 401, resumes after a long rate-limit pause. */
async function runLikeAUser(h: H): Promise<void> {
  await h.runner.start();
  for (let round = 0; round < 50; round++) {
    await drive(h.clock, () => ['done', 'stopped', 'paused'].includes(h.runner.getProgress().state), { journal: h.journal });
    const p = h.runner.getProgress();
    if (p.state !== 'paused') return;
    if (p.pause?.kind === 'session') {
      h.signInAgain();
      h.session.emit('restored');
    } else h.runner.resume();
  }
  throw new Error('never ended');
}

describe('BulkRunner properties on the sim', () => {
  it('under random sim faults, agents and settings: one terminal state each, totals add up, never twice, never over the window or Retry-After, no overwrite the checks could see', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        let x = s.seed;
        const random = () => (x = (x * 9301 + 49297) % 233280) / 233280;
        const h = await simHarness({
          items: s.items,
          budget: s.budget,
          random,
          sim: { rewrap: s.rewrap, analyticsLagMs: s.lag },
          options: { verify: s.verify, replaceExisting: s.replaceExisting, includeSystemCoded: s.includeSystemCoded },
        });
        // Faults from the job's start on (the preview is not under test here).
        h.sim.setFaults({ ...s.faults, conversations: null });
        const planned = new Map(h.runner.getItems().map((i) => [i.key, i]));
        const seeded = new Map(h.keys.map((k) => [k, h.current(k)]));
        for (const [i, t] of s.agents) {
          const key = h.keys[i % h.keys.length]!;
          if (s.items[i % h.keys.length] === 'active') continue;
          h.clock.setTimeout(() => void h.agentWrapup(key, h.codes.other.id), t);
        }
        await runLikeAUser(h);

        const items = h.runner.getItems();
        const p = h.runner.getProgress();
        // #21: exactly one terminal state each; the totals add up.
        expect(p.state).toBe('done');
        expect(items.every((i) => isTerminal(i.status))).toBe(true);
        const c = p.counts;
        expect(c.applied + c.alreadyCoded + c.skipped + c.failed).toBe(items.length);
        expect(c).toEqual(countItems(items));
        expect(h.runner.getJob().counts).toEqual(countItems(items));

        const sent = h.sent;
        // #12: no 60 s window holds more than the budget (planner and runner together).
        expect(maxInWindow(sent.map((r) => r.at))).toBeLessThanOrEqual(s.budget);
        // The runner never hands over a request that waits in the limiter (reads retried after a 429 do, by design).
        if (s.faults.scope === 'writes') expect(h.queuedWhileRunning()).toBe(0);
        // #13: after a 429 with Retry-After nothing is sent until it has passed.
        for (const r of sent.filter((e) => e.status === 429 && e.retryAfterMs !== null)) {
          const answered = r.at + LATENCY;
          expect(sent.filter((e) => e.at > answered && e.at < answered + r.retryAfterMs!)).toEqual([]);
        }

        for (const it of items) {
          const writes = sent.filter((r) => r.kind === 'write' && r.key === it.key);
          const landed = h.landed(it.key);
          // #16: never written twice (the sim's write log).
          expect(landed.length).toBeLessThanOrEqual(1);
          // #15/#17: refusals (401, 409, 429) spend no attempt; at most 4 writes the platform may have processed.
          const processable = writes.filter((w) => ![401, 409, 429].includes(w.status)).length;
          expect(processable).toBeLessThanOrEqual(4);
          expect(it.attempts).toBe(processable);
          expect(writes.length).toBeLessThanOrEqual(12);
          // #15: a final refusal is never retried.
          const finalAt = writes.findIndex((w) => [400, 403, 404, 422].includes(w.status));
          if (finalAt >= 0) expect(writes.length).toBe(finalAt + 1);
          // The outcome matches the platform.
          if (it.status === 'applied') expect(landed).toHaveLength(1);
          if (it.status === 'skipped') expect(writes).toHaveLength(0);
          if (it.status === 'failed' && it.reason !== 'unverified') expect(landed).toHaveLength(0);
          const before = planned.get(it.key)!;
          if (before.status !== 'pending') expect(it.status).toBe(before.status);

          // #22: a landed write only replaced what the user allowed, or what no check could see.
          const w = landed[0];
          if (!w) continue;
          const agentBefore = h
            .writeLog(it.key)
            .filter((e) => e.via === 'agent' && e.outcome === 'applied' && e.seq < w.seq)
            .at(-1);
          const priorCode = agentBefore?.code ?? seeded.get(it.key) ?? null;
          const allowed = priorCode === null || (isSystemCode(priorCode) && s.includeSystemCoded) || (!agentBefore && s.replaceExisting);
          if (allowed) continue;
          // Only an agent wrap-up made after the last check before this write could have been missed ...
          expect(agentBefore).toBeDefined();
          const writeReq = writes.filter((r) => r.at <= w.at).at(-1)!;
          const checks = sent.filter(
            (r) =>
              r.n < writeReq.n &&
              r.at + LATENCY <= writeReq.at &&
              ((r.kind === 'details' && r.ids.includes(it.conversationId)) || (r.kind === 'read' && r.key === it.key)),
          );
          const last = checks.at(-1)!;
          const seenUpTo = last.at - (last.kind === 'details' ? s.lag : 0);
          expect(agentBefore!.at).toBeGreaterThanOrEqual(seenUpTo);
          // ... and that check was fresh: at most maxReadAgeMs (per-item) or maxStaleMs (batched) old.
          expect(writeReq.at - last.at).toBeLessThanOrEqual(s.verify === 'per-item' ? 5_000 : 10_000);
        }
        // An agent wrap-up the runner saw mid-run ends as already-coded, never applied over.
        for (const it of items.filter((i) => i.reason === 'coded-during-run')) expect(h.current(it.key)).not.toBe(h.codes.job.id);
      }),
      { numRuns: 30 },
    );
  }, 180_000);
});
