/**
 * "Continue" a stopped job (issue 16 item 2): a NEW job of the items the stop left unwritten
 * (skipped with reason `stopped`), like "retry failed items" (retry.ts), so the stopped job's
 * results stay as they were. The runner cannot take a stopped job back (`start()` answers
 * 'finished' for it): a stop is final in the journal, and the continuing job has its own.
 *
 * Never twice: every item starts pending with a stale observation, so the runner re-checks it
 * (batched, or a live read in careful mode) before writing; an item someone coded meanwhile, or
 * that an earlier "continue" already wrote, ends as already coded. `plannedCode` is kept, so
 * "replace" still only replaces the wrap-up the user saw in the first preview.
 */
import { countItems, type BulkItem, type BulkJob } from './model.ts';
import { pendingAgain } from './retry.ts';

/** An item the stop left unwritten (nothing was sent for it, or nothing that could have landed). */
export function isUnwritten(item: Pick<BulkItem, 'status' | 'reason'>): boolean {
  return item.status === 'skipped' && item.reason === 'stopped';
}

export function countUnwritten(items: readonly Pick<BulkItem, 'status' | 'reason'>[]): number {
  let n = 0;
  for (const it of items) if (isUnwritten(it)) n += 1;
  return n;
}

export function continueStoppedJob(job: BulkJob, items: readonly BulkItem[], meta: { id: string; now: number }): { job: BulkJob; items: BulkItem[] } | null {
  if (job.state !== 'stopped') return null;
  const left = items.filter(isUnwritten).sort((a, b) => a.seq - b.seq);
  if (left.length === 0) return null;
  const next = pendingAgain(left, meta.now, () => false);
  const { retryOf: _retryOf, ...rest } = job;
  return {
    job: { ...rest, id: meta.id, createdAt: meta.now, state: 'ready', pause: null, counts: countItems(next), updatedAt: meta.now, continueOf: job.id },
    items: next,
  };
}
