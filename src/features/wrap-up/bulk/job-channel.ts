/**
 * Tells the other tabs of this browser that a job's journal changed (checklist #19): a tab that
 * shows a job another tab runs re-reads the journal when told, instead of polling it.
 *
 * `BroadcastChannel` where there is one (every current browser); otherwise the `storage` event of
 * localStorage, which other tabs of the same origin also receive. Without either, a tab that
 * watches another's job sees its state when it takes the job over (the lock still works).
 */
import { systemClock, type Clock } from '@/lib/genesys/rate-limiter.ts';
import type { BulkJournal } from './journal.ts';
import type { BulkJob, JobState } from './model.ts';

export interface JobMessage {
  jobId: string;
  /** The job's state as journaled, when the job record itself changed; absent for item changes. */
  state?: JobState;
  /** The job was deleted from the journal. */
  removed?: true;
}

export interface JobChannel {
  post(message: JobMessage): void;
  subscribe(listener: (message: JobMessage) => void): () => void;
  close(): void;
}

export const JOB_CHANNEL_NAME = 'wrapup-desk.bulk-jobs';

interface ChannelEnv {
  BroadcastChannel?: typeof BroadcastChannel | null;
  /** For the fallback: where the `storage` event is heard, and the storage it is about. */
  window?: Pick<Window, 'addEventListener' | 'removeEventListener'> | null;
  storage?: Pick<Storage, 'setItem' | 'removeItem'> | null;
}

function isJobMessage(v: unknown): v is JobMessage {
  return !!v && typeof v === 'object' && typeof (v as JobMessage).jobId === 'string';
}

export function createJobChannel(env: ChannelEnv = {}): JobChannel {
  const Channel = env.BroadcastChannel === undefined ? globalThis.BroadcastChannel : env.BroadcastChannel;
  const listeners = new Set<(m: JobMessage) => void>();
  const deliver = (data: unknown) => {
    if (isJobMessage(data)) for (const l of listeners) l(data);
  };
  if (Channel) {
    const channel = new Channel(JOB_CHANNEL_NAME);
    channel.onmessage = (e: MessageEvent) => deliver(e.data);
    return {
      post: (m) => channel.postMessage(m),
      subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
      close: () => {
        listeners.clear();
        channel.close();
      },
    };
  }
  return storageChannel(env, listeners, deliver);
}

/** The fallback: a message is a write of a key other tabs hear as a `storage` event. */
function storageChannel(env: ChannelEnv, listeners: Set<(m: JobMessage) => void>, deliver: (data: unknown) => void): JobChannel {
  const win = env.window === undefined ? (globalThis.window ?? null) : env.window;
  let storage: ChannelEnv['storage'] = null;
  try {
    storage = env.storage === undefined ? (globalThis.localStorage ?? null) : env.storage;
  } catch {
    storage = null; // storage disabled
  }
  const onStorage = (e: Event) => {
    const { key, newValue } = e as StorageEvent;
    if (key !== JOB_CHANNEL_NAME || !newValue) return;
    try {
      deliver((JSON.parse(newValue) as { m?: unknown }).m);
    } catch {
      // not ours
    }
  };
  win?.addEventListener('storage', onStorage);
  let n = 0;
  return {
    post: (m) => {
      try {
        // A counter makes every write a change (the event fires only when the value changes).
        storage?.setItem(JOB_CHANNEL_NAME, JSON.stringify({ m, n: (n += 1), at: Date.now() }));
      } catch {
        // storage full or disabled: the other tabs learn at takeover
      }
    },
    subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
    close: () => {
      listeners.clear();
      win?.removeEventListener('storage', onStorage);
    },
  };
}

/** Item changes of one job are announced at most this often (a job saves items many times a second). */
export const ANNOUNCE_MS = 500;

/**
 * The journal, announcing each change once it is stored (so a tab told reads what was told):
 * a change of the job's state at once, item changes at most every `ms` per job (the last one
 * always goes out).
 */
export function announcingJournal(
  journal: BulkJournal,
  channel: Pick<JobChannel, 'post'>,
  opts: { ms?: number; clock?: Pick<Clock, 'setTimeout' | 'clearTimeout'> } = {},
): BulkJournal {
  const ms = opts.ms ?? ANNOUNCE_MS;
  const clock = opts.clock ?? systemClock;
  const lastState = new Map<string, JobState>();
  const timers = new Map<string, { timer: unknown; dirty: boolean }>();
  const items = (jobId: string) => {
    const t = timers.get(jobId);
    if (t) {
      t.dirty = true;
      return;
    }
    channel.post({ jobId });
    const tick = () => {
      const cur = timers.get(jobId);
      if (!cur?.dirty) return void timers.delete(jobId);
      cur.dirty = false;
      channel.post({ jobId });
      cur.timer = clock.setTimeout(tick, ms);
    };
    timers.set(jobId, { timer: clock.setTimeout(tick, ms), dirty: false });
  };
  const job = (j: BulkJob) => {
    if (lastState.get(j.id) === j.state) return items(j.id);
    lastState.set(j.id, j.state);
    channel.post({ jobId: j.id, state: j.state });
  };
  return {
    create: async (j, list) => {
      await journal.create(j, list);
      job(j);
    },
    saveJob: async (j) => {
      await journal.saveJob(j);
      job(j);
    },
    saveItem: async (jobId, item) => {
      await journal.saveItem(jobId, item);
      items(jobId);
    },
    saveItems: async (jobId, list) => {
      await journal.saveItems(jobId, list);
      if (list.length > 0) items(jobId);
    },
    load: (jobId) => journal.load(jobId),
    listJobs: () => journal.listJobs(),
    remove: async (jobId) => {
      await journal.remove(jobId);
      const t = timers.get(jobId);
      if (t) clock.clearTimeout(t.timer);
      timers.delete(jobId);
      lastState.delete(jobId);
      channel.post({ jobId, removed: true });
    },
  };
}
