import { describe, expect, it } from 'vitest';
import { countItems, type BulkItem, type BulkJob } from './model.ts';
import { retryClass, retryFailedJob, retryPreview } from './retry.ts';

function item(seq: number, status: BulkItem['status'], extra: Partial<BulkItem> = {}): BulkItem {
  return {
    key: `c${seq}/p/m`,
    seq,
    conversationId: `c${seq}`,
    participantId: 'p',
    communicationId: 'm',
    mediaType: 'voice',
    media: 'calls',
    queueId: 'q',
    userId: 'u',
    observed: { status: 'missing', codeId: null, at: 5 },
    plannedCode: null,
    status,
    reason: null,
    message: null,
    attempts: 2,
    sends: 3,
    readFailures: 1,
    unknownOutcome: false,
    recheck: false,
    lastError: { status: 400, code: 'bad.request', message: 'no', contextId: 'ctx' },
    notBefore: 9,
    updatedAt: 9,
    ...extra,
  };
}

const job: BulkJob = {
  id: 'j1',
  createdAt: 1,
  code: { id: 'code', name: 'Code' },
  notes: '',
  options: { replaceExisting: false, includeSystemCoded: false, verify: 'batched' },
  state: 'done',
  pause: null,
  counts: countItems([]),
  updatedAt: 1,
};

describe('retryFailedJob', () => {
  it('takes only failed items, resets attempts, keeps unknown outcomes for a re-read', () => {
    const items = [
      item(0, 'applied'),
      item(1, 'failed', { reason: 'refused' }),
      item(2, 'skipped'),
      item(3, 'failed', { reason: 'unverified', unknownOutcome: true }),
    ];
    const r = retryFailedJob(job, items, { id: 'j2', now: 100 }, { includeFinal: true })!;
    expect(r.job).toMatchObject({ id: 'j2', retryOf: 'j1', state: 'ready', code: job.code });
    expect(r.job.counts).toMatchObject({ selected: 2, pending: 2 });
    expect(r.items.map((i) => [i.conversationId, i.seq, i.status, i.attempts, i.sends, i.unknownOutcome, i.observed.at])).toEqual([
      ['c1', 0, 'pending', 0, 0, false, 0],
      ['c3', 1, 'pending', 0, 0, true, 0],
    ]);
  });

  it('by default retries only items whose outcome may change: never a final refusal unless included', () => {
    const items = [
      item(0, 'failed', { reason: 'refused' }), // a 400: the platform said no
      item(1, 'failed', { reason: 'attempts-exhausted', lastError: { status: 503, code: 'service.unavailable', message: 'x', contextId: 'c' } }),
      item(2, 'failed', { reason: 'unverified', unknownOutcome: true }),
      item(3, 'failed', { reason: 'refused', lastError: { status: 403, code: 'not.authorized', message: 'x', contextId: 'c' } }),
    ];
    expect(items.map(retryClass)).toEqual(['final', 'may-change', 'may-change', 'final']);
    const preview = retryPreview(items);
    expect(preview['may-change'].map((i) => i.seq)).toEqual([1, 2]);
    expect(preview.final.map((i) => i.seq)).toEqual([0, 3]);
    expect(retryFailedJob(job, items, { id: 'j2', now: 1 })!.items.map((i) => i.conversationId)).toEqual(['c1', 'c2']);
    expect(retryFailedJob(job, items, { id: 'j2', now: 1 }, { includeFinal: true })!.items).toHaveLength(4);
    // Only final refusals: nothing to retry unless the user includes them.
    expect(retryFailedJob(job, [items[0]!], { id: 'j2', now: 1 })).toBeNull();
  });

  it('is null when nothing failed', () => {
    expect(retryFailedJob(job, [item(0, 'applied')], { id: 'j2', now: 1 })).toBeNull();
  });
});
