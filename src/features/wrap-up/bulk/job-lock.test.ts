import { createJobLocks, LOCK_PREFIX, type Handover, type StorageLike } from './job-lock.ts';
import { QueuedLockManager } from './lock-fakes.ts';
import { FakeLockManager, VirtualClock } from './test-support.ts';

class MemoryStorage implements StorageLike {
  map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

describe('job locks with Web Locks', () => {
  it('one holder per job; others get null at once; released on release() or when the tab dies', async () => {
    const m = new FakeLockManager();
    const a = createJobLocks({ locks: m.forTab('a') });
    const b = createJobLocks({ locks: m.forTab('b') });
    const lock = await a.acquire('job-1');
    expect(lock?.mode).toBe('web-locks');
    expect(await b.acquire('job-1')).toBeNull();
    expect(await b.acquire('job-2')).not.toBeNull(); // other jobs are independent
    lock!.release();
    lock!.release(); // idempotent
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    const again = await b.acquire('job-1');
    expect(again).not.toBeNull();
    m.crash('b');
    await new Promise((r) => setTimeout(r, 0));
    expect(await a.acquire('job-1')).not.toBeNull();
  });
});

describe('job locks without Web Locks (lease fallback)', () => {
  it('a live lease blocks other tabs; it is renewed while held; a dead tab’s lease runs out', async () => {
    const storage = new MemoryStorage();
    const clock = new VirtualClock();
    const a = createJobLocks({ locks: null, storage, clock, ownerId: 'a', leaseMs: 15_000 });
    const b = createJobLocks({ locks: null, storage, clock, ownerId: 'b', leaseMs: 15_000 });
    const lock = await a.acquire('job-1');
    expect(lock?.mode).toBe('lease');
    expect(await b.acquire('job-1')).toBeNull();
    await clock.advanceBy(60_000); // renewals keep it alive
    expect(await b.acquire('job-1')).toBeNull();
    lock!.release();
    expect(storage.map.has(`${LOCK_PREFIX}job-1`)).toBe(false);
    const lockB = await b.acquire('job-1');
    expect(lockB).not.toBeNull();
    // Tab b dies without releasing: its timers stop (simulated by a stale entry) and the lease expires.
    storage.setItem(`${LOCK_PREFIX}job-2`, JSON.stringify({ owner: 'dead', expiresAt: clock.now() + 15_000 }));
    expect(await a.acquire('job-2')).toBeNull();
    await clock.advanceBy(15_001);
    expect(await a.acquire('job-2')).not.toBeNull();
  });

  it('without any storage there can only be this tab', async () => {
    const locks = createJobLocks({ locks: null, storage: null });
    expect(await locks.acquire('x')).not.toBeNull();
  });
});

describe('waiting for a job run in another tab (takeover)', () => {
  const name = `${LOCK_PREFIX}job-1`;
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('a queued request is granted when the holding tab dies, and handed to this tab’s next acquire', async () => {
    const m = new QueuedLockManager();
    const a = createJobLocks({ locks: m.forTab('a') });
    const b = createJobLocks({ locks: m.forTab('b') });
    const c = createJobLocks({ locks: m.forTab('c') });
    expect(await a.acquire('job-1')).not.toBeNull();
    let handover: Handover | undefined;
    void b.waitFor('job-1', new AbortController().signal).then((h) => (handover = h));
    await settle();
    expect(handover).toBeUndefined(); // a still runs the job: b waits, nothing is polled
    expect(m.waiting(name)).toBe(1);
    m.crash('a');
    await settle();
    expect(handover).toBeDefined();
    expect(m.held.get(name)).toBe('b');
    // No other tab slips in between the grant and b's runner taking the lock.
    expect(await c.acquire('job-1')).toBeNull();
    const lock = await b.acquire('job-1');
    expect(lock?.mode).toBe('web-locks');
    handover!.release(); // claimed by acquire: this changes nothing
    await settle();
    expect(m.held.get(name)).toBe('b');
    lock!.release();
    await settle();
    expect(m.held.has(name)).toBe(false);
  });

  it('an unclaimed handover is given back; an aborted wait leaves the queue and rejects', async () => {
    const m = new QueuedLockManager();
    const a = createJobLocks({ locks: m.forTab('a') });
    const b = createJobLocks({ locks: m.forTab('b') });
    const first = await a.acquire('job-1');
    const handover = b.waitFor('job-1', new AbortController().signal);
    first!.release(); // the job ended in tab a
    const h = await handover;
    expect(m.held.get(name)).toBe('b');
    h.release();
    await settle();
    expect(m.held.has(name)).toBe(false);
    expect(await a.acquire('job-1')).not.toBeNull(); // free again for anyone

    const stop = new AbortController();
    const waiting = b.waitFor('job-1', stop.signal);
    await settle();
    expect(m.waiting(name)).toBe(1);
    stop.abort(new Error('page closed'));
    await expect(waiting).rejects.toThrow('page closed');
    expect(m.waiting(name)).toBe(0);
  });
});

describe('waiting without Web Locks (lease fallback)', () => {
  it('looks at the lease as often as it is renewed and takes it once the holder’s lease ran out', async () => {
    const storage = new MemoryStorage();
    const clock = new VirtualClock();
    const a = createJobLocks({ locks: null, storage, clock, ownerId: 'a', leaseMs: 15_000 });
    const b = createJobLocks({ locks: null, storage, clock, ownerId: 'b', leaseMs: 15_000 });
    const held = await a.acquire('job-1');
    let handover: Handover | undefined;
    void b.waitFor('job-1', new AbortController().signal).then((h) => (handover = h));
    await clock.advanceBy(60_000, () => Promise.resolve());
    expect(handover).toBeUndefined(); // a renews its lease
    held!.release();
    await clock.advanceBy(5_000, () => Promise.resolve());
    expect(handover).toBeDefined();
    expect(JSON.parse(storage.getItem(`${LOCK_PREFIX}job-1`)!)).toMatchObject({ owner: 'b' });
    expect((await b.acquire('job-1'))?.mode).toBe('lease');

    const stop = new AbortController();
    const c = createJobLocks({ locks: null, storage, clock, ownerId: 'c', leaseMs: 15_000 });
    const waiting = c.waitFor('job-1', stop.signal);
    stop.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(clock.pending).toBe(1); // only b's renewal is left: c stopped looking
  });
});
