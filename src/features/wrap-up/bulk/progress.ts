/**
 * Progress (issue 13: the runner in parts): the job's counts, kept incrementally, the items finished
 * in the last minute, and the snapshot the UI subscribes to (`BulkProgress`: rate, ETA, held by the
 * rate limit, how writes are checked). Issue 17: a progress event costs O(1) on average, never a
 * pass over every item (jobs of 20,000 items).
 */
import type { LimiterState } from '@/lib/genesys/rate-limiter.ts';
import { countItems, type BulkCounts, type BulkItem, type BulkJob, type ItemStatus } from './model.ts';
import type { BulkProgress, WatchState } from './runner-types.ts';

/** The window of the measured rate. */
export const RECENT_MS = 60_000;

const COUNT_KEY: Record<ItemStatus, Exclude<keyof BulkCounts, 'selected'>> = {
  pending: 'pending',
  'in-flight': 'inFlight',
  applied: 'applied',
  'already-coded': 'alreadyCoded',
  skipped: 'skipped',
  failed: 'failed',
};

export class ProgressCounter {
  /** The items' counts by status, up to date after every `setStatus`. */
  counts: BulkCounts;
  /** When items finished, oldest first; entries before `finishedFrom` have left the last minute. */
  private finishedAt: number[] = [];
  private finishedFrom = 0;

  constructor(items: readonly BulkItem[]) {
    this.counts = countItems(items);
  }

  /** Counts the items afresh (the job's items were replaced by the journal's). */
  recount(items: readonly BulkItem[]): void {
    this.counts = countItems(items);
  }

  /** The one way an item's status changes in the runner: the counts follow in O(1). */
  setStatus(item: BulkItem, status: ItemStatus): void {
    if (item.status === status) return;
    this.counts[COUNT_KEY[item.status]] -= 1;
    this.counts[COUNT_KEY[status]] += 1;
    item.status = status;
  }

  /** An item finished at `at` (kept in order even if a clock went back). */
  finished(at: number): void {
    this.finishedAt.push(Math.max(at, this.finishedAt[this.finishedAt.length - 1] ?? 0));
  }

  /**
   * How many items finished in the last minute before `now`. Drops from the front (the clock only
   * moves on), O(1) per call on average where a filter would pass over a minute's worth (a whole
   * fast job) on every progress event.
   */
  recent(now: number): number {
    while (this.finishedFrom < this.finishedAt.length && this.finishedAt[this.finishedFrom]! <= now - RECENT_MS) this.finishedFrom += 1;
    if (this.finishedFrom > 1024 && this.finishedFrom * 2 > this.finishedAt.length) {
      this.finishedAt = this.finishedAt.slice(this.finishedFrom);
      this.finishedFrom = 0;
    }
    return this.finishedAt.length - this.finishedFrom;
  }
}

export interface ProgressInput {
  job: BulkJob;
  counts: BulkCounts;
  requests: BulkProgress['requests'];
  /** Items finished in the last minute (`ProgressCounter.recent`). */
  recent: number;
  /** When the job last started running (the rate's span is shorter than a minute at first). */
  runningSince: number;
  limiter: LimiterState;
  now: number;
  watch: WatchState | null;
  /** Writes are verified by a live read each (careful mode, or events not yet proven). */
  perItem: boolean;
}

/** The snapshot for the UI (pure). */
export function progressOf(p: ProgressInput): BulkProgress {
  const { job, now, limiter } = p;
  const counts = { ...p.counts };
  const span = Math.min(RECENT_MS, Math.max(1, now - p.runningSince));
  const perMinute = p.recent >= 5 ? (p.recent / span) * 60_000 : null;
  const remaining = counts.pending + counts.inFlight;
  let etaMs: number | null = null;
  if (job.state === 'running') {
    if (remaining === 0) etaMs = 0;
    else {
      // About one request per item, so the budget caps the sustained rate (a fresh window bursts).
      const rate = Math.min(perMinute ?? limiter.budgetPerMinute, limiter.budgetPerMinute);
      etaMs = Math.round((remaining / rate) * 60_000) + Math.max(0, (limiter.pausedUntil ?? now) - now);
    }
  }
  const pausedUntil = limiter.pausedUntil;
  const heldUntil = job.state === 'running' && pausedUntil !== null && pausedUntil - now > 10_000 ? pausedUntil : null;
  const checking = job.options.verify === 'per-item' ? 'careful' : p.perItem ? 'each' : 'watch';
  return { jobId: job.id, state: job.state, pause: job.pause, counts, requests: { ...p.requests }, perMinute, etaMs, watch: p.watch, heldUntil, checking };
}
