/**
 * The item step (issue 13: the runner in parts): pure decisions for one item. Given the item and
 * what just happened (nothing yet, a live read's answer, a write's answer, a failed read), it says
 * what comes next; the runner carries it out (requests, journal, pauses). Nothing here sends,
 * stores or reads a clock: `now` and `random` come in.
 *
 * Attempts are counted once a write's outcome is known (`WriteStep.spent`): a write the platform
 * may have processed spends an attempt; 401, 429, 409 and requests that never left spend none, and
 * a write that never left is not a send either (checklist #17). The journal's record of a write in
 * flight counts it already (`inFlightCounts`): if the tab dies, that write may have been processed.
 */
import { isUnauthorized, type ApiError } from '@/lib/genesys/api-error.ts';
import { backoffMs } from '@/lib/genesys/http-client.ts';
import { classifyWriteError } from '@/lib/genesys/write-outcome.ts';
import { lateApplyUntil } from '../late-apply.ts';
import { mayWriteNow, type BulkItem, type ItemReason, type JobOptions, type TerminalStatus } from './model.ts';
import { ACTIVE_MESSAGE, UNANSWERED_MESSAGE } from './planner.ts';

export interface StepContext {
  code: { id: string; name: string };
  options: JobOptions;
  maxAttempts: number;
  maxSends: number;
  longPauseMs: number;
  now: number;
  random: () => number;
}

/** What the freshness part knows about the item right now. */
export interface FreshView {
  /** An event carrying our code for our latest write (it landed): its time, else null. */
  ownWriteSeenAt: number | null;
  /** Every write is verified by a live read first. */
  perItem: boolean;
  /** The observation is good enough to write on (`Freshness.validForWrite`). */
  valid: boolean;
  /** From when a batched re-check would make the item covered (null: not watched). */
  coverableAt: number | null;
}

export interface Settle {
  do: 'settle';
  status: TerminalStatus;
  reason: ItemReason | null;
  message: string | null;
}

export type Step =
  | Settle
  /** An earlier write whose answer was lost is found applied (`at`: by its event, else by a live read). */
  | { do: 'resolved'; at: number | null }
  /** Not yet (the watch covers it from then): other items go on meanwhile. */
  | { do: 'wait'; notBefore: number }
  | { do: 'read' }
  | { do: 'refresh' }
  | { do: 'write' };

function settle(status: TerminalStatus, reason: ItemReason | null, message: string | null): Settle {
  return { do: 'settle', status, reason, message };
}

/** The item has a code the job must not write over (or already has the job's code). */
export function keepCode(current: string | null, code: StepContext['code']): Settle {
  return current === code.id
    ? settle('already-coded', 'same-code', `Already has "${code.name}".`)
    : settle('already-coded', 'coded-during-run', 'A wrap-up was set by someone else during the job; it was kept.');
}

function writeOrExhausted(item: BulkItem, ctx: StepContext): Step {
  if (item.attempts >= ctx.maxAttempts || item.sends >= ctx.maxSends)
    return settle('failed', 'attempts-exhausted', `Not applied after ${item.sends} requests.`);
  return { do: 'write' };
}

/** What to do with an open item (its newest event already merged into the observation). */
export function nextStep(item: BulkItem, ctx: StepContext, view: FreshView): Step {
  const { code, options } = ctx;
  if (item.media === null) return settle('skipped', 'no-write-path', `Media type "${item.mediaType}" has no wrap-up endpoint.`);
  // Our own write's event is proof that it landed: no re-read needed.
  if (item.unknownOutcome && view.ownWriteSeenAt !== null) return { do: 'resolved', at: view.ownWriteSeenAt };
  if (!item.unknownOutcome && !item.recheck && item.observed.codeId !== null && !mayWriteNow(item.observed.codeId, item, code.id, options)) {
    // Not writing needs no fresh data: a code, once seen, is only ever replaced by another code.
    return keepCode(item.observed.codeId, code);
  }
  let live = item.unknownOutcome || item.recheck || (view.perItem && !view.valid);
  if (!live && item.observed.acwSince !== undefined && !view.valid) {
    // Pending after-call work: a batched re-check is enough once the watch covers the item.
    if (view.coverableAt === null) live = true;
    else if (view.coverableAt > ctx.now) return { do: 'wait', notBefore: view.coverableAt };
  }
  // Live read: resolves an unknown outcome before any retry, or verifies right before writing.
  if (live) return { do: 'read' };
  if (!view.valid) return { do: 'refresh' };
  const { status, codeId } = item.observed;
  if (status === 'active') return settle('skipped', 'active', ACTIVE_MESSAGE);
  if (status === 'unanswered') return settle('skipped', 'unanswered', UNANSWERED_MESSAGE);
  if (!mayWriteNow(codeId, item, code.id, options)) return keepCode(codeId, code);
  return writeOrExhausted(item, ctx);
}

/**
 * After a live read that saw `seen` (null: no code). `write`: the runner clears `unknownOutcome`
 * and `recheck` first (the read has answered both).
 */
export function afterRead(item: BulkItem, seen: string | null, ctx: StepContext): Step {
  if (item.unknownOutcome && seen === ctx.code.id) return { do: 'resolved', at: null };
  if (!mayWriteNow(seen, item, ctx.code.id, ctx.options)) return keepCode(seen, ctx.code);
  if (item.attempts >= ctx.maxAttempts) return settle('failed', 'attempts-exhausted', `Not applied after ${item.attempts} attempts.`);
  return writeOrExhausted(item, ctx);
}

/** What a write that left (or may have) spent: `attempts` the platform may have processed, `sends` requests. */
export interface Spent {
  attempts: 0 | 1;
  sends: 0 | 1;
}

export type WriteStep = { spent: Spent } & (
  | { then: 'applied' }
  /** 401: the job pauses for the session; the item waits. */
  | { then: 'session' }
  /** 429: flow control; loop at once (the gate waits). `retryAfterMs` over `longPauseMs` pauses the job. */
  | { then: 'throttled'; longWaitMs: number | null }
  /** Not now: never left (`not-sent`), or unknown outcome (`unknownOutcome` set, re-read then). */
  | { then: 'later'; notBefore: number; unknownOutcome: boolean }
  /** 409 without replace: read live, then decide again at once. */
  | { then: 'recheck' }
  /** Final: 409 with replace (`streak` false), or refused (counts toward the stop rule). */
  | { then: 'refused'; message: string; streak: boolean }
);

/** After a write's answer (`error` null: accepted), sent at `sentAt`. One classification for the app. */
export function afterWrite(item: BulkItem, error: ApiError | null, sentAt: number, ctx: StepContext): WriteStep {
  const processed: Spent = { attempts: 1, sends: 1 };
  if (!error) return { spent: processed, then: 'applied' };
  switch (classifyWriteError(error)) {
    case 'session':
      return { spent: { attempts: 0, sends: 1 }, then: 'session' }; // refused before processing
    case 'throttled': {
      const wait = error.retryAfterMs ?? 0; // flow control; the limiter is paused by the HTTP client
      return { spent: { attempts: 0, sends: 1 }, then: 'throttled', longWaitMs: wait > ctx.longPauseMs ? wait : null };
    }
    case 'not-sent':
      return { spent: { attempts: 0, sends: 0 }, then: 'later', notBefore: ctx.now + backoffMs(1, ctx.random), unknownOutcome: false };
    case 'conflict':
      // Refused: the communication already has a wrap-up. With replace, final; else read it live.
      return ctx.options.replaceExisting
        ? { spent: { attempts: 0, sends: 1 }, then: 'refused', message: error.message, streak: false }
        : { spent: { attempts: 0, sends: 1 }, then: 'recheck' };
    case 'refused':
      return { spent: processed, then: 'refused', message: error.message, streak: true }; // 400/403/404/422, other 4xx: final (#15)
    case 'unknown': {
      // 5xx, 408, network, timeout, aborted in flight: it may have landed. Re-read before any retry;
      // without an answer the platform may still apply it later: re-read only once it can no longer
      // (an event for it settles it earlier). Checklist #16, late-apply.ts.
      const notBefore = Math.max(ctx.now + backoffMs(item.attempts + 1, ctx.random), lateApplyUntil(error, sentAt) ?? 0);
      return { spent: processed, then: 'later', notBefore, unknownOutcome: true };
    }
  }
}

/** The item's counts as the journal stores them while its write is out: that write may be processed. */
export function inFlightCounts(item: BulkItem): BulkItem {
  return { ...item, attempts: item.attempts + 1, sends: item.sends + 1 };
}

export type ReadFailStep =
  | { then: 'session' }
  /** Final; `readFailures`: the item's new count, when this failure is one more. */
  | { then: 'settle'; settle: Settle; readFailures?: number }
  /** Try again from `notBefore`; `readFailures` is the item's new count. */
  | { then: 'later'; notBefore: number; readFailures: number }
  /** A 429 longer than `longPauseMs`: the job pauses until the limiter's end (at least `waitMs`). */
  | { then: 'rate-limited'; waitMs: number };

/** After a live read or a batched re-check failed. */
export function afterReadError(item: BulkItem, err: ApiError, ctx: StepContext): ReadFailStep {
  if (isUnauthorized(err)) return { then: 'session' };
  // Refused for good: by the client (usage: bad arguments, no platform) or by the platform (4xx).
  const refused = err.kind === 'usage' || (err.kind === 'http' && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429);
  if (refused) {
    const final = item.unknownOutcome
      ? settle('failed', 'unverified', `The last write's outcome is unknown and the re-read was refused: ${err.message}`)
      : settle('failed', 'refused', err.message);
    return { then: 'settle', settle: final };
  }
  // Never left the browser (cancelled while the client was reconfigured): no failure to count,
  // but not at once either.
  if (!err.sent) return { then: 'later', notBefore: ctx.now + backoffMs(1, ctx.random), readFailures: item.readFailures };
  if (err.kind === 'http' && err.status === 429) {
    // Flow control, not a failure of this item: another tab or browser of the same user and
    // client may be spending the shared limit (docs/genesys-platform.md §8 row 7). The limiter is
    // paused by the HTTP client; the item waits its turn and spends nothing.
    const wait = err.retryAfterMs ?? 0;
    if (wait > ctx.longPauseMs) return { then: 'rate-limited', waitMs: wait };
    return { then: 'later', notBefore: ctx.now + Math.max(wait, backoffMs(1, ctx.random)), readFailures: item.readFailures };
  }
  const failures = item.readFailures + 1;
  if (failures >= ctx.maxAttempts) {
    const message = item.unknownOutcome
      ? `The last write's outcome is unknown and could not be checked: ${err.message}`
      : `The current wrap-up could not be checked: ${err.message}`;
    return { then: 'settle', settle: settle('failed', 'unverified', message), readFailures: failures };
  }
  return { then: 'later', notBefore: ctx.now + backoffMs(failures, ctx.random), readFailures: failures };
}
