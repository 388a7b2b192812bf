import { LATE_APPLY_WINDOW_MS } from '../late-apply.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import type { BulkProgress } from './runner.ts';
import { BulkRunner } from './runner.ts';
import { createJobLocks } from './job-lock.ts';
import { drive, flushIO, harness, JOB_CODE, maxInWindow, MemoryJournal, OTHER_CODE, T0, type Fault } from './test-support.ts';

type H = Awaited<ReturnType<typeof harness>>;

const ended = (h: H) => () => ['done', 'stopped'].includes(h.runner.getProgress().state);
const state = (h: H) => h.runner.getProgress().state;
const byKey = (h: H) => new Map(h.runner.getItems().map((i) => [i.key, i]));
const runnerRequests = (h: H) => h.fake.log.slice(h.planRequests);
const writesOf = (h: H, key: string) => runnerRequests(h).filter((r) => r.kind === 'write' && r.key === key);

async function runToEnd(h: H) {
  await h.runner.start();
  await drive(h.clock, ended(h), { journal: h.journal });
}

/** Fault on the given write numbers of the given items. */
function writeFaults(map: Record<string, Record<number, Fault>>): (r: { kind: string; key: string | null; writeNo: number }) => Fault | null {
  return (r) => (r.kind === 'write' && r.key ? (map[r.key]?.[r.writeNo] ?? null) : null);
}

describe('BulkRunner: the common path', () => {
  it('writes each missing item exactly once, close to one request per item, and the totals add up', async () => {
    const h = await harness({ items: 60 });
    const events: BulkProgress[] = [];
    h.runner.subscribe((p) => events.push(p));
    await runToEnd(h);
    const p = h.runner.getProgress();
    expect(p.state).toBe('done');
    expect(p.counts).toMatchObject({ selected: 60, applied: 60, alreadyCoded: 0, skipped: 0, failed: 0, pending: 0, inFlight: 0 });
    for (const key of h.keys) {
      expect(h.fake.runnerWrites(key).map((w) => w.code)).toEqual([JOB_CODE.id]);
      expect(writesOf(h, key)).toHaveLength(1);
    }
    // 60 writes + one batched re-check (the planner's data was fresh enough for the rest).
    const reqs = runnerRequests(h);
    expect(reqs.filter((r) => r.kind === 'write')).toHaveLength(60);
    expect(reqs.filter((r) => r.kind === 'read')).toHaveLength(0);
    expect(reqs.length / 60).toBeLessThanOrEqual(1.05);
    // The planner: one analytics batch for 60 conversations and one code list for the one queue.
    expect(h.planRequests).toBe(2);
    // Progress events: counts move forward, the ETA is given while running and ends at 0.
    expect(events.length).toBeGreaterThan(60);
    expect(events.some((e) => e.state === 'running' && e.etaMs !== null && e.etaMs > 0)).toBe(true);
    expect(events.at(-1)).toMatchObject({ state: 'done' });
    expect(p.requests.writes).toBe(60);
  });

  it('never holds a request in the limiter queue, and never exceeds the window (with other app traffic)', async () => {
    const h = await harness({ items: 40, budget: 20, maxConcurrent: 6 });
    // The rest of the app: a read every 10 s through the same limiter.
    const others: number[] = [];
    const tick = () => {
      void h.limiter.acquire().then((release) => {
        others.push(h.clock.now());
        h.clock.setTimeout(release, 100);
      });
      if (state(h) !== 'done') h.clock.setTimeout(tick, 10_000);
    };
    tick();
    await runToEnd(h);
    const times = [...h.fake.log.map((r) => r.at), ...others];
    expect(maxInWindow(times)).toBeLessThanOrEqual(20);
    expect(runnerRequests(h).filter((r) => r.queued)).toEqual([]);
    expect(h.runner.getProgress().counts.applied).toBe(40);
  });

  it('skips active, ACW, chat and not-allowed items, keeps existing codes, and never writes them', async () => {
    const h = await harness({
      items: [{ code: OTHER_CODE.id }, { code: 'ININ-WRAP-UP-TIMEOUT' }, { active: true }, { inAcw: true }, { mediaType: 'chat' }, { queueId: 'q2' }, { code: JOB_CODE.id }, {}],
    });
    await runToEnd(h);
    const items = h.runner.getItems();
    expect(items.map((i) => [i.status, i.reason])).toEqual([
      ['already-coded', 'coded'],
      ['skipped', 'system-coded'],
      ['skipped', 'active'],
      ['skipped', 'active'],
      ['skipped', 'chat-removed'],
      ['skipped', 'code-not-allowed'],
      ['already-coded', 'same-code'],
      ['applied', null],
    ]);
    expect(runnerRequests(h).filter((r) => r.kind === 'write').map((r) => r.key)).toEqual([h.keys[7]]);
    expect(h.fake.current(h.keys[0]!)).toBe(OTHER_CODE.id);
  });

  it('replaces existing and system codes only when the user chose to', async () => {
    const h = await harness({ items: [{ code: OTHER_CODE.id }, { code: 'ININ-WRAP-UP-TIMEOUT' }], options: { replaceExisting: true, includeSystemCoded: true } });
    await runToEnd(h);
    expect(h.runner.getItems().map((i) => i.status)).toEqual(['applied', 'applied']);
    expect(h.keys.map((k) => h.fake.current(k))).toEqual([JOB_CODE.id, JOB_CODE.id]);
  });
});

describe('BulkRunner: agents wrapping up during the run (checklist #22)', () => {
  it('batched: a wrap-up visible to the pre-write re-check ends as already-coded and is kept', async () => {
    const h = await harness({ items: 30, budget: 30, analyticsLagMs: 2_000 });
    // Planned at T0; the agent codes the last item 5 s later; we reach it about a minute later.
    h.clock.setTimeout(() => h.fake.agentWrapup(h.keys[29]!, OTHER_CODE.id), 5_000);
    await runToEnd(h);
    const last = byKey(h).get(h.keys[29]!)!;
    expect(last).toMatchObject({ status: 'already-coded', reason: 'coded-during-run' });
    expect(h.fake.current(h.keys[29]!)).toBe(OTHER_CODE.id);
    expect(writesOf(h, h.keys[29]!)).toHaveLength(0);
    // Every write followed a check of its conversation no older than maxStaleMs (10 s).
    for (const w of runnerRequests(h).filter((r) => r.kind === 'write')) {
      const cid = w.key!.split('/')[0]!;
      const check = [...h.fake.log].reverse().find((r) => r.at <= w.at && r.kind === 'details' && r.ids.includes(cid));
      expect(w.at - check!.at).toBeLessThanOrEqual(10_000);
    }
  });

  it('a conversation the batched re-check leaves out is read live, not written on its old observation', async () => {
    const h = await harness({ items: 1 });
    const key = h.keys[0]!;
    h.clock.setTimeout(() => h.fake.agentWrapup(key, OTHER_CODE.id), 1_000); // coded after the preview
    await h.clock.advanceBy(60_000, () => Promise.resolve()); // the job starts a minute later
    const inner = h.deps.platform.getDetails;
    h.deps.platform.getDetails = async (ids) => (await inner(ids)).filter((c) => c.conversationId !== key.split('/')[0]); // analytics leaves it out
    await h.runner.start();
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(h.fake.current(key)).toBe(OTHER_CODE.id);
    expect(h.fake.runnerWrites(key)).toHaveLength(0);
    expect(h.runner.getItems()[0]).toMatchObject({ status: 'already-coded', reason: 'coded-during-run' });
  });

  it('a read the client refuses to make ends the item; one that never left waits before trying again (no busy loop)', async () => {
    const h = await harness({ items: 2, options: { verify: 'per-item' } });
    const [usageKey, unsentKey] = h.keys as [string, string];
    const reads = new Map<string, number>();
    const inner = h.deps.platform.readWrapup;
    h.deps.platform.readWrapup = (media, cid, pid, commId) => {
      const key = `${cid}/${pid}/${commId}`;
      reads.set(key, (reads.get(key) ?? 0) + 1);
      if (key === usageKey) return Promise.reject(new ApiError({ kind: 'usage', status: 0, code: 'config.invalid', message: 'not configured', sent: false }));
      if (key === unsentKey && (reads.get(key) ?? 0) <= 3) return Promise.reject(new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'cancelled', sent: false }));
      return inner(media, cid, pid, commId);
    };
    const t = h.clock.now();
    await h.runner.start();
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(reads.get(usageKey)).toBe(1);
    expect(h.runner.getItems().find((i) => i.key === usageKey)).toMatchObject({ status: 'failed', reason: 'refused' });
    expect(reads.get(unsentKey)).toBe(4);
    expect(h.runner.getItems().find((i) => i.key === unsentKey)).toMatchObject({ status: 'applied', readFailures: 0 });
    expect(h.clock.now() - t).toBeGreaterThanOrEqual(3_000); // three waits of at least 1 s
  });

  it('per-item: a wrap-up made just before our write is seen by the live read and kept', async () => {
    const h = await harness({ items: 4, options: { verify: 'per-item' }, analyticsLagMs: 60_000 });
    h.clock.setTimeout(() => h.fake.agentWrapup(h.keys[3]!, OTHER_CODE.id), 1);
    await runToEnd(h);
    expect(byKey(h).get(h.keys[3]!)).toMatchObject({ status: 'already-coded', reason: 'coded-during-run' });
    expect(h.fake.runnerWrites(h.keys[3]!)).toEqual([]);
    const reqs = runnerRequests(h);
    expect(reqs.filter((r) => r.kind === 'read')).toHaveLength(4);
    expect(reqs.filter((r) => r.kind === 'write')).toHaveLength(3);
  });

  it('a 409 from a platform that refuses re-wraps leads to a live read and already-coded', async () => {
    const h = await harness({ items: 3, rewrap: 'refuse', analyticsLagMs: 60_000 });
    h.clock.setTimeout(() => h.fake.agentWrapup(h.keys[1]!, OTHER_CODE.id), 1);
    await runToEnd(h);
    expect(byKey(h).get(h.keys[1]!)).toMatchObject({ status: 'already-coded', attempts: 0 });
    expect(writesOf(h, h.keys[1]!).map((w) => w.status)).toEqual([409]);
  });
});

describe('BulkRunner: unknown outcomes and errors (checklist #15–16)', () => {
  it('a lost response is re-read before any retry and ends as applied without a second write', async () => {
    const h = await harness({ items: 3, fault: writeFaults({ 'c0001/c0001-a/c0001-m': { 1: { type: 'lost' } } }) });
    await runToEnd(h);
    const key = h.keys[1]!;
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied', attempts: 1, unknownOutcome: false });
    expect(writesOf(h, key)).toHaveLength(1);
    expect(h.fake.runnerWrites(key)).toHaveLength(1);
    const kinds = runnerRequests(h).filter((r) => r.key === key).map((r) => r.kind);
    expect(kinds).toEqual(['write', 'read']);
  });

  it('a timeout that did not land: back off, re-read, then write again', async () => {
    const key = 'c0000/c0000-a/c0000-m';
    const h = await harness({ items: 1, fault: writeFaults({ [key]: { 1: { type: 'timeout', applied: false } } }) });
    await runToEnd(h);
    const reqs = runnerRequests(h).filter((r) => r.key === key);
    expect(reqs.map((r) => r.kind)).toEqual(['write', 'read', 'write']);
    // No answer: the platform could still apply it, so the re-read waits out the late-apply window.
    expect(reqs[1]!.at - reqs[0]!.at).toBeGreaterThanOrEqual(LATE_APPLY_WINDOW_MS);
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied', attempts: 2 });
    expect(h.fake.runnerWrites(key)).toHaveLength(1);
  });

  it('a slow write the platform applies 20 s after our timeout is never written twice (checklist #16)', async () => {
    const keys = ['c0000/c0000-a/c0000-m', 'c0001/c0001-a/c0001-m', 'c0002/c0002-a/c0002-m'];
    const h = await harness({ items: 6, fault: writeFaults(Object.fromEntries(keys.map((k) => [k, { 1: { type: 'slow', applyAfterMs: 20_000 } }]))) });
    await runToEnd(h);
    for (const key of keys) {
      expect(h.fake.runnerWrites(key)).toHaveLength(1);
      expect(byKey(h).get(key)).toMatchObject({ status: 'applied' });
      expect(runnerRequests(h).filter((r) => r.key === key && r.kind === 'write')).toHaveLength(1);
    }
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 6, failed: 0 });
  });

  it('at most 4 attempts: a write that keeps failing with 503 ends as failed after 4 writes, each retry after a re-read', async () => {
    const key = 'c0000/c0000-a/c0000-m';
    const h = await harness({ items: 1, fault: (r) => (r.kind === 'write' ? { type: '5xx', status: 503 } : null) });
    await runToEnd(h);
    const kinds = runnerRequests(h).filter((r) => r.key === key).map((r) => r.kind);
    expect(kinds).toEqual(['write', 'read', 'write', 'read', 'write', 'read', 'write', 'read']);
    expect(byKey(h).get(key)).toMatchObject({ status: 'failed', reason: 'attempts-exhausted', attempts: 4, lastError: { status: 503 } });
  });

  it.each([400, 403, 404, 422] as const)('%i is final: one write, failed with the platform message and contextId', async (status) => {
    const key = 'c0000/c0000-a/c0000-m';
    const h = await harness({ items: 2, fault: writeFaults({ [key]: { 1: { type: 'refuse', status } } }) });
    await runToEnd(h);
    expect(writesOf(h, key)).toHaveLength(1);
    expect(byKey(h).get(key)).toMatchObject({ status: 'failed', reason: 'refused', attempts: 1, lastError: { status, contextId: expect.stringMatching(/^ctx-/) as string } });
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 1, failed: 1, selected: 2 });
  });
});

describe('BulkRunner: rate limits (checklist #13–14)', () => {
  it('after a 429 with Retry-After nothing is sent before it ends, and no attempt is spent', async () => {
    const key = 'c0002/c0002-a/c0002-m';
    const h = await harness({ items: 6, fault: writeFaults({ [key]: { 1: { type: '429', retryAfterMs: 30_000 } } }) });
    await runToEnd(h);
    const hit = runnerRequests(h).find((r) => r.status === 429)!;
    const after = h.fake.log.filter((r) => r.n > hit.n);
    expect(after.length).toBeGreaterThan(0);
    // The 429 answer arrives at hit.at + latency; nothing is let through for 30 s from then.
    expect(Math.min(...after.filter((r) => r.at > hit.at + 150).map((r) => r.at))).toBeGreaterThanOrEqual(hit.at + 150 + 30_000);
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied', attempts: 1, sends: 2 });
    expect(h.runner.getProgress().state).toBe('done');
  });

  it('a Retry-After over 180 s pauses the job and says until when; resuming early still sends nothing before then', async () => {
    const key = 'c0001/c0001-a/c0001-m';
    const h = await harness({ items: 4, fault: writeFaults({ [key]: { 1: { type: '429', retryAfterMs: 300_000 } } }) });
    await h.runner.start();
    await drive(h.clock, () => state(h) === 'paused', { journal: h.journal });
    const p = h.runner.getProgress();
    const hit = runnerRequests(h).find((r) => r.status === 429)!;
    expect(p.pause).toEqual({ kind: 'rate-limited', until: hit.at + 150 + 300_000 });
    expect(p.etaMs).toBeNull();
    await drive(h.clock, () => h.journal.pending === 0 && h.runner.getProgress().counts.inFlight === 0, { journal: h.journal });
    const sentBefore = h.fake.log.length;
    h.runner.resume();
    await drive(h.clock, ended(h), { journal: h.journal });
    const later = h.fake.log.slice(sentBefore);
    expect(later.length).toBeGreaterThan(0);
    expect(Math.min(...later.map((r) => r.at))).toBeGreaterThanOrEqual(hit.at + 150 + 300_000);
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 4 });
  });
});

describe('BulkRunner: session (checklist #17)', () => {
  it('a 401 pauses without spending attempts; after signing in again it resumes and nothing is lost or repeated', async () => {
    const key = 'c0003/c0003-a/c0003-m';
    const h = await harness({ items: 8, fault: writeFaults({ [key]: { 1: { type: '401' } } }) });
    await h.runner.start();
    await drive(h.clock, () => state(h) === 'paused', { journal: h.journal });
    expect(h.runner.getProgress().pause).toEqual({ kind: 'session' });
    // The calls in flight finish (with 401 too: the token is dead); nothing new is sent while paused.
    await drive(h.clock, () => h.runner.getProgress().counts.inFlight === 0 && h.journal.pending === 0, { journal: h.journal });
    const n = h.fake.log.length;
    await h.clock.advanceBy(600_000, () => Promise.resolve());
    expect(h.fake.log.length).toBe(n);
    expect(h.runner.getItems().every((i) => i.attempts === 0 || i.status === 'applied')).toBe(true);
    h.fake.restoreToken();
    h.session.emit('restored');
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 8, failed: 0 });
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied', attempts: 1 });
    for (const k of h.keys) expect(h.fake.runnerWrites(k)).toHaveLength(1);
  });

  it('the session port saying "expired" pauses too; "signedOut" needs the user to resume', async () => {
    const h = await harness({ items: 3 });
    await h.runner.start();
    h.session.emit('expired');
    expect(h.runner.getProgress().pause).toEqual({ kind: 'session' });
    h.session.emit('signedOut');
    expect(h.runner.getProgress().pause).toEqual({ kind: 'signed-out' });
    h.session.emit('restored');
    expect(state(h)).toBe('paused');
    h.runner.resume();
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(h.runner.getProgress().counts.applied).toBe(3);
  });
});

describe('BulkRunner: pause, resume, stop (checklist #20–21)', () => {
  it('stop: nothing new is sent after the calls in flight finish; the rest ends as skipped and the totals add up', async () => {
    const h = await harness({ items: 30, budget: 12 });
    await h.runner.start();
    await drive(h.clock, () => h.runner.getProgress().counts.applied >= 5, { journal: h.journal });
    const inFlightAtStop = h.limiter.getState().inFlight;
    const nAtStop = h.fake.log.length;
    const stopped = h.runner.stop();
    await drive(h.clock, ended(h), { journal: h.journal });
    await stopped;
    expect(h.fake.log.length).toBe(nAtStop); // not one request after stop
    await h.clock.advanceBy(300_000, () => Promise.resolve());
    expect(h.fake.log.length).toBe(nAtStop);
    const c = h.runner.getProgress().counts;
    expect(c.applied + c.alreadyCoded + c.skipped + c.failed).toBe(30);
    expect(c.pending + c.inFlight).toBe(0);
    expect(c.applied).toBe(runnerRequests(h).filter((r) => r.kind === 'write' && r.applied).length);
    expect(inFlightAtStop).toBeLessThanOrEqual(6);
    expect(h.runner.getItems().filter((i) => i.status === 'skipped').every((i) => i.reason === 'stopped')).toBe(true);
  });

  it('pause holds everything; resume carries on to the same end', async () => {
    const h = await harness({ items: 12 });
    await h.runner.start();
    await drive(h.clock, () => h.runner.getProgress().counts.applied >= 3, { journal: h.journal });
    h.runner.pause();
    await drive(h.clock, () => h.runner.getProgress().counts.inFlight === 0 && h.journal.pending === 0, { journal: h.journal });
    const n = h.fake.log.length;
    await h.clock.advanceBy(120_000, () => Promise.resolve());
    expect(h.fake.log.length).toBe(n);
    h.runner.resume();
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(h.runner.getProgress().counts.applied).toBe(12);
  });
});

describe('BulkRunner: journal and tabs (checklist #18–19)', () => {
  it('stores an item as in-flight before its write is sent', async () => {
    const mem = new MemoryJournal();
    const h = await harness({ items: 5, journal: mem });
    const seenAtSend: string[] = [];
    const write = h.deps.platform.writeWrapup;
    h.deps.platform.writeWrapup = (media, cid, pid, mid, input) => {
      seenAtSend.push(mem.items.get('job-1')!.get(`${cid}/${pid}/${mid}`)!.status);
      return write(media, cid, pid, mid, input);
    };
    await runToEnd(h);
    expect(seenAtSend).toEqual(['in-flight', 'in-flight', 'in-flight', 'in-flight', 'in-flight']);
    for (const key of h.keys) {
      const trail = mem.trail.filter((t) => t.key === key).map((t) => t.status);
      expect(trail).toEqual(['in-flight', 'applied']);
    }
  });

  it('a second tab cannot run the same job; it can once the first has ended', async () => {
    const h = await harness({ items: 3 });
    expect(await h.runner.start()).toBe('started');
    const other = await BulkRunner.open('job-1', { ...h.deps, locks: createJobLocks({ locks: h.lockManager.forTab('tab-2') }) });
    expect(await other!.start()).toBe('locked');
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(h.lockManager.held.size).toBe(0);
    // It opened the job while it was running; holding the lock it reloads the journal: finished.
    const n = h.fake.log.length;
    expect(await other!.start()).toBe('finished');
    expect(other!.getProgress()).toMatchObject({ state: 'done', counts: { applied: 3 } });
    expect(h.fake.log.length).toBe(n);
  });

  it('a tab without the lock follows the other tab through the journal (read-only), and sends nothing', async () => {
    const mem = new MemoryJournal();
    const h = await harness({ items: 6, journal: mem, latency: () => 2_000 });
    expect(await h.runner.start()).toBe('started');
    const other = (await BulkRunner.open('job-1', { ...h.deps, locks: createJobLocks({ locks: h.lockManager.forTab('tab-2') }) }))!;
    expect(await other.start()).toBe('locked');
    await drive(h.clock, () => h.runner.getProgress().counts.applied >= 2, { journal: h.journal });
    const inFlight = [...mem.items.get('job-1')!.values()].filter((i) => i.status === 'in-flight').length;
    expect(inFlight).toBeGreaterThan(0);
    const trail = mem.trail.length;
    await other.peek();
    // It sees the other tab's progress, including items in flight, and wrote nothing to the journal.
    expect(other.getProgress().counts.applied).toBe(h.runner.getProgress().counts.applied);
    expect(other.getProgress().counts.inFlight).toBe(inFlight);
    expect(mem.trail.length).toBe(trail);
    // The runner holding the lock ignores peek.
    await h.runner.peek();
    await drive(h.clock, ended(h), { journal: h.journal });
    await other.peek();
    expect(other.getProgress()).toMatchObject({ state: 'done', counts: { applied: 6 } });
  });

  it('only the tab running the job may pause or stop it; a paused job is stopped by the tab that takes its lock', async () => {
    const mem = new MemoryJournal();
    const h = await harness({ items: 12, journal: mem, latency: () => 2_000 });
    expect(await h.runner.start()).toBe('started');
    const tab2 = () => createJobLocks({ locks: h.lockManager.forTab('tab-2') });
    const other = (await BulkRunner.open('job-1', { ...h.deps, locks: tab2() }))!;
    expect(await other.start()).toBe('locked');
    await drive(h.clock, () => h.runner.getProgress().counts.applied >= 2, { journal: h.journal });
    await other.peek();
    const trail = mem.trail.length;
    other.pause();
    expect(await other.stop()).toBe('locked');
    // Nothing changed in the journal, and the job runs on in the first tab to the same end.
    expect(mem.trail.length).toBe(trail);
    expect(other.getProgress().state).toBe('running');
    h.runner.pause();
    await drive(h.clock, () => h.runner.getProgress().counts.inFlight === 0, { journal: h.journal });
    const applied = h.runner.getProgress().counts.applied;
    expect(applied).toBeLessThan(12);
    // The first tab goes away with the job paused; the second tab can now stop it.
    h.runner.dispose();
    const third = (await BulkRunner.open('job-1', { ...h.deps, locks: tab2() }))!;
    const writes = h.fake.log.filter((r) => r.kind === 'write').length;
    expect(await third.stop()).toBe('stopped');
    expect(third.getProgress()).toMatchObject({ state: 'stopped', counts: { applied, skipped: 12 - applied } });
    expect(h.fake.log.filter((r) => r.kind === 'write').length).toBe(writes);
  });

  it('reopens a journaled job: items found in flight are re-read, not written again', async () => {
    const mem = new MemoryJournal();
    const h = await harness({ items: 4, journal: mem, fault: writeFaults({ 'c0002/c0002-a/c0002-m': { 1: { type: 'lost' } } }) });
    await h.runner.start();
    // Crash the tab while c0002's write is in flight (it lands, the answer never comes back).
    await drive(h.clock, () => h.fake.runnerWrites('c0002/c0002-a/c0002-m').length === 1, { journal: h.journal });
    h.tab.crash();
    h.journal.crash();
    h.lockManager.crash('tab-1');
    expect(mem.items.get('job-1')!.get('c0002/c0002-a/c0002-m')!.status).toBe('in-flight');
    const runner = (await BulkRunner.open('job-1', { ...h.deps, platform: h.fake.port, journal: mem, locks: createJobLocks({ locks: h.lockManager.forTab('tab-2') }) }))!;
    expect(await runner.start()).toBe('started');
    await drive(h.clock, () => runner.getProgress().state === 'done');
    expect(runner.getProgress().counts).toMatchObject({ applied: 4, failed: 0 });
    for (const k of h.keys) expect(h.fake.runnerWrites(k)).toHaveLength(1);
    expect(runner.getItems().find((i) => i.key === 'c0002/c0002-a/c0002-m')).toMatchObject({ status: 'applied', attempts: 1 });
  });
});

describe('BulkRunner: ETA', () => {
  it('estimates from the budget first, then from the measured rate', async () => {
    const h = await harness({ items: 100, budget: 60 });
    await h.runner.start();
    const first = h.runner.getProgress();
    expect(first.etaMs).toBeGreaterThan(90_000); // ~100 items at 60/min
    await drive(h.clock, () => h.runner.getProgress().counts.applied >= 50, { journal: h.journal });
    const mid = h.runner.getProgress();
    expect(mid.perMinute).not.toBeNull();
    expect(mid.etaMs!).toBeGreaterThan(30_000);
    expect(mid.etaMs!).toBeLessThan(90_000);
    await drive(h.clock, ended(h), { journal: h.journal });
  });
});

it('clock sanity: the harness starts at T0', async () => {
  const h = await harness({ items: 1 });
  expect(h.clock.now()).toBeGreaterThanOrEqual(T0);
  expect(new ApiError({ kind: 'http', status: 400, code: 'x', message: 'm' }).status).toBe(400);
});

describe('BulkRunner: systematic refusals (issue 15)', () => {
  const everyWrite403: (r: { kind: string; key: string | null; writeNo: number }) => Fault | null = (r) => (r.kind === 'write' ? { type: 'refuse', status: 403 } : null);
  const sentWrites = (h: H) => runnerRequests(h).filter((r) => r.kind === 'write').length;

  it('pauses itself after K refusals in a row with one code, having sent at most K + concurrency writes; nothing is sent while it waits', async () => {
    const h = await harness({ items: 120, fault: everyWrite403, options: { refusalStreak: 5 } });
    await h.runner.start();
    await drive(h.clock, () => state(h) === 'paused', { journal: h.journal });
    const p = h.runner.getProgress();
    expect(p.pause).toMatchObject({ kind: 'refusals', code: 'http.403', status: 403 });
    expect(p.pause?.kind === 'refusals' && p.pause.contextIds.length).toBeGreaterThanOrEqual(5);
    await drive(h.clock, () => h.runner.getItems().every((i) => i.status !== 'in-flight'), { journal: h.journal });
    const sent = sentWrites(h);
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(sent).toBeLessThanOrEqual(5 + 4); // K + the runner's concurrency cap
    // The writes that were in flight at the pause came back refused too: the pause counts them all.
    expect(h.runner.getProgress().pause).toMatchObject({ kind: 'refusals', count: sent });
    // Waiting: ten virtual minutes, not one more request.
    const before = h.fake.log.length;
    await h.clock.advanceBy(600_000, () => flushIO(h.journal));
    expect(h.fake.log.length).toBe(before);
    expect(state(h)).toBe('paused');
  });

  it('"Skip the items like these" ends the job with nothing more sent when every item is like them', async () => {
    const h = await harness({ items: 60, fault: everyWrite403, options: { refusalStreak: 5 } });
    await h.runner.start();
    await drive(h.clock, () => state(h) === 'paused', { journal: h.journal });
    const sent = h.fake.log.length;
    await h.runner.resolveRefusals('skip-like');
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(h.fake.log.length).toBe(sent);
    const p = h.runner.getProgress();
    expect(p.state).toBe('done');
    expect(p.counts.failed + p.counts.skipped).toBe(60);
    expect(h.runner.getItems().filter((i) => i.reason === 'like-refused').length).toBe(60 - p.counts.failed);
  });

  it('"Continue anyway" goes on and that code no longer pauses the job; the totals add up', async () => {
    const h = await harness({ items: 30, fault: everyWrite403, options: { refusalStreak: 5 } });
    await h.runner.start();
    await drive(h.clock, () => state(h) === 'paused', { journal: h.journal });
    await h.runner.resolveRefusals('continue');
    await drive(h.clock, ended(h), { journal: h.journal });
    expect(h.runner.getProgress()).toMatchObject({ state: 'done', counts: { failed: 30, applied: 0 } });
    expect(sentWrites(h)).toBe(30);
  });

  it('refusals mixed with successes never pause the job', async () => {
    // Every third item is refused: never five in a row.
    const h = await harness({ items: 60, fault: (r) => (r.kind === 'write' && r.key && Number(r.key.slice(1, 5)) % 3 === 0 ? { type: 'refuse', status: 403 } : null), options: { refusalStreak: 5 } });
    const states: string[] = [];
    h.runner.subscribe((p) => states.push(p.state));
    await runToEnd(h);
    expect(states).not.toContain('paused');
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 40, failed: 20 });
  });

  it('writes by PATCH when the job says so', async () => {
    const h = await harness({ items: 3, options: { method: 'patch' } });
    const methods: (string | undefined)[] = [];
    const inner = h.deps.platform.writeWrapup;
    h.deps.platform.writeWrapup = (m, c, p, i, input) => {
      methods.push(input.method);
      return inner(m, c, p, i, input);
    };
    await runToEnd(h);
    expect(methods).toEqual(['patch', 'patch', 'patch']);
  });
});

describe('BulkRunner: results pages', () => {
  it('itemsPage copies only one page of the items that pass the filter, and counts them all', async () => {
    const h = await harness({ items: 30 });
    await runToEnd(h);
    const all = h.runner.itemsPage(() => true, 0, 10);
    expect(all.total).toBe(30);
    expect(all.items.map((i) => i.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.runner.itemsPage(() => true, 25, 10).items.map((i) => i.seq)).toEqual([25, 26, 27, 28, 29]);
    expect(h.runner.itemsPage((s) => s === 'failed', 0, 10)).toEqual({ items: [], total: 0 });
    // Copies: changing one does not change the runner's item.
    all.items[0]!.status = 'failed';
    expect(h.runner.itemsPage((s) => s === 'failed', 0, 10).total).toBe(0);
  });
});

describe('BulkRunner: systematic refusals with nothing left to do', () => {
  it('a job whose last items are the K-th refusal ends instead of pausing (no choice left to ask for)', async () => {
    const h = await harness({ items: 5, fault: (r) => (r.kind === 'write' ? { type: 'refuse', status: 400 } : null), options: { refusalStreak: 5 } });
    const states: string[] = [];
    h.runner.subscribe((p) => states.push(p.state));
    await runToEnd(h);
    expect(states).not.toContain('paused');
    expect(h.runner.getProgress()).toMatchObject({ state: 'done', counts: { failed: 5 } });
  });
});
