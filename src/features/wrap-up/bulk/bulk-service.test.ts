/**
 * Two tabs of one browser, each with its own bulk service, sharing the journal (IndexedDB), the
 * Web Locks queue and the BroadcastChannel (checklist #19): one runs the job, the other follows it
 * when told and takes it over when the first tab dies, without polling.
 */
import { createBulkService, type BulkService, type BulkWiring, type JobEntry } from './bulk-service.ts';
import { ANNOUNCE_MS } from './job-channel.ts';
import { createJobLocks, LOCK_PREFIX } from './job-lock.ts';
import type { StoredJob } from './journal.ts';
import { ChannelBus, QueuedLockManager } from './lock-fakes.ts';
import { drive, FakeSession, flushIO, harness, JOB_CODE, MemoryJournal, TabJournal, tabPlatform } from './test-support.ts';

class CountingJournal extends TabJournal {
  loads = 0;
  override load(jobId: string): Promise<StoredJob | undefined> {
    this.loads += 1;
    return super.load(jobId);
  }
}

async function twoTabs(items = 30) {
  const h = await harness({ items, latency: () => 1_000 });
  const shared = new MemoryJournal();
  const locks = new QueuedLockManager();
  const bus = new ChannelBus();
  const tab = (name: string) => {
    const journal = new CountingJournal(shared);
    const platform = tabPlatform(h.fake.port);
    const ended: string[] = [];
    const changed = vi.fn();
    const service: BulkService = createBulkService({
      journal,
      locks: createJobLocks({ locks: locks.forTab(name) }),
      channel: () => bus.forTab(),
      runnerDeps: { platform: platform.port, limiter: h.limiter, clock: h.clock, random: () => 0.5, createWatch: () => h.fake.createWatch({}) },
      newId: () => 'job-x',
    });
    const wiring: BulkWiring = { session: new FakeSession(), onWrite: () => undefined, onJobEnded: (id) => ended.push(id), onJobsChanged: changed };
    service.connect(wiring);
    return { service, journal, platform, ended, changed, name };
  };
  return { h, locks, bus, a: tab('a'), b: tab('b') };
}

async function settled<T>(t: Awaited<ReturnType<typeof twoTabs>>, p: Promise<T>, journal: { pending: number }): Promise<T> {
  let out: { v: T } | undefined;
  void p.then((v) => (out = { v }));
  await drive(t.h.clock, () => out !== undefined, { journal });
  return out!.v;
}

const applied = (e: JobEntry) => e.runner.getProgress().counts.applied;

describe('bulk service across tabs', () => {
  it('the second tab follows the first tab’s job when told, takes it over when that tab dies, each item written once', async () => {
    const t = await twoTabs();
    const { h, a, b } = t;
    const id = await settled(t, a.service.startJob(h.plan, { code: JOB_CODE, notes: '' }), a.journal);
    const runningA = (await a.service.open(id))!;
    await drive(h.clock, () => applied(runningA) >= 3, { journal: a.journal });

    const entryB = (await settled(t, b.service.open(id), b.journal))!;
    expect(entryB.lockedElsewhere).toBe(true);
    expect(t.locks.waiting(`${LOCK_PREFIX}${id}`)).toBe(1); // queued for the lock, not polling
    const seenByB = applied(entryB);

    // Tab a goes on; every stored change is announced and b reads the journal again.
    await drive(h.clock, () => applied(runningA) >= seenByB + 5, { journal: a.journal });
    await h.clock.advanceBy(ANNOUNCE_MS, () => flushIO(b.journal)); // the last change of a window goes out at its end
    expect(applied(entryB)).toBeGreaterThanOrEqual(seenByB + 5);
    expect(b.changed).toHaveBeenCalled(); // the history list is told too

    // Tab a dies mid-job: its lock goes with it and b takes over, as a reload would.
    a.platform.crash();
    a.journal.crash();
    t.locks.crash('a');
    await drive(h.clock, () => entryB.runner.getProgress().state === 'done', { journal: b.journal });
    expect(entryB.lockedElsewhere).toBe(false);
    expect(entryB.holding).toBe(true);
    const planned = h.plan.items.filter((i) => i.observed.codeId === null && i.media !== null);
    expect(applied(entryB)).toBe(planned.length);
    for (const i of planned) {
      expect(h.fake.current(i.key)).toBe(JOB_CODE.id);
      expect(h.fake.runnerWrites(i.key).length).toBeLessThanOrEqual(1);
    }
    expect(b.ended).toEqual([id]); // the worklist's queries are invalidated once
    expect(a.ended).toEqual([]);
    b.service.dispose();
  }, 30_000);

  it('a job paused in the other tab: nothing is read while nothing changes; its end reaches this tab (and its worklist) at once', async () => {
    const t = await twoTabs(12);
    const { h, a, b } = t;
    const id = await settled(t, a.service.startJob(h.plan, { code: JOB_CODE, notes: '' }), a.journal);
    const entryA = (await a.service.open(id))!;
    await drive(h.clock, () => applied(entryA) >= 2, { journal: a.journal });
    const entryB = (await settled(t, b.service.open(id), b.journal))!;
    expect(entryB.lockedElsewhere).toBe(true);
    await a.service.act(entryA, 'pause');
    await drive(h.clock, () => entryA.runner.getProgress().state === 'paused', { journal: a.journal });
    // The calls in flight finish and are stored (and announced); then nothing changes.
    await h.clock.advanceBy(30_000, () => flushIO(a.journal));
    await flushIO(b.journal);
    expect(entryB.runner.getProgress().state).toBe('paused');
    const loads = b.journal.loads;
    await h.clock.advanceBy(120_000, () => flushIO(b.journal));
    expect(b.journal.loads).toBe(loads); // no timer reads the journal in tab b
    expect(entryB.runner.getProgress().state).toBe('paused');

    // Tab a stops the job: b hears it, and gets the lock once a has let it go.
    await settled(t, a.service.act(entryA, 'stop'), a.journal);
    await flushIO(b.journal);
    await drive(h.clock, () => !entryB.lockedElsewhere, { journal: b.journal, onIdle: () => false });
    expect(entryB.runner.getProgress().state).toBe('stopped');
    expect(a.ended).toEqual([id]);
    expect(b.ended).toEqual([id]);
    expect(t.locks.held.size).toBe(0);
    a.service.dispose();
    b.service.dispose();
  }, 30_000);
});
