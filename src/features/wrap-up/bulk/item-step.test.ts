/** The item step alone (issue 13): item + what happened → what comes next. Pure: no runner, no org. */
import { ApiError, type ApiErrorInit } from '@/lib/genesys/api-error.ts';
import { LATE_APPLY_WINDOW_MS } from '../late-apply.ts';
import { DEFAULT_JOB_OPTIONS, type BulkItem } from './model.ts';
import { afterRead, afterReadError, afterWrite, inFlightCounts, nextStep, type FreshView, type StepContext } from './item-step.ts';
import { T0, partItem } from './part-fixtures.ts';

const ctx = (over: Partial<StepContext> = {}): StepContext => ({
  code: { id: 'w-ours', name: 'Ours' },
  options: { ...DEFAULT_JOB_OPTIONS },
  maxAttempts: 4,
  maxSends: 12,
  longPauseMs: 180_000,
  now: T0,
  random: () => 0,
  ...over,
});
const fresh = (over: Partial<FreshView> = {}): FreshView => ({ ownWriteSeenAt: null, perItem: false, valid: true, coverableAt: null, ...over });
const http = (status: number, over: Partial<ApiErrorInit> = {}) =>
  new ApiError({ kind: 'http', status, code: `e${status}`, message: `HTTP ${status}`, ...over });
const coded = (codeId: string): Partial<BulkItem> => ({ observed: { status: 'coded', codeId, at: T0 } });

describe('nextStep', () => {
  it('writes a fresh missing item; skips what has no write path, is active or unanswered', () => {
    expect(nextStep(partItem(1), ctx(), fresh())).toEqual({ do: 'write' });
    expect(nextStep(partItem(1, { media: null, mediaType: 'chat' }), ctx(), fresh())).toMatchObject({
      do: 'settle',
      status: 'skipped',
      reason: 'no-write-path',
    });
    expect(nextStep(partItem(1, { observed: { status: 'active', codeId: null, at: T0 } }), ctx(), fresh())).toMatchObject({
      do: 'settle',
      status: 'skipped',
      reason: 'active',
    });
    expect(nextStep(partItem(1, { observed: { status: 'unanswered', codeId: null, at: T0 } }), ctx(), fresh())).toMatchObject({
      do: 'settle',
      status: 'skipped',
      reason: 'unanswered',
    });
  });

  it('keeps a code without fresh data: ours is already-coded (same code), another was set during the run', () => {
    expect(nextStep(partItem(1, coded('w-ours')), ctx(), fresh({ valid: false }))).toMatchObject({ status: 'already-coded', reason: 'same-code' });
    expect(nextStep(partItem(1, coded('w-agent')), ctx(), fresh({ valid: false }))).toMatchObject({ status: 'already-coded', reason: 'coded-during-run' });
  });

  it('an unknown outcome: settled by our own event, else read live before anything else', () => {
    expect(nextStep(partItem(1, { unknownOutcome: true }), ctx(), fresh({ ownWriteSeenAt: T0 + 5 }))).toEqual({ do: 'resolved', at: T0 + 5 });
    expect(nextStep(partItem(1, { unknownOutcome: true, ...coded('w-agent') }), ctx(), fresh())).toEqual({ do: 'read' });
    expect(nextStep(partItem(1, { recheck: true }), ctx(), fresh())).toEqual({ do: 'read' });
  });

  it('stale: per-item reads live; otherwise a batched re-check', () => {
    expect(nextStep(partItem(1), ctx(), fresh({ valid: false, perItem: true }))).toEqual({ do: 'read' });
    expect(nextStep(partItem(1), ctx(), fresh({ valid: false }))).toEqual({ do: 'refresh' });
  });

  it('pending after-call work: read live without a watch, wait until coverable, then re-check in a batch', () => {
    const acw = partItem(1, { observed: { status: 'missing', codeId: null, at: T0, acwSince: T0 - 600_000 } });
    expect(nextStep(acw, ctx(), fresh({ valid: false }))).toEqual({ do: 'read' });
    expect(nextStep(acw, ctx(), fresh({ valid: false, coverableAt: T0 + 3_000 }))).toEqual({ do: 'wait', notBefore: T0 + 3_000 });
    expect(nextStep(acw, ctx(), fresh({ valid: false, coverableAt: T0 }))).toEqual({ do: 'refresh' });
  });

  it('at the caps it fails instead of writing', () => {
    expect(nextStep(partItem(1, { attempts: 4, sends: 4 }), ctx(), fresh())).toMatchObject({
      status: 'failed',
      reason: 'attempts-exhausted',
      message: 'Not applied after 4 requests.',
    });
    expect(nextStep(partItem(1, { attempts: 0, sends: 12 }), ctx(), fresh())).toMatchObject({ status: 'failed', reason: 'attempts-exhausted' });
  });
});

describe('afterRead', () => {
  it('an unknown outcome that shows our code was applied; another code is kept; nothing is written again', () => {
    expect(afterRead(partItem(1, { unknownOutcome: true, attempts: 1 }), 'w-ours', ctx())).toEqual({ do: 'resolved', at: null });
    expect(afterRead(partItem(1, { unknownOutcome: true, attempts: 1 }), 'w-agent', ctx())).toMatchObject({
      status: 'already-coded',
      reason: 'coded-during-run',
    });
    expect(afterRead(partItem(1, { unknownOutcome: true, attempts: 1 }), null, ctx())).toEqual({ do: 'write' });
  });

  it('nothing there after the last attempt: failed, counted in attempts', () => {
    expect(afterRead(partItem(1, { unknownOutcome: true, attempts: 4, sends: 4 }), null, ctx())).toMatchObject({
      status: 'failed',
      message: 'Not applied after 4 attempts.',
    });
  });
});

describe('afterWrite: attempts counted once the outcome is known', () => {
  const cases: [string, ApiError | null, { attempts: number; sends: number }, string][] = [
    ['accepted', null, { attempts: 1, sends: 1 }, 'applied'],
    ['401', http(401), { attempts: 0, sends: 1 }, 'session'],
    ['429', http(429, { retryAfterMs: 2_000 }), { attempts: 0, sends: 1 }, 'throttled'],
    ['409', http(409), { attempts: 0, sends: 1 }, 'recheck'],
    ['never sent', new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'x', sent: false }), { attempts: 0, sends: 0 }, 'later'],
    ['400', http(400), { attempts: 1, sends: 1 }, 'refused'],
    ['503', http(503), { attempts: 1, sends: 1 }, 'later'],
    ['timeout', new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'x' }), { attempts: 1, sends: 1 }, 'later'],
  ];
  it.each(cases)('%s', (_name, error, spent, then) => {
    const step = afterWrite(partItem(1), error, T0, ctx());
    expect(step.spent).toEqual(spent);
    expect(step.then).toBe(then);
  });

  it('a 409 with replace is final and does not count toward the stop rule; a refusal does', () => {
    expect(afterWrite(partItem(1), http(409), T0, ctx({ options: { ...DEFAULT_JOB_OPTIONS, replaceExisting: true } }))).toMatchObject({
      then: 'refused',
      streak: false,
    });
    expect(afterWrite(partItem(1), http(403), T0, ctx())).toMatchObject({ then: 'refused', streak: true, message: 'HTTP 403' });
  });

  it('an unknown outcome is re-read only once the platform can no longer apply it, and after a backoff by attempts', () => {
    const late = afterWrite(partItem(1), new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'x' }), T0, ctx());
    expect(late).toMatchObject({ then: 'later', unknownOutcome: true, notBefore: T0 + LATE_APPLY_WINDOW_MS });
    // A 500 with an answer cannot apply late: the backoff of this (the third) attempt, 4 s at random 0.
    expect(afterWrite(partItem(1, { attempts: 2 }), http(500), T0, ctx())).toMatchObject({ then: 'later', unknownOutcome: true, notBefore: T0 + 4_000 });
  });

  it('a Retry-After over longPauseMs asks for a pause', () => {
    expect(afterWrite(partItem(1), http(429, { retryAfterMs: 200_000 }), T0, ctx())).toMatchObject({ then: 'throttled', longWaitMs: 200_000 });
    expect(afterWrite(partItem(1), http(429, { retryAfterMs: 2_000 }), T0, ctx())).toMatchObject({ then: 'throttled', longWaitMs: null });
  });

  it("the journal's in-flight record counts the write that is out, the item itself does not", () => {
    const it = partItem(1, { attempts: 1, sends: 2 });
    expect(inFlightCounts(it)).toMatchObject({ attempts: 2, sends: 3 });
    expect(it).toMatchObject({ attempts: 1, sends: 2 });
  });
});

describe('afterReadError', () => {
  it('401 pauses for the session; a 4xx is final (unverified when a write may have landed)', () => {
    expect(afterReadError(partItem(1), http(401), ctx())).toEqual({ then: 'session' });
    expect(afterReadError(partItem(1), http(404), ctx())).toMatchObject({ then: 'settle', settle: { status: 'failed', reason: 'refused' } });
    expect(afterReadError(partItem(1, { unknownOutcome: true }), http(404), ctx())).toMatchObject({
      then: 'settle',
      settle: { status: 'failed', reason: 'unverified' },
    });
  });

  it('a 429 spends nothing: later, or a pause when longer than longPauseMs', () => {
    expect(afterReadError(partItem(1), http(429, { retryAfterMs: 3_000 }), ctx())).toEqual({ then: 'later', notBefore: T0 + 3_000, readFailures: 0 });
    expect(afterReadError(partItem(1), http(429, { retryAfterMs: 200_000 }), ctx())).toEqual({ then: 'rate-limited', waitMs: 200_000 });
  });

  it('transient failures count up to maxAttempts, then the item is unverified', () => {
    expect(afterReadError(partItem(1, { readFailures: 1 }), http(503), ctx())).toEqual({ then: 'later', notBefore: T0 + 2_000, readFailures: 2 });
    expect(afterReadError(partItem(1, { readFailures: 3 }), http(503), ctx())).toMatchObject({
      then: 'settle',
      readFailures: 4,
      settle: { reason: 'unverified' },
    });
  });
});
