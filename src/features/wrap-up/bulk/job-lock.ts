/**
 * One runner per job across tabs (checklist #19).
 *
 * With Web Locks (`navigator.locks`, every current browser): `request(name, {ifAvailable: true})`
 * gives the lock or `null` at once; the browser releases it when the holder releases it or its tab
 * closes or crashes, so a dead tab never blocks a job.
 *
 * Fallback without Web Locks (old browsers, some embedded webviews): a lease in localStorage
 * `{owner, expiresAt}`, renewed every `leaseMs / 3` while held. A crashed tab's lease runs out
 * after `leaseMs`. Best effort: localStorage has no compare-and-set, so two tabs starting the same
 * job within the same few milliseconds could both win; the write after read is re-checked once to
 * narrow that window. The journal and the re-read-before-retry rule still keep every item from
 * being written twice by one runner; two runners at once is what the lock is for.
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

/** The part of `LockManager` used here (so a fake can stand in for tests). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
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

export function createJobLocks(env: JobLocksEnv = {}): JobLocks {
  const locks = env.locks === undefined ? defaultLocks() : env.locks;
  if (locks) return webLocks(locks);
  const storage = env.storage === undefined ? defaultStorage() : env.storage;
  return leaseLocks(storage, env.clock ?? systemClock, env.ownerId ?? randomId(), env.leaseMs ?? DEFAULT_LEASE_MS);
}

function webLocks(locks: LockManagerLike): JobLocks {
  return {
    acquire: (jobId) =>
      new Promise<JobLock | null>((resolve, reject) => {
        locks
          .request(`${LOCK_PREFIX}${jobId}`, { ifAvailable: true }, (lock) => {
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
          .catch(reject);
      }),
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

function leaseLocks(storage: StorageLike | null, clock: Clock, owner: string, leaseMs: number): JobLocks {
  return {
    acquire: (jobId) => {
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
        timer = clock.setTimeout(() => {
          if (released) return;
          if (readLease(storage, key)?.owner !== owner) return; // taken over after we stalled
          write();
          renew();
        }, Math.max(1, Math.floor(leaseMs / 3)));
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
    },
  };
}
