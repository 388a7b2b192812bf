import { describe, expect, it } from 'vitest';
import { countItems, type BulkItem, type BulkJob } from './model.ts';
import { continueStoppedJob, countUnwritten } from './continue-job.ts';

function item(seq: number, status: BulkItem['status'], reason: BulkItem['reason'], extra: Partial<BulkItem> = {}): BulkItem {
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
    reason,
    message: 'x',
    attempts: 0,
    sends: 0,
    readFailures: 0,
    unknownOutcome: false,
    recheck: false,
    lastError: null,
    notBefore: 0,
    updatedAt: 9,
    ...extra,
  };
}

const items = [
  item(0, 'applied', null),
  item(1, 'skipped', 'stopped', { names: { agentName: 'Ada', queueName: 'Billing' }, conversationStart: 1000 }),
  item(2, 'failed', 'unverified', { unknownOutcome: true }),
  item(3, 'skipped', 'active'),
  item(4, 'skipped', 'stopped', { plannedCode: 'old' }),
];
const job: BulkJob = {
  id: 'j1',
  createdAt: 1,
  code: { id: 'sale', name: 'Sale' },
  notes: 'n',
  options: { replaceExisting: true, includeSystemCoded: false, verify: 'batched' },
  state: 'stopped',
  pause: null,
  counts: countItems(items),
  updatedAt: 2,
  retryOf: 'j0',
};

describe('continue a stopped job (issue 16 item 2)', () => {
  it('counts the items the stop left unwritten: skipped as "stopped" only', () => {
    expect(countUnwritten(items)).toBe(2);
  });

  it('is a new job of exactly those items, pending, re-checked before any write, with their names, the code, notes and options', () => {
    const next = continueStoppedJob(job, items, { id: 'j2', now: 50 })!;
    expect(next.job).toMatchObject({ id: 'j2', createdAt: 50, state: 'ready', continueOf: 'j1', code: job.code, notes: 'n', options: job.options });
    expect(next.job).not.toHaveProperty('retryOf');
    expect(next.items.map((i) => i.conversationId)).toEqual(['c1', 'c4']);
    expect(next.items.map((i) => i.seq)).toEqual([0, 1]);
    expect(next.items.every((i) => i.status === 'pending' && i.reason === null && i.observed.at === 0 && !i.unknownOutcome)).toBe(true);
    expect(next.items[0]!.names).toEqual({ agentName: 'Ada', queueName: 'Billing' });
    expect(next.items[0]!.conversationStart).toBe(1000);
    // "Replace" still replaces only the wrap-up the first preview showed.
    expect(next.items[1]!.plannedCode).toBe('old');
    expect(next.job.counts).toMatchObject({ selected: 2, pending: 2 });
  });

  it('nothing for a job that is not stopped, or when nothing is left', () => {
    expect(continueStoppedJob({ ...job, state: 'done' }, items, { id: 'j2', now: 50 })).toBeNull();
    expect(continueStoppedJob(job, [items[0]!, items[2]!], { id: 'j2', now: 50 })).toBeNull();
  });
});
