/**
 * Small fixtures for the unit tests of the runner's parts (gate, freshness, item step, re-check,
 * progress): a plain item and a hand-moved clock. No org, no journal, no runner.
 */
import type { Clock } from '@/lib/genesys/rate-limiter.ts';
import { DEFAULT_JOB_OPTIONS, itemKey, type BulkItem, type BulkJob } from './model.ts';

export const T0 = 1_700_000_000_000;

/** A pending voice item of conversation `c<n>`, observed missing by analytics at `T0`. */
export function partItem(n: number, over: Partial<BulkItem> = {}): BulkItem {
  const conversationId = `c${n}`;
  return {
    key: itemKey(conversationId, 'p', 's'),
    seq: n,
    conversationId,
    participantId: 'p',
    communicationId: 's',
    mediaType: 'voice',
    media: 'calls',
    queueId: 'q',
    userId: 'u',
    observed: { status: 'missing', codeId: null, at: T0 },
    plannedCode: null,
    status: 'pending',
    reason: null,
    message: null,
    attempts: 0,
    sends: 0,
    readFailures: 0,
    unknownOutcome: false,
    recheck: false,
    lastError: null,
    notBefore: 0,
    updatedAt: T0,
    ...over,
  };
}

/** A clock the test moves by hand (timers run when `set` passes them). */
export function handClock(start = T0): Clock & { set(t: number): void } {
  let t = start;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => t,
    setTimeout: (fn, ms) => {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (h) => void (timers = timers.filter((x) => x !== h)),
    set(next: number) {
      t = next;
      const due = timers.filter((x) => x.at <= t);
      timers = timers.filter((x) => x.at > t);
      for (const x of due) x.fn();
    },
  };
}

/** A job record around the part under test (only what the parts read). */
export function partJob(over: Partial<BulkJob> = {}): BulkJob {
  return {
    id: 'job',
    createdAt: T0,
    code: { id: 'w-ours', name: 'Ours' },
    notes: '',
    options: { ...DEFAULT_JOB_OPTIONS },
    state: 'running',
    pause: null,
    counts: { selected: 0, pending: 0, inFlight: 0, applied: 0, alreadyCoded: 0, skipped: 0, failed: 0 },
    updatedAt: T0,
    ...over,
  };
}
