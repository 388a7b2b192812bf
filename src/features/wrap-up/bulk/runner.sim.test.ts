/**
 * The bulk runner against the simulated org through the app's real platform code (port → api.ts →
 * SDK → PlatformHttpClient + RateLimiter → the in-process sim), in virtual time. Faults are the sim's
 * own switches (`faultOn` = `faults.conversations` + `faults.maxFaults`); outcomes are read from the
 * sim's write log and org. Counterparts of the FakeGenesys tests in runner.test.ts.
 */
import { LATE_APPLY_WINDOW_MS, WRITE_TIMEOUT_MS } from '../late-apply.ts';
import type { BulkProgress } from './runner.ts';
import { drive, maxInWindow } from './test-support.ts';
import { simHarness } from './sim-harness.ts';

type H = Awaited<ReturnType<typeof simHarness>>;

const LATENCY = 150;
const ended = (h: H) => () => ['done', 'stopped'].includes(h.runner.getProgress().state);
const state = (h: H) => h.runner.getProgress().state;
const byKey = (h: H) => new Map(h.runner.getItems().map((i) => [i.key, i]));
const sentFor = (h: H, key: string) => h.runnerRequests().filter((r) => r.key === key);

async function runToEnd(h: H) {
  await h.runner.start();
  await drive(h.clock, ended(h), { journal: h.journal });
}

describe('BulkRunner on the sim: the common path', () => {
  it('writes each missing item exactly once, close to one request per item, never over the window, never queued', async () => {
    const h = await simHarness({ items: 60, budget: 40 });
    const events: BulkProgress[] = [];
    h.runner.subscribe((e) => events.push(e));
    await runToEnd(h);
    const p = h.runner.getProgress();
    expect(p.state).toBe('done');
    expect(p.counts).toMatchObject({ selected: 60, applied: 60, alreadyCoded: 0, skipped: 0, failed: 0, pending: 0, inFlight: 0 });
    for (const key of h.keys) {
      expect(h.landed(key).map((w) => w.code)).toEqual([h.codes.job.id]);
      expect(h.current(key)).toBe(h.codes.job.id);
    }
    const reqs = h.runnerRequests();
    expect(reqs.filter((r) => r.kind === 'write')).toHaveLength(60);
    expect(reqs.length / 60).toBeLessThanOrEqual(1.05);
    // The planner: one analytics batch and one code list for the one queue.
    expect(h.planRequests).toBe(2);
    expect(maxInWindow(h.sent.map((r) => r.at))).toBeLessThanOrEqual(40);
    expect(h.queuedWhileRunning()).toBe(0);
    expect(p.requests.writes).toBe(60);
    // Progress events: counts move forward, the ETA is given while running and ends at 0.
    expect(events.length).toBeGreaterThan(60);
    expect(events.some((e) => e.state === 'running' && e.etaMs !== null && e.etaMs > 0)).toBe(true);
    expect(events.at(-1)).toMatchObject({ state: 'done' });
  });

  it('keeps coded items, skips system-coded, active and chat items, and writes only the missing one', async () => {
    const h = await simHarness({ items: ['coded', 'system', 'active', 'chat', 'missing'] });
    const codedBefore = h.current(h.keys[0]!);
    await runToEnd(h);
    expect(h.runner.getItems().map((i) => [i.status, i.reason])).toEqual([
      ['already-coded', 'coded'],
      ['skipped', 'system-coded'],
      ['skipped', 'active'],
      ['skipped', 'chat-removed'],
      ['applied', null],
    ]);
    expect(
      h
        .runnerRequests()
        .filter((r) => r.kind === 'write')
        .map((r) => r.key),
    ).toEqual([h.keys[4]]);
    expect(h.current(h.keys[0]!)).toBe(codedBefore);
    expect(h.sim.state.writeLog.filter((w) => w.via !== 'agent')).toHaveLength(1);
  });
});

describe('BulkRunner on the sim: replacing codes', () => {
  it('replaces existing and system codes only when the user chose to', async () => {
    const kept = await simHarness({ items: ['coded', 'system'] });
    await runToEnd(kept);
    expect(kept.runner.getItems().map((i) => i.status)).toEqual(['already-coded', 'skipped']);
    expect(kept.sim.state.writeLog).toHaveLength(0);
    const h = await simHarness({ items: ['coded', 'system'], options: { replaceExisting: true, includeSystemCoded: true } });
    await runToEnd(h);
    expect(h.runner.getItems().map((i) => i.status)).toEqual(['applied', 'applied']);
    expect(h.keys.map((k) => h.current(k))).toEqual([h.codes.job.id, h.codes.job.id]);
    for (const key of h.keys) expect(h.landed(key)).toHaveLength(1);
  });
});

describe('BulkRunner on the sim: an agent wrapping up during the run (checklist #22)', () => {
  it('a wrap-up visible to the pre-write re-check ends as already-coded and is kept', async () => {
    const h = await simHarness({ items: 30, budget: 30 });
    const last = h.keys[29]!;
    h.clock.setTimeout(() => void h.agentWrapup(last, h.codes.other.id), 5_000);
    await runToEnd(h);
    expect(byKey(h).get(last)).toMatchObject({ status: 'already-coded', reason: 'coded-during-run' });
    expect(h.current(last)).toBe(h.codes.other.id);
    expect(h.landed(last)).toHaveLength(0);
    expect(sentFor(h, last).filter((r) => r.kind === 'write')).toHaveLength(0);
    // Every write followed a check of its conversation no older than maxStaleMs (10 s).
    for (const w of h.runnerRequests().filter((r) => r.kind === 'write')) {
      const cid = w.key!.split('/')[0]!;
      const check = [...h.sent].reverse().find((r) => r.at <= w.at && r.kind === 'details' && r.ids.includes(cid));
      expect(w.at - check!.at).toBeLessThanOrEqual(10_000);
    }
  });

  it('a 409 from a platform that refuses re-wraps leads to a live read and already-coded', async () => {
    const h = await simHarness({ items: 3, sim: { rewrap: 'refuse', analyticsLagMs: 60_000 } });
    // After the preview, before the job starts: analytics (60 s behind) does not show it yet.
    await h.agentWrapup(h.keys[1]!, h.codes.other.id);
    await runToEnd(h);
    expect(byKey(h).get(h.keys[1]!)).toMatchObject({ status: 'already-coded', attempts: 0 });
    expect(
      sentFor(h, h.keys[1]!)
        .filter((r) => r.kind === 'write')
        .map((r) => r.status),
    ).toEqual([409]);
    expect(h.current(h.keys[1]!)).toBe(h.codes.other.id);
  });
});

describe('BulkRunner on the sim: unknown outcomes and errors (checklist #15–16)', () => {
  it('a lost response (applied, connection cut) is re-read before any retry and ends as applied without a second write', async () => {
    const h = await simHarness({ items: 3 });
    const key = h.keys[1]!;
    h.faultOn([key], { rateLostResponse: 1 });
    await runToEnd(h);
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied', attempts: 1, unknownOutcome: false });
    expect(h.landed(key)).toHaveLength(1);
    expect(h.landed(key)[0]!.responseLost).toBe(true);
    expect(sentFor(h, key).map((r) => r.kind)).toEqual(['write', 'read']);
  });

  it('a dropped connection (not applied): wait out the late-apply window, re-read, then write again', async () => {
    const h = await simHarness({ items: 1 });
    const key = h.keys[0]!;
    h.faultOn([key], { rateDrop: 1 });
    await runToEnd(h);
    const reqs = sentFor(h, key);
    expect(reqs.map((r) => r.kind)).toEqual(['write', 'read', 'write']);
    expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(LATE_APPLY_WINDOW_MS);
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied', attempts: 2 });
    expect(h.writeLog(key).map((w) => w.outcome)).toEqual(['fault', 'applied']);
  });

  it('a slow write the platform applies after our timeout is never written twice', async () => {
    const h = await simHarness({ items: 6 });
    const keys = h.keys.slice(0, 3);
    h.faultOn(keys, { rateSlow: 1, slowMs: WRITE_TIMEOUT_MS + 20_000, maxFaults: 3 });
    await runToEnd(h);
    for (const key of keys) {
      expect(h.landed(key)).toHaveLength(1);
      expect(byKey(h).get(key)).toMatchObject({ status: 'applied' });
      expect(sentFor(h, key).filter((r) => r.kind === 'write')).toHaveLength(1);
    }
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 6, failed: 0 });
  });

  it('at most 4 attempts: a write that keeps failing with 503 ends as failed after 4 writes, each retry after a re-read', async () => {
    const h = await simHarness({ items: 1 });
    const key = h.keys[0]!;
    h.faultOn([key], { rate5xx: 1, status5xx: 503, maxFaults: null });
    await runToEnd(h);
    expect(sentFor(h, key).map((r) => r.kind)).toEqual(['write', 'read', 'write', 'read', 'write', 'read', 'write', 'read']);
    expect(byKey(h).get(key)).toMatchObject({ status: 'failed', reason: 'attempts-exhausted', attempts: 4, lastError: { status: 503 } });
    expect(h.landed(key)).toHaveLength(0);
  });

  it.each([400, 403, 404, 422] as const)('%i is final: one write, failed with the platform message and contextId', async (status) => {
    const h = await simHarness({ items: 2 });
    const key = h.keys[0]!;
    h.faultOn([key], { rateRefuse: 1, refuseStatus: status });
    await runToEnd(h);
    expect(sentFor(h, key).filter((r) => r.kind === 'write')).toHaveLength(1);
    expect(byKey(h).get(key)).toMatchObject({
      status: 'failed',
      reason: 'refused',
      attempts: 1,
      lastError: { status, contextId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string },
    });
    expect(h.landed(key)).toHaveLength(0);
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 1, failed: 1, selected: 2 });
  });

  it('a refusal by the platform rule (wrap-up window closed) is final: one write, failed with the platform message', async () => {
    // Another user may write until wrapupWindowDays after the end: 0 days closes it for every item.
    const h = await simHarness({ items: 2, sim: { wrapupWindowDays: 0 } });
    await runToEnd(h);
    for (const key of h.keys) {
      expect(sentFor(h, key).filter((r) => r.kind === 'write')).toHaveLength(1);
      expect(byKey(h).get(key)).toMatchObject({ status: 'failed', reason: 'refused', attempts: 1, lastError: { status: 400 } });
    }
    expect(h.runner.getProgress().counts).toMatchObject({ failed: 2, selected: 2 });
  });
});

describe('BulkRunner on the sim: rate limits (checklist #13–14)', () => {
  it('after a 429 with Retry-After nothing is sent before it ends, and no attempt is spent', async () => {
    const h = await simHarness({ items: 6 });
    const key = h.keys[2]!;
    h.faultOn([key], { rate429RetryAfter: 1, retryAfterSeconds: 30 });
    await runToEnd(h);
    const hit = h.runnerRequests().find((r) => r.status === 429)!;
    expect(hit.retryAfterMs).toBe(30_000);
    const after = h.sent.filter((r) => r.n > hit.n);
    expect(after.length).toBeGreaterThan(0);
    // The answer arrives at hit.at + latency; nothing is let through for 30 s from then.
    expect(Math.min(...after.filter((r) => r.at > hit.at + LATENCY).map((r) => r.at))).toBeGreaterThanOrEqual(hit.at + LATENCY + 30_000);
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied', attempts: 1, sends: 2 });
    expect(state(h)).toBe('done');
  });

  it('a Retry-After over 180 s pauses the job and says until when; resuming early still sends nothing before then', async () => {
    const h = await simHarness({ items: 4 });
    h.faultOn([h.keys[1]!], { rate429RetryAfter: 1, retryAfterSeconds: 300 });
    await h.runner.start();
    await drive(h.clock, () => state(h) === 'paused', { journal: h.journal });
    const hit = h.runnerRequests().find((r) => r.status === 429)!;
    expect(h.runner.getProgress().pause).toEqual({ kind: 'rate-limited', until: hit.at + LATENCY + 300_000 });
    await drive(h.clock, () => h.journal.pending === 0 && h.runner.getProgress().counts.inFlight === 0, { journal: h.journal });
    const sentBefore = h.sent.length;
    h.runner.resume();
    await drive(h.clock, ended(h), { journal: h.journal });
    const later = h.sent.slice(sentBefore);
    expect(later.length).toBeGreaterThan(0);
    expect(Math.min(...later.map((r) => r.at))).toBeGreaterThanOrEqual(hit.at + LATENCY + 300_000);
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 4 });
  });

  it("the platform's own limit (lower than the app's budget): its 429s are waited out and every item lands once", async () => {
    const h = await simHarness({ items: 40, sim: { rateLimit: 25 } });
    await runToEnd(h);
    expect(h.runnerRequests().some((r) => r.status === 429)).toBe(true);
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 40, failed: 0 });
    for (const key of h.keys) expect(h.landed(key)).toHaveLength(1);
    for (const r of h.sent.filter((e) => e.status === 429 && e.retryAfterMs !== null)) {
      const answered = r.at + LATENCY;
      expect(h.sent.filter((e) => e.at > answered && e.at < answered + r.retryAfterMs!)).toEqual([]);
    }
  });
});

describe('BulkRunner on the sim: session (checklist #17)', () => {
  it('a 401 pauses without spending attempts; after signing in again it resumes and nothing is lost or repeated', async () => {
    const h = await simHarness({ items: 8 });
    const key = h.keys[3]!;
    // The token is revoked by the first write of this item (the sim's 401-after-N switch).
    h.faultOn([key], { unauthorizedAfter: 0 });
    await h.runner.start();
    await drive(h.clock, () => state(h) === 'paused', { journal: h.journal });
    expect(h.runner.getProgress().pause).toEqual({ kind: 'session' });
    await drive(h.clock, () => h.runner.getProgress().counts.inFlight === 0 && h.journal.pending === 0, { journal: h.journal });
    const n = h.sent.length;
    await h.clock.advanceBy(600_000, () => Promise.resolve());
    expect(h.sent.length).toBe(n);
    expect(h.runner.getItems().every((i) => i.attempts === 0 || i.status === 'applied')).toBe(true);
    h.signInAgain();
    h.session.emit('restored');
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 8, failed: 0 });
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied', attempts: 1 });
    for (const k of h.keys) expect(h.landed(k)).toHaveLength(1);
  });
});
