/**
 * One runner per job across tabs (checklist #19).
 *
 * With Web Locks (`navigator.locks`, every current browser): `acquire` asks with `ifAvailable` and
 * gets the lock or `null` at once. A tab that saw the job run elsewhere `waitFor`s it: a queued
 * request that the browser grants when the holder releases the lock or its tab closes or crashes,
 * so a takeover needs no polling and a dead tab never blocks a job. The granted lock is handed to
 * this tab's next `acquire` of that job (the runner's), so no other tab slips in between.
 *
 * Fallback, only where Web Locks is missing (old browsers, some embedded webviews): a lease in
 * localStorage `{owner, expiresAt}`, renewed every `leaseMs / 3` while held; a crashed tab's lease
 * runs out after `leaseMs`, and `waitFor` looks at the lease at that pace. Best effort:
 * localStorage has no compare-and-set, so two tabs starting the same job within the same few
 * milliseconds could both win; the write after read is re-checked once to narrow that window. The
 * journal and the re-read-before-retry rule still keep every item from being written twice by one
 * runner; two runners at once is what the lock is for.
 */
import { systemClock, type Clock } from '@/lib/genesys/rate-limiter.ts';

export interface JobLock {
  readonly mode: 'web-locks' | 'lease';
  release(): void;
}

export interface JobLocks {
  /** The lock for this job, or null when another tab holds it. */
  acquire(jobId: string): Promise<JobLock | null>;
}

/** A lock granted to a waiting tab, kept for its next `acquire`. */
export interface Handover {
  /** Gives the lock back unless `acquire` has claimed it (then the claimer releases it). */
  release(): void;
}

export interface TabJobLocks extends JobLocks {
  /**
   * Waits until this tab may hold the job's lock (the holder released it or its tab died). The
   * lock is then held for this tab's next `acquire(jobId)`; call the handover's `release` once done
   * with it. Rejects with the signal's reason when aborted while waiting.
   */
  waitFor(jobId: string, signal: AbortSignal): Promise<Handover>;
}

/** The part of `LockManager` used here (so a fake can stand in for tests). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface JobLocksEnv {
  locks?: LockManagerLike | null;
  storage?: StorageLike | null;
  clock?: Clock;
  /** This tab's id (random by default). */
  ownerId?: string;
  leaseMs?: number;
}

export const LOCK_PREFIX = 'wrapup-desk.bulk-job.';
export const DEFAULT_LEASE_MS = 15_000;

function defaultLocks(): LockManagerLike | null {
  const nav = globalThis.navigator as (Navigator & { locks?: LockManagerLike }) | undefined;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : null;
}

function defaultStorage(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled
  }
}

function randomId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function createJobLocks(env: JobLocksEnv = {}): TabJobLocks {
  const locks = env.locks === undefined ? defaultLocks() : env.locks;
  const handed = new Map<string, JobLock>();
  const base = locks
    ? webLocks(locks)
    : leaseLocks(
        env.storage === undefined ? defaultStorage() : env.storage,
        env.clock ?? systemClock,
        env.ownerId ?? randomId(),
        env.leaseMs ?? DEFAULT_LEASE_MS,
      );
  return {
    acquire: (jobId) => {
      const waiting = handed.get(jobId);
      if (waiting) {
        handed.delete(jobId);
        return Promise.resolve(waiting);
      }
      return base.acquire(jobId);
    },
    waitFor: async (jobId, signal) => {
      const lock = await base.waitFor(jobId, signal);
      handed.get(jobId)?.release(); // a second wait for the same job: keep one lock
      handed.set(jobId, lock);
      return {
        release: () => {
          if (handed.get(jobId) !== lock) return; // claimed by acquire, or replaced
          handed.delete(jobId);
          lock.release();
        },
      };
    },
  };
}

interface BaseLocks {
  acquire(jobId: string): Promise<JobLock | null>;
  waitFor(jobId: string, signal: AbortSignal): Promise<JobLock>;
}

function webLocks(locks: LockManagerLike): BaseLocks {
  const request = (jobId: string, options: { ifAvailable?: boolean; signal?: AbortSignal }) =>
    new Promise<JobLock | null>((resolve, reject) => {
      locks
        .request(`${LOCK_PREFIX}${jobId}`, options, (lock) => {
          if (!lock) {
            resolve(null);
            return Promise.resolve();
          }
          // Held until release() resolves the promise the callback returned.
          return new Promise<void>((releaseLock) => {
            let released = false;
            resolve({
              mode: 'web-locks',
              release: () => {
                if (released) return;
                released = true;
                releaseLock();
              },
            });
          });
        })
        .catch(reject); // an aborted queued request rejects with the signal's reason
    });
  return {
    acquire: (jobId) => request(jobId, { ifAvailable: true }),
    waitFor: async (jobId, signal) => {
      const lock = await request(jobId, { signal });
      // A queued request is never answered with null; only a stand-in that ignores queuing does.
      if (!lock) throw new Error(`lock for job ${jobId} was not granted`);
      return lock;
    },
  };
}

interface Lease {
  owner: string;
  expiresAt: number;
}

function readLease(storage: StorageLike, key: string): Lease | null {
  try {
    const v = JSON.parse(storage.getItem(key) ?? 'null') as unknown;
    if (v && typeof v === 'object' && typeof (v as Lease).owner === 'string' && typeof (v as Lease).expiresAt === 'number') return v as Lease;
  } catch {
    // a damaged entry counts as no lease
  }
  return null;
}

function leaseLocks(storage: StorageLike | null, clock: Clock, owner: string, leaseMs: number): BaseLocks {
  const acquire = (jobId: string): Promise<JobLock | null> => {
    // No storage at all (private mode with storage disabled): one tab is all there can be.
    if (!storage) return Promise.resolve({ mode: 'lease' as const, release: () => undefined });
    const key = `${LOCK_PREFIX}${jobId}`;
    const held = readLease(storage, key);
    if (held && held.owner !== owner && held.expiresAt > clock.now()) return Promise.resolve(null);
    const write = () => storage.setItem(key, JSON.stringify({ owner, expiresAt: clock.now() + leaseMs } satisfies Lease));
    write();
    // Re-check: another tab that wrote in between wins, we back off.
    if (readLease(storage, key)?.owner !== owner) return Promise.resolve(null);
    let released = false;
    let timer: unknown = null;
    const renew = () => {
      timer = clock.setTimeout(
        () => {
          if (released) return;
          if (readLease(storage, key)?.owner !== owner) return; // taken over after we stalled
          write();
          renew();
        },
        Math.max(1, Math.floor(leaseMs / 3)),
      );
    };
    renew();
    return Promise.resolve({
      mode: 'lease' as const,
      release: () => {
        if (released) return;
        released = true;
        if (timer !== null) clock.clearTimeout(timer);
        if (readLease(storage, key)?.owner === owner) storage.removeItem(key);
      },
    });
  };
  return {
    acquire,
    // Without a lock queue the lease is looked at as often as it is renewed.
    waitFor: (jobId, signal) =>
      new Promise<JobLock>((resolve, reject) => {
        let timer: unknown = null;
        const onAbort = () => {
          if (timer !== null) clock.clearTimeout(timer);
          reject(signal.reason as Error);
        };
        const attempt = () => {
          timer = null;
          void acquire(jobId).then((lock) => {
            if (signal.aborted) {
              lock?.release();
              return;
            }
            if (lock) {
              signal.removeEventListener('abort', onAbort);
              resolve(lock);
            } else timer = clock.setTimeout(attempt, Math.max(1, Math.floor(leaseMs / 3)));
          });
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        attempt();
      }),
  };
}
