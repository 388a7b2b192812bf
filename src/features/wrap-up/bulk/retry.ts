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

/**
 * Whether retrying a failed item may change its outcome (issue 15 item 4):
 * - `may-change`: its outcome is unknown (`unverified`), or it ran out of attempts on transient
 *   errors (5xx, timeouts, 429s): a retry may well succeed;
 * - `final`: the platform refused it (a 4xx about this write: permission, policy, code, window):
 *   the same write will be refused again unless something changed on the org. Retried only when
 *   the user includes them explicitly.
 */
export type RetryClass = 'may-change' | 'final';

export function retryClass(item: Pick<BulkItem, 'reason'>): RetryClass {
  return item.reason === 'refused' ? 'final' : 'may-change';
}

/** The failed items of a job by retry class: what the retry preview shows before anything is sent. */
export function retryPreview(items: readonly BulkItem[]): Record<RetryClass, BulkItem[]> {
  const out: Record<RetryClass, BulkItem[]> = { 'may-change': [], final: [] };
  for (const i of items) if (i.status === 'failed') out[retryClass(i)].push(i);
  return out;
}

/**
 * Items of an ended job made pending again for a new job (retry, continue), in their order: numbered
 * from 0, nothing counted, and what was observed marked stale (`at: 0`) so each is read before a write.
 */
export function pendingAgain(items: readonly BulkItem[], now: number, unknownOutcome: (item: BulkItem) => boolean): BulkItem[] {
  return items.map((i, seq) => ({
    ...i,
    seq,
    observed: { ...i.observed, at: 0 },
    status: 'pending',
    reason: null,
    message: null,
    attempts: 0,
    sends: 0,
    readFailures: 0,
    unknownOutcome: unknownOutcome(i),
    recheck: false,
    lastError: null,
    notBefore: 0,
    updatedAt: now,
  }));
}

export function retryFailedJob(
  job: BulkJob,
  items: readonly BulkItem[],
  meta: { id: string; now: number },
  choice: { includeFinal?: boolean } = {},
): { job: BulkJob; items: BulkItem[] } | null {
  const failed = items.filter((i) => i.status === 'failed' && (choice.includeFinal || retryClass(i) === 'may-change')).sort((a, b) => a.seq - b.seq);
  if (failed.length === 0) return null;
  // A write whose outcome was never settled stays "unknown" in the new job: it is read before any write.
  const next = pendingAgain(failed, meta.now, (i) => i.unknownOutcome || i.reason === 'unverified');
  return {
    job: { ...job, id: meta.id, createdAt: meta.now, state: 'ready', pause: null, counts: countItems(next), updatedAt: meta.now, retryOf: job.id },
    items: next,
  };
}
