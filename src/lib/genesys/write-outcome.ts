/**
 * The one classification of a failed wrap-up WRITE (issue 13 item 2): what the single form, the
 * bulk runner, the platform check's write probe and the audit log each do with it. A write is not
 * idempotent (no idempotency key), so the only question that matters is: may it have landed?
 *
 * - `not-sent`: it never left the browser (cancelled while queued): nothing happened, try later.
 * - `session`: 401, the token was refused before anything was processed: sign in, then go on.
 * - `throttled`: 429, flow control: not processed; wait (the HTTP client paused the limiter).
 * - `conflict`: 409, the communication already has a wrap-up: read it, never write blindly.
 * - `refused`: any other 4xx but 408 (and the client's own usage errors): the platform said no to
 *   THIS write; final, the same write gets the same answer (checklist #15).
 * - `unknown`: 5xx (with or without an error body), 408, timeout, dropped connection, aborted in
 *   flight: it may have been applied. Re-read before anything else; while the platform may still
 *   apply it (late-apply.ts) only reading is allowed (checklist #16).
 *
 * A 5xx WITH an error body is `unknown` too: nothing documents that a gateway or the service did not
 * process the write before failing (genesys-platform.md §1), so the safe side is to re-read.
 */
import type { ApiError } from './api-error.ts';

export type WriteErrorClass = 'not-sent' | 'session' | 'throttled' | 'conflict' | 'refused' | 'unknown';

export function classifyWriteError(err: ApiError): WriteErrorClass {
  if (err.kind === 'usage') return 'refused';
  if (!err.sent) return 'not-sent';
  if (err.kind === 'http') {
    if (err.status === 401) return 'session';
    if (err.status === 429) return 'throttled';
    if (err.status === 409) return 'conflict';
    if (err.status >= 400 && err.status < 500 && err.status !== 408) return 'refused';
  }
  return 'unknown';
}

/** The audit log's outcome of a write attempt that failed with this class. */
export type FailedWriteAuditOutcome = 'refused' | 'failed' | 'not-applied' | 'already-coded' | 'unknown';

export function auditOutcomeOf(cls: WriteErrorClass): FailedWriteAuditOutcome {
  switch (cls) {
    case 'refused':
      return 'refused';
    case 'conflict':
      return 'already-coded';
    case 'session':
    case 'throttled':
    case 'not-sent':
      return 'not-applied';
    case 'unknown':
      return 'unknown';
  }
}
