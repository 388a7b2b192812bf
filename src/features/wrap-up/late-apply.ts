/**
 * When a write's answer never arrives, when may the app believe it was not applied?
 *
 * The platform may still process a request after the browser gave up on it: a slow write was seen
 * applied 20 s after it arrived (the sim's `--fault-slow-ms 20000`), after the browser's timeout.
 * A re-read during that time shows nothing yet, and a second write would land as well: written
 * twice (reliability-checklist #16). So after a write that got no answer, "not there" only counts
 * once the platform can no longer apply the first one.
 *
 * - `WRITE_TIMEOUT_MS` (30 s): how long a write waits for its answer. Longer than the SDK's 16 s
 *   default on purpose: every answer that does arrive settles the outcome at once, while each
 *   timeout costs a wait of `LATE_APPLY_WINDOW_MS`. Shorter than the window by a margin.
 * - `LATE_APPLY_WINDOW_MS` (60 s from when the write was sent): how long the platform may still
 *   apply it. Genesys does not document a server-side request deadline [L]; 60 s is twice our own
 *   timeout and three times the slowest write seen. Until then a missing code means "not yet
 *   known": no new write of that communication is offered or sent (single form and bulk jobs),
 *   only reads. An event for the write (bulk jobs' notification watch) or a read that shows the
 *   code settles it earlier.
 */
import type { ApiError } from '@/lib/genesys/api-error.ts';

export const WRITE_TIMEOUT_MS = 30_000;
export const LATE_APPLY_WINDOW_MS = 60_000;

/** No answer came back (timeout, connection lost, a gateway's 502/504): the platform may still process it. */
export function mayApplyLate(error: ApiError): boolean {
  return (
    error.kind === 'timeout' || error.kind === 'network' || (error.kind === 'http' && (error.status === 502 || error.status === 504 || error.status === 0))
  );
}

/** Until when (epoch ms) a write sent at `sentAt` that failed with `error` may still be applied; null: it cannot. */
export function lateApplyUntil(error: ApiError, sentAt: number): number | null {
  return mayApplyLate(error) ? sentAt + LATE_APPLY_WINDOW_MS : null;
}
