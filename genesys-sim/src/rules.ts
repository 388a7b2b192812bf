/**
 * The wrap-up write rules. Pure functions over the model so they can be unit-tested without HTTP.
 * Each refusal's status/code and confidence is listed in genesys-sim/README.md.
 */
import type { ApiError } from './errors.ts';
import { badRequest, missingPermissions, notAuthorized, notFound } from './errors.ts';
import {
  TIMEOUT_CODE,
  isSystemCode,
  mediaPathOf,
  type MediaPath,
  type SimComm,
  type SimConversation,
  type SimOrg,
  type SimParticipant,
  type SimUser,
  type SimWrapup,
} from './model.ts';
import type { SimOptions, WrapupPolicy } from './options.ts';

export const WRAPUP_PERMISSION = 'conversation:participant:wrapup';
const DAY = 86_400_000;
const HOUR = 3_600_000;

export type RuleResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const fail = <T>(error: ApiError): RuleResult<T> => ({ ok: false, error });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface Target {
  conversation: SimConversation;
  participant: SimParticipant;
  comm: SimComm;
}

/** Resolve conversation/participant/communication for a media path. 404 for anything unknown or of another media type. */
export function resolveTarget(
  org: SimOrg,
  media: MediaPath | null,
  conversationId: string,
  participantId: string,
  communicationId: string | null,
): RuleResult<Target> {
  const conversation = org.conversationsById.get(conversationId);
  if (!conversation) return fail(notFound(`Conversation ${conversationId} not found`));
  if (media !== null && mediaPathOf[conversation.media] !== media) return fail(notFound(`Conversation ${conversationId} not found`));
  const participant = conversation.participants.find((p) => p.id === participantId);
  if (!participant) return fail(notFound(`Participant ${participantId} not found`));
  let comm: SimComm | undefined;
  if (communicationId === null) comm = participant.comms[participant.comms.length - 1];
  else comm = participant.comms.find((c) => c.id === communicationId);
  if (!comm) return fail(notFound(`Communication ${communicationId ?? ''} not found`));
  return { ok: true, value: { conversation, participant, comm } };
}

/** Validate a WrapupInput body. Returns the parsed input (without deciding whether the code is allowed). */
export function parseWrapupInput(
  body: unknown,
  notesMaxLength: number,
): RuleResult<{ code: string; name?: string; notes?: string; tags?: string[]; durationSeconds?: number; endTime?: string; provisional?: boolean }> {
  if (!isRecord(body)) return fail(badRequest('The request could not be understood by the server due to malformed syntax.'));
  const { code, name, notes, tags, durationSeconds, endTime, provisional } = body;
  if (code === undefined || code === null || code === '')
    return fail({ ...badRequest('The wrap-up code is required.'), details: [{ fieldName: 'code', errorCode: 'required' }] });
  if (typeof code !== 'string') return fail({ ...badRequest('Invalid value for code.'), details: [{ fieldName: 'code', errorCode: 'invalid' }] });
  if (name !== undefined && typeof name !== 'string') return fail(badRequest('Invalid value for name.'));
  if (notes !== undefined && notes !== null && typeof notes !== 'string') return fail(badRequest('Invalid value for notes.'));
  if (typeof notes === 'string' && notes.length > notesMaxLength) {
    return fail({
      ...badRequest(`Notes cannot be longer than ${notesMaxLength} characters.`, { max: String(notesMaxLength) }),
      details: [{ fieldName: 'notes', errorCode: 'size' }],
    });
  }
  if (tags !== undefined && (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))) return fail(badRequest('Invalid value for tags.'));
  if (durationSeconds !== undefined && (typeof durationSeconds !== 'number' || !Number.isInteger(durationSeconds) || durationSeconds < 0))
    return fail(badRequest('Invalid value for durationSeconds.'));
  if (endTime !== undefined && (typeof endTime !== 'string' || Number.isNaN(Date.parse(endTime)))) return fail(badRequest('Invalid value for endTime.'));
  if (provisional !== undefined && typeof provisional !== 'boolean') return fail(badRequest('Invalid value for provisional.'));
  return {
    ok: true,
    value: {
      code,
      ...(typeof name === 'string' ? { name } : {}),
      ...(typeof notes === 'string' ? { notes } : {}),
      ...(Array.isArray(tags) ? { tags: tags } : {}),
      ...(typeof durationSeconds === 'number' ? { durationSeconds } : {}),
      ...(typeof endTime === 'string' ? { endTime } : {}),
      ...(typeof provisional === 'boolean' ? { provisional } : {}),
    },
  };
}

/** Codes the participant may be given: its queue's current (non-deleted) codes. */
export function allowedCodeIds(org: SimOrg, participant: SimParticipant): string[] {
  if (participant.purpose !== 'agent' || !participant.queueId) return [];
  const q = org.queuesById.get(participant.queueId);
  if (!q) return [];
  return q.codeIds.filter((id) => org.codesById.get(id)?.deleted === false);
}

export interface WriteRequest {
  user: SimUser;
  target: Target;
  body: unknown;
  now: number;
  /** POST .../communications/{id}/wrapup (default) or PATCH .../participants/{id}: they may follow different policies. */
  via?: 'post' | 'patch';
}

/** Code of the refusal under `during-acw` outside pending ACW (a guess: no source documents one, README rule 13b). */
export const WRAPUP_NOT_ALLOWED = 'conversation.participant.wrapup.not.allowed';

/** Code of the refusal of an agent's own write after `ownWrapupWindowHours` (invented: no source documents a limit, README rule 12a). */
export const OWN_WRAPUP_WINDOW_CLOSED = 'conversation.participant.wrapup.window.closed';

/** The policy that applies to a write: `patchPolicy` for PATCH unless it is `same`. */
export function policyFor(options: Pick<SimOptions, 'wrapupPolicy' | 'patchPolicy'>, via: 'post' | 'patch'): WrapupPolicy {
  return via === 'patch' && options.patchPolicy !== 'same' ? options.patchPolicy : options.wrapupPolicy;
}

/** Decide whether a supervisor/agent write is accepted. Order: permission, body, purpose, state, policy, code, rewrap. */
export function checkWrite(
  org: SimOrg,
  options: Pick<SimOptions, 'wrapupPolicy' | 'wrapupWindowDays' | 'notesMaxLength' | 'rewrap'> &
    Partial<Pick<SimOptions, 'patchPolicy' | 'ownWrapupWindowHours'>>,
  req: WriteRequest,
): RuleResult<SimWrapup> {
  const { user, target, now } = req;
  const { participant, comm } = target;
  if (!user.permissions.includes(WRAPUP_PERMISSION)) return fail(missingPermissions([WRAPUP_PERMISSION]));
  const parsed = parseWrapupInput(req.body, options.notesMaxLength);
  if (!parsed.ok) return parsed;
  if (participant.purpose !== 'agent') {
    return fail(badRequest(`Participant ${participant.id} is not an agent participant; wrap-up is not applicable.`, { participantId: participant.id }));
  }
  if (comm.state !== 'disconnected' || comm.disconnectedTime === undefined) {
    return fail(badRequest(`Communication ${comm.id} is not disconnected; wrap-up can only be set after the interaction ends.`, { communicationId: comm.id }));
  }
  // The participant's own agent may write under every policy (only the own-write window, off by default,
  // limits it: [L]); anyone else is subject to the policy (§8 row 1, [L]).
  const own = participant.userId === user.id;
  const ownHours = options.ownWrapupWindowHours ?? null;
  if (own && ownHours !== null && now - comm.disconnectedTime > ownHours * HOUR) {
    return fail({
      ...badRequest(
        `The wrap-up for communication ${comm.id} can no longer be set: its own agent may set it for ${ownHours} hours after the communication ended.`,
        { communicationId: comm.id },
      ),
      code: OWN_WRAPUP_WINDOW_CLOSED,
    });
  }
  if (!own) {
    const policy = policyFor({ wrapupPolicy: options.wrapupPolicy, patchPolicy: options.patchPolicy ?? 'same' }, req.via ?? 'post');
    if (policy === 'strict') {
      return fail(notAuthorized("Only the participant's own user may set its wrap-up."));
    }
    if (policy === 'during-acw') {
      if (comm.acwState !== 'pending') {
        return fail({
          ...badRequest(`Wrap-up for communication ${comm.id} can only be set by another user while its after-call work is pending.`, {
            communicationId: comm.id,
          }),
          code: WRAPUP_NOT_ALLOWED,
        });
      }
    } else if (now - comm.disconnectedTime > options.wrapupWindowDays * DAY) {
      return fail(badRequest(`The wrap-up window for communication ${comm.id} has closed.`, { communicationId: comm.id }));
    }
  }
  const input = parsed.value;
  const allowed = allowedCodeIds(org, participant);
  if (!allowed.includes(input.code)) {
    return fail({
      ...badRequest(`Wrap-up code ${input.code} is not valid for this participant.`, { code: input.code }),
      details: [{ fieldName: 'code', errorCode: 'invalid.wrapup.code' }],
    });
  }
  if (options.rewrap === 'refuse' && comm.wrapup !== undefined) {
    return fail({ status: 409, code: 'conflict', message: `Communication ${comm.id} already has a wrap-up.` });
  }
  const codeEntity = org.codesById.get(input.code);
  return {
    ok: true,
    value: {
      code: input.code,
      name: codeEntity?.name ?? input.name ?? input.code,
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      durationSeconds: input.durationSeconds ?? Math.max(0, Math.round((now - comm.disconnectedTime) / 1000)),
      endTime: input.endTime ?? new Date(now).toISOString(),
      ...(input.provisional !== undefined ? { provisional: input.provisional } : {}),
    },
  };
}

/**
 * Told about every wrap-up set (notification events). `by`: the user whose API call wrote it;
 * undefined for the agent's own wrap-up paths (control agent-wrapup) and system codes (ACW timeout).
 */
export type WrapupListener = (target: Target, wrapup: SimWrapup, at: number, by?: string) => void;

/**
 * Apply a wrap-up to a communication (no checks). Completes pending ACW. The single place a
 * communication's wrap-up is set: `onApplied` (the state's listener; null only in pure unit tests)
 * is required so that no path forgets the notification events.
 */
export function applyWrapup(target: Target, wrapup: SimWrapup, now: number, onApplied: WrapupListener | null, by?: string): void {
  const { conversation, participant, comm } = target;
  comm.wrapup = wrapup;
  comm.wrapupHistory.push({ wrapup, at: now });
  if (comm.acwState === 'pending' || comm.acwState === 'notApplicable' || comm.acwState === 'skipped' || comm.acwState === 'unknown') {
    // Only pending ACW has a start: a code set after skipped or no ACW did not open after-call work
    // (so a lagging analytics view shows no open wrap-up segment for it).
    comm.acwEnd = now;
    comm.acwState = 'complete';
  }
  participant.wrapupSkipped = participant.wrapupSkipped === true ? false : participant.wrapupSkipped;
  conversation.version++;
  onApplied?.(target, wrapup, now, by);
}

/** Agent communications whose time-boxed ACW is still running (candidates for ININ-WRAP-UP-TIMEOUT). */
export function findTimedAcw(org: SimOrg): Target[] {
  const out: Target[] = [];
  for (const conversation of org.conversations) {
    for (const participant of conversation.participants) {
      if (participant.purpose !== 'agent' || participant.wrapupPrompt !== 'timeout' || participant.wrapupTimeoutMs === undefined) continue;
      for (const comm of participant.comms) {
        if (comm.acwState === 'pending' && comm.acwStart !== undefined && !comm.wrapup) out.push({ conversation, participant, comm });
      }
    }
  }
  return out;
}

/**
 * Time-boxed ACW that has run out gets ININ-WRAP-UP-TIMEOUT, as the platform does.
 * Returns the candidates that are still running.
 */
export function expireAcw(candidates: readonly Target[], now: number, onApplied: WrapupListener | null): Target[] {
  const remaining: Target[] = [];
  for (const t of candidates) {
    const { participant, comm } = t;
    if (comm.acwState !== 'pending' || comm.wrapup || comm.acwStart === undefined || participant.wrapupTimeoutMs === undefined) continue;
    const due = comm.acwStart + participant.wrapupTimeoutMs;
    if (due > now) {
      remaining.push(t);
      continue;
    }
    applyWrapup(
      t,
      { code: TIMEOUT_CODE, name: TIMEOUT_CODE, durationSeconds: Math.round(participant.wrapupTimeoutMs / 1000), endTime: new Date(due).toISOString() },
      due,
      onApplied,
    );
  }
  return remaining;
}

/** Classification used by the ground truth. */
export type WrapupStatus = 'coded' | 'system' | 'missing' | 'active';
export function statusOf(comm: SimComm, wrapup: SimWrapup | undefined = comm.wrapup): WrapupStatus {
  if (wrapup) return isSystemCode(wrapup.code) ? 'system' : 'coded';
  return comm.state === 'disconnected' ? 'missing' : 'active';
}
