/**
 * "Nudge" (issue 18 item 3): what the worklist needs to ask an agent, by a Genesys Cloud chat
 * message, to fix their own missing wrap-ups; and what a failed send means, in the user's words.
 * The route hands in the facts (permissions, who signed in, the platform check's verdict).
 */
import type { ApiError } from '@/lib/genesys/api-error.ts';
import { isUnknownOutcome } from '@/lib/genesys/api-error.ts';
import type { NudgeOwner } from './nudge-limit.ts';

export interface NudgeSetup {
  /**
   * Which of "fix it yourself" and "ask the agent" the worklist suggests first: `nudge` when the
   * platform check's verdict says the platform refuses the supervisor's writes (an agent may always
   * write their own participant's wrap-up), or when the user may not write at all.
   */
  suggestFirst: 'nudge' | 'fix';
  /** Why `nudge` comes first: the verdict's refusal (when learned, ISO) or the missing write permission. */
  reason: { kind: 'refused'; learnedAt: string } | { kind: 'no-write' } | null;
  /** Holds a permission that lets them send a 1:1 chat message; undefined while it loads. */
  canSend: boolean | undefined;
  /** The permissions of which one is needed (said when missing). */
  sendPermissions: readonly string[];
  /** Whose nudges the rate limit counts. */
  owner: NudgeOwner;
  /** The absolute link into this app put into the message (the agent's own list). */
  appLink: string;
}

/** What a failed nudge means for the user. */
export type NudgeFailure = 'permission' | 'unknown-user' | 'invalid' | 'session' | 'throttled' | 'unknown-outcome' | 'not-sent' | 'failed';

export function nudgeFailure(err: ApiError): NudgeFailure {
  if (isUnknownOutcome(err)) return 'unknown-outcome';
  if (!err.sent || err.kind === 'usage') return 'not-sent';
  if (err.kind !== 'http') return 'failed';
  switch (err.status) {
    case 401:
      return 'session';
    case 403:
      return 'permission';
    case 404:
      return 'unknown-user';
    case 400:
    case 422:
      return 'invalid';
    case 429:
      return 'throttled';
    default:
      return 'failed';
  }
}

/** A failure after which the message may have arrived: it counts for the rate limit. */
export function mayHaveArrived(failure: NudgeFailure): boolean {
  return failure === 'unknown-outcome';
}
