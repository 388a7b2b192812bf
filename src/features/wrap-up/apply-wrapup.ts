/**
 * The single write path for one participant's wrap-up (issue 6 items 2–4), plain TypeScript so the
 * form and the bulk runner share it.
 *
 * 1. Read before write: the communication's current wrap-up is re-read just before writing. If one
 *    exists that the user did not choose to replace (`overwrite-rule.ts`, shared with bulk jobs),
 *    nothing is written (checklist #22).
 * 2. Write once through `writeWrapup`: the POST on the communication, or the participant PATCH when
 *    the platform check found the org takes only that (`req.method`). Never retried here.
 * 3. Unknown outcome (timeout, lost response, any 5xx, 408: `classifyWriteError`): re-read. If the wrap-up landed it
 *    is applied. If it did not: when no answer came at all, the platform may still apply the write
 *    until `lateApplyUntil` (late-apply.ts), so it stays unknown until then and only "check again"
 *    is offered; afterwards, or when an answer came, the caller may offer a retry. If the re-read
 *    fails too, only "check again" (checklist #16: nothing is written twice).
 * 4. After a 202, read back to confirm.
 *
 * The functions never throw: every path ends in one `ApplyResult`.
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { getCommunicationWrapup, getParticipantWrapup, writeWrapup, type WrapupWriteMethod } from '@/lib/genesys/api.ts';
import { isFinal, toApiError, type ApiError } from '@/lib/genesys/api-error.ts';
import { classifyWriteError } from '@/lib/genesys/write-outcome.ts';
import type { WrapupMediaPath } from '@/lib/genesys/media.ts';
import { mayWriteOnto } from './overwrite-rule.ts';
import { lateApplyUntil, WRITE_TIMEOUT_MS } from './late-apply.ts';

export interface WrapupTarget {
  media: WrapupMediaPath;
  conversationId: string;
  participantId: string;
  communicationId: string;
}

export interface ApplyRequest {
  target: WrapupTarget;
  /** A code from the participant's own wrapupcodes list. */
  code: { id: string; name: string };
  /** Empty string: no notes are sent. */
  notes: string;
  /** The user explicitly chose to replace an existing wrap-up... */
  replace: boolean;
  /** ...namely this code, the one the form showed. A different code found before writing is kept. */
  seenCode?: string | null;
  /** POST (default) or PATCH: what the platform check's verdict says this org takes. */
  method?: WrapupWriteMethod;
  /** This write request's id: its audit entries (the attempt, a later "check again") share it. */
  writeId?: string;
}

export type ApplyResult =
  /** The platform accepted the write. `confirmed`: the read-back shows it; `recovered`: the response was lost and the re-read showed it. */
  | { outcome: 'applied'; wrapup: Models.AssignedWrapupCode | undefined; confirmed: boolean; recovered: boolean }
  /** A wrap-up exists and replacing was not chosen: nothing was written. */
  | { outcome: 'already-coded'; existing: Models.AssignedWrapupCode }
  /** The platform refused (400/403/404/409/422): nothing was written. `stage` read = the read before writing failed. */
  | { outcome: 'refused'; error: ApiError; stage: 'read' | 'write' }
  /** Another known failure (401, 429 after the limiter, 5xx with an error body, network on the read): nothing was written. */
  | { outcome: 'failed'; error: ApiError; stage: 'read' | 'write' }
  /** The write's outcome was unknown; the re-read shows it did not land. A retry is safe to offer. */
  | { outcome: 'not-applied'; error: ApiError; before: Models.AssignedWrapupCode | undefined }
  /**
   * The write's outcome is unknown: the re-read failed (`rereadError`), or it does not show the
   * write yet while the platform may still apply it (until `settlesAt`, epoch ms). Offer to check
   * again, never to write again. `sentAt`: when the write left.
   */
  | {
      outcome: 'unknown';
      error: ApiError;
      rereadError: ApiError | null;
      before: Models.AssignedWrapupCode | undefined;
      sentAt: number;
      settlesAt: number | null;
    };

export type ApplyOutcome = ApplyResult['outcome'];

export interface ApplyDeps {
  readWrapup: (target: WrapupTarget) => Promise<Models.AssignedWrapupCode | undefined>;
  sendWrapup: (target: WrapupTarget, body: Models.WrapupInput, method: WrapupWriteMethod) => Promise<void>;
  /** Epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** The platform, through the one door (`src/lib/genesys`). Writes wait `WRITE_TIMEOUT_MS` for their answer. */
export const platformDeps: ApplyDeps = {
  // The communication's wrap-up; the participant's when the target has no communication id (an
  // agent without analytics: media GETs carry none, the write is the participant PATCH).
  readWrapup: (t) =>
    t.communicationId
      ? getCommunicationWrapup(t.media, t.conversationId, t.participantId, t.communicationId)
      : getParticipantWrapup(t.media, t.conversationId, t.participantId),
  sendWrapup: (t, body, method) => writeWrapup(method, t, body, { timeoutMs: WRITE_TIMEOUT_MS }),
};

export function wrapupInputOf(req: ApplyRequest): Models.WrapupInput {
  const notes = req.notes.trim() === '' ? undefined : req.notes;
  return { code: req.code.id, name: req.code.name, ...(notes !== undefined ? { notes } : {}) };
}

function same(a: Models.AssignedWrapupCode | undefined, b: Models.AssignedWrapupCode | undefined): boolean {
  if (!a || !b) return a === b;
  return a.code === b.code && (a.notes ?? '') === (b.notes ?? '') && a.endTime === b.endTime && a.durationSeconds === b.durationSeconds;
}

/**
 * Does `after` show this request's write? Its code must be ours and, when a wrap-up existed
 * before, `after` must differ from it (else the old one is still there).
 */
export function showsWrite(after: Models.AssignedWrapupCode | undefined, req: ApplyRequest, before: Models.AssignedWrapupCode | undefined): boolean {
  if (!after || after.code !== req.code.id) return false;
  return before === undefined || !same(after, before);
}

async function tryRead(
  deps: ApplyDeps,
  target: WrapupTarget,
): Promise<{ ok: true; value: Models.AssignedWrapupCode | undefined } | { ok: false; error: ApiError }> {
  try {
    return { ok: true, value: await deps.readWrapup(target) };
  } catch (e) {
    return { ok: false, error: toApiError(e) };
  }
}

function knownFailure(error: ApiError, stage: 'read' | 'write'): ApplyResult {
  return isFinal(error) ? { outcome: 'refused', error, stage } : { outcome: 'failed', error, stage };
}

/**
 * After an unknown outcome: re-read and decide. Also what "Check again" runs: it never writes.
 * `before` is what the read before the write saw.
 */
export async function verifyAfterUnknown(
  req: ApplyRequest,
  before: Models.AssignedWrapupCode | undefined,
  error: ApiError,
  sentAt: number,
  deps: ApplyDeps = platformDeps,
): Promise<ApplyResult> {
  const reread = await tryRead(deps, req.target);
  const settlesAt = lateApplyUntil(error, sentAt);
  if (!reread.ok) return { outcome: 'unknown', error, rereadError: reread.error, before, sentAt, settlesAt };
  if (showsWrite(reread.value, req, before)) return { outcome: 'applied', wrapup: reread.value, confirmed: true, recovered: true };
  // Read before the platform could have given up on the write: not there YET.
  if (settlesAt !== null && (deps.now ?? Date.now)() < settlesAt) return { outcome: 'unknown', error, rereadError: null, before, sentAt, settlesAt };
  return { outcome: 'not-applied', error, before };
}

/** Read before write, write once, resolve an unknown outcome by reading, confirm by reading. */
export async function applyWrapup(req: ApplyRequest, deps: ApplyDeps = platformDeps): Promise<ApplyResult> {
  const first = await tryRead(deps, req.target);
  if (!first.ok) return knownFailure(first.error, 'read');
  const before = first.value;
  if (before && !mayWriteOnto(before.code ?? null, req.seenCode ?? null, { replace: req.replace, includeSystemCoded: req.replace })) {
    return { outcome: 'already-coded', existing: before };
  }

  const sentAt = (deps.now ?? Date.now)();
  try {
    await deps.sendWrapup(req.target, wrapupInputOf(req), req.method ?? 'post');
  } catch (e) {
    const error = toApiError(e);
    // The one classification of a failed write (also the bulk runner's): may it have landed?
    switch (classifyWriteError(error)) {
      case 'unknown':
        return verifyAfterUnknown(req, before, error, sentAt, deps);
      case 'refused':
      case 'conflict':
        return { outcome: 'refused', error, stage: 'write' };
      case 'session':
      case 'throttled':
      case 'not-sent':
        return { outcome: 'failed', error, stage: 'write' };
    }
  }

  const after = await tryRead(deps, req.target);
  if (!after.ok) return { outcome: 'applied', wrapup: undefined, confirmed: false, recovered: false };
  // A 202 whose read-back does not show the code: accepted, not (yet) visible. Reported as unconfirmed.
  return { outcome: 'applied', wrapup: after.value, confirmed: showsWrite(after.value, req, before), recovered: false };
}

// ---------------------------------------------------------------------------------------------
// The audit record of an attempt (the audit feature stores it; this feature does not import it)

export interface WriteAttempt {
  /** ISO time the attempt finished. */
  time: string;
  conversationId: string;
  participantId: string;
  communicationId: string;
  media: WrapupMediaPath;
  codeId: string;
  codeName: string;
  notes: string;
  replace: boolean;
  /** The write's method (absent in entries from before the PATCH path: POST). */
  method: WrapupWriteMethod;
  outcome: ApplyOutcome;
  /** HTTP status of the failure (202 when applied; null when no status was seen). */
  status: number | null;
  errorCode: string | null;
  message: string | null;
  contextId: string | null;
  writeId?: string;
}

export function attemptOf(req: ApplyRequest, result: ApplyResult, at: Date): WriteAttempt {
  const error = 'error' in result ? result.error : undefined;
  const status = result.outcome === 'applied' ? 202 : error && error.status > 0 ? error.status : null;
  return {
    time: at.toISOString(),
    conversationId: req.target.conversationId,
    participantId: req.target.participantId,
    communicationId: req.target.communicationId,
    media: req.target.media,
    codeId: req.code.id,
    codeName: req.code.name,
    notes: req.notes,
    replace: req.replace,
    method: req.method ?? 'post',
    outcome: result.outcome,
    status,
    errorCode: error?.code ?? null,
    message: error?.message ?? null,
    contextId: error?.contextId ?? null,
    ...(req.writeId ? { writeId: req.writeId } : {}),
  };
}
