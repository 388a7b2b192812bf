import { createJobLocks, LOCK_PREFIX, type StorageLike } from './job-lock.ts';
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
