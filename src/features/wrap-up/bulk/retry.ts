/**
 * "Retry failed items" (issue 7 item 6): a NEW job made of the failed items of an ended job, so
 * the first job's results stay as they were (history) and the retry has its own journal.
 *
 * Never twice: an item that failed as `unverified` (its last write's outcome is unknown, it may
 * have landed) keeps `unknownOutcome`, so the runner re-reads it live before any write. Every
 * other failed item starts pending with a stale observation, so the runner re-checks it
 * (batched) before writing; `plannedCode` is kept, so "replace" still only replaces the wrap-up
 * the user saw in the first preview.
 */
import { countItems, type BulkItem, type BulkJob } from './model.ts';

export function retryFailedJob(job: BulkJob, items: readonly BulkItem[], meta: { id: string; now: number }): { job: BulkJob; items: BulkItem[] } | null {
  const failed = items.filter((i) => i.status === 'failed').sort((a, b) => a.seq - b.seq);
  if (failed.length === 0) return null;
  const next: BulkItem[] = failed.map((i, seq) => ({
    ...i,
    seq,
    observed: { ...i.observed, at: 0 },
    status: 'pending',
    reason: null,
    message: null,
    attempts: 0,
    sends: 0,
    readFailures: 0,
    unknownOutcome: i.unknownOutcome || i.reason === 'unverified',
    recheck: false,
    lastError: null,
    notBefore: 0,
    updatedAt: meta.now,
  }));
  return {
    job: { ...job, id: meta.id, createdAt: meta.now, state: 'ready', pause: null, counts: countItems(next), updatedAt: meta.now, retryOf: job.id },
    items: next,
  };
}
