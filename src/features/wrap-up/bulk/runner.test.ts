// The common path, unknown outcomes, refusals, 429/Retry-After and 401 run against the simulated org in runner.sim.test.ts.
import { ApiError } from '@/lib/genesys/api-error.ts';
import { BulkRunner } from './runner.ts';
import { createJobLocks } from './job-lock.ts';
import { drive, flushIO, harness, JOB_CODE, maxInWindow, MemoryJournal, OTHER_CODE, T0, type Fault } from './test-support.ts';

type H = Awaited<ReturnType<typeof harness>>;

const ended = (h: H) => () => ['done', 'stopped'].includes(h.runner.getProgress().state);
const state = (h: H) => h.runner.getProgress().state;
const byKey = (h: H) => new Map(h.runner.getItems().map((i) => [i.key, i]));
const runnerRequests = (h: H) => h.fake.log.slice(h.planRequests);

async function runToEnd(h: H) {
  await h.runner.start();
  await drive(h.clock, ended(h), { journal: h.journal });
}

/** Fault on the given write numbers of the given items. */
function writeFaults(map: Record<string, Record<number, Fault>>): (r: { kind: string; key: string | null; writeNo: number }) => Fault | null {
  return (r) => (r.kind === 'write' && r.key ? (map[r.key]?.[r.writeNo] ?? null) : null);
}

describe('BulkRunner: the common path', () => {
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
      items: [
        { code: OTHER_CODE.id },
        { code: 'ININ-WRAP-UP-TIMEOUT' },
        { active: true },
        { inAcw: true },
        { mediaType: 'chat' },
        { queueId: 'q2' },
        { code: JOB_CODE.id },
        {},
      ],
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
    expect(
      runnerRequests(h)
        .filter((r) => r.kind === 'write')
        .map((r) => r.key),
    ).toEqual([h.keys[7]]);
    expect(h.fake.current(h.keys[0]!)).toBe(OTHER_CODE.id);
  });
});

describe('BulkRunner: agents wrapping up during the run (checklist #22)', () => {
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
      if (key === unsentKey && (reads.get(key) ?? 0) <= 3)
        return Promise.reject(new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'cancelled', sent: false }));
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
});

describe('BulkRunner: session (checklist #17)', () => {
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
    expect(
      h.runner
        .getItems()
        .filter((i) => i.status === 'skipped')
        .every((i) => i.reason === 'stopped'),
    ).toBe(true);
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
    const runner = (await BulkRunner.open('job-1', {
      ...h.deps,
      platform: h.fake.port,
      journal: mem,
      locks: createJobLocks({ locks: h.lockManager.forTab('tab-2') }),
    }))!;
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
  const everyWrite403: (r: { kind: string; key: string | null; writeNo: number }) => Fault | null = (r) =>
    r.kind === 'write' ? { type: 'refuse', status: 403 } : null;
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
    const h = await harness({
      items: 60,
      fault: (r) => (r.kind === 'write' && r.key && Number(r.key.slice(1, 5)) % 3 === 0 ? { type: 'refuse', status: 403 } : null),
      options: { refusalStreak: 5 },
    });
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
