/**
 * The write probe (issue 15 item 1): one agent participant communication, one code, chosen by the
 * supervisor. It finds out what the org allows a supervisor's token to write, by which method and
 * in which situation, and records every attempt as a `WriteAttempt` for the verdict.
 *
 * The sequence (at most one write can land):
 * 1. read the communication's wrap-up: if it has a code, stop (nothing is written over);
 * 2. read the live conversation: the item's situation (after-call work pending or not, from
 *    `afterCallWork.state` / `afterCallWorkRequired`; how long since `disconnectedTime`); a
 *    communication still connected is not probed (a write then says nothing about the rule);
 * 3. POST the communication's wrap-up `{ code }`;
 * 4. only if the POST was refused by policy (a final 4xx that is not about the request itself, see
 *    `attemptOutcome`), PATCH the participant with `{ wrapup: { code } }`; never after an unknown
 *    outcome (timeout, 5xx, network: the POST may still land) nor after a 401/429 (no answer about
 *    the rule);
 * 5. read back (communication, then participant after a PATCH).
 * Plain TypeScript over injected calls, so the sequence is unit-tested with fake answers.
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { toApiError, type ApiError } from '@/lib/genesys/api-error.ts';
import { classifyWriteError } from '@/lib/genesys/write-outcome.ts';
import { communicationsOf, type WrapupMediaPath } from '@/lib/genesys/media.ts';
import type { WriteAttempt, WriteMethod, WriteSituation } from '@/lib/platform-verdict.ts';

/**
 * How long a probe write waits for its answer: the value of `WRITE_TIMEOUT_MS` in
 * features/wrap-up/late-apply.ts (30 s), copied because a feature does not import another; keep
 * them equal.
 */
export const PROBE_WRITE_TIMEOUT_MS = 30_000;

export interface WriteProbeTarget {
  media: WrapupMediaPath;
  conversationId: string;
  participantId: string;
  communicationId: string;
}

export interface WriteProbeCode {
  id: string;
  name: string;
}

export interface PlannedRequest {
  method: 'POST' | 'PATCH';
  path: string;
  body: Models.WrapupInput | { wrapup: Models.WrapupInput };
}

/** What the probe will send, shown before sending (and recorded with each attempt). */
export function planWrite(target: WriteProbeTarget, code: WriteProbeCode, method: WriteMethod, patchExists: boolean): PlannedRequest | null {
  const base = `/api/v2/conversations/${target.media}/${target.conversationId}/participants/${target.participantId}`;
  const wrapup: Models.WrapupInput = { code: code.id };
  if (method === 'post') return { method: 'POST', path: `${base}/communications/${target.communicationId}/wrapup`, body: wrapup };
  return patchExists ? { method: 'PATCH', path: base, body: { wrapup } } : null;
}

/** The answer of one write as the verdict counts it; `not-answered`: says nothing about the org (not recorded). */
export type AttemptOutcome = WriteAttempt['outcome'] | 'not-answered';

/** Fields of a WrapupInput: a refusal naming one of them is about the request, not about the rule. */
const BODY_FIELDS = /^(wrapup\.)?(code|name|notes|tags|durationSeconds|endTime|provisional|disableEndTimeUpdates|wrapup)$/;

/**
 * - `unknown`: no answer that settles it (timeout, network, a 5xx, 408, a lost status): the write may
 *   still land; nothing else is sent.
 * - `not-answered`: 401 (signed out), 429 (rate limit: not processed), or never sent: no answer about
 *   the rule, not recorded.
 * - `refused-code`: refused because of this request: the code or the body (`invalid.wrapup.code`, a
 *   field named in `details`), the target (404: wrong ids or gone) or a conflict (409: a wrap-up
 *   appeared meanwhile), the format (413, 415). Says nothing about the write policy; no PATCH follows.
 * - `refused`: any other final 4xx (403 `not.authorized`, `missing.permissions`, a 400 about the
 *   situation, such as "only while after-call work is pending" or a closed window): the policy.
 */
export function attemptOutcome(error: ApiError): AttemptOutcome {
  // The app's one classification of a failed write (`@/lib/genesys/write-outcome.ts`), refined: a
  // probe also asks whether a refusal is about the request or about the org's rule.
  if (error.kind === 'usage') return 'not-answered';
  switch (classifyWriteError(error)) {
    case 'not-sent':
    case 'session':
    case 'throttled':
      return 'not-answered';
    case 'unknown':
      return 'unknown';
    case 'conflict':
      return 'refused-code';
    case 'refused':
      break;
  }
  const details = error.details ?? [];
  const aboutRequest =
    error.code === 'invalid.wrapup.code' ||
    details.some((d) => d.errorCode === 'invalid.wrapup.code' || BODY_FIELDS.test(d.fieldName ?? '')) ||
    [404, 409, 413, 415].includes(error.status);
  return aboutRequest ? 'refused-code' : 'refused';
}

export type SituationResult =
  | { ok: true; situation: WriteSituation; ended: boolean; disconnectedAt: number | null; acwState: string | null }
  | { ok: false; reason: 'participant-not-found' | 'communication-not-found' };

const ENDED_STATES = new Set(['disconnected', 'terminated']);

/**
 * The item's situation from the live conversation. After-call work counts as pending when the
 * communication says `afterCallWork.state: pending`, or, when it reports no after-call work at all,
 * when it requires one (`afterCallWorkRequired`) and has no code yet.
 */
export function situationOf(conversation: Models.Conversation, participantId: string, communicationId: string, now: number): SituationResult {
  const participant = (conversation.participants ?? []).find((p) => p.id === participantId);
  if (!participant) return { ok: false, reason: 'participant-not-found' };
  const comm = communicationsOf(participant).find((c) => c.id === communicationId);
  if (!comm) return { ok: false, reason: 'communication-not-found' };
  const acwState = comm.afterCallWork?.state ?? null;
  const acwPending = acwState === 'pending' || (acwState === null && comm.afterCallWorkRequired === true && !comm.wrapup?.code);
  const at = comm.disconnectedTime ? Date.parse(comm.disconnectedTime) : Number.NaN;
  const disconnectedAt = Number.isNaN(at) ? null : at;
  const ended = disconnectedAt !== null || (comm.state !== undefined && ENDED_STATES.has(comm.state.toLowerCase()));
  return {
    ok: true,
    situation: { acwPending, endedAgoMs: disconnectedAt === null ? null : Math.max(0, now - disconnectedAt) },
    ended,
    disconnectedAt,
    acwState,
  };
}

export interface WriteProbeDeps {
  readWrapup: (target: WriteProbeTarget) => Promise<Models.AssignedWrapupCode | undefined>;
  readParticipantWrapup: (target: WriteProbeTarget) => Promise<Models.AssignedWrapupCode | undefined>;
  readConversation: (conversationId: string) => Promise<Models.Conversation>;
  /** Sends once (never retried); resolves with the answer's correlation id, rejects with ApiError. */
  post: (target: WriteProbeTarget, body: Models.WrapupInput) => Promise<{ contextId: string | null }>;
  patch: (target: WriteProbeTarget, body: Models.WrapupInput) => Promise<{ contextId: string | null }>;
  hasPatch: (media: WrapupMediaPath) => boolean;
  now: () => number;
  newId: () => string;
}

/** Why the probe stopped before or between the writes; null when it ran to its end. */
export type WriteProbeStop =
  | 'already-coded'
  | 'read-failed'
  | 'conversation-failed'
  | 'participant-not-found'
  | 'communication-not-found'
  | 'not-ended'
  | 'not-answered'
  | 'unknown-outcome'
  | 'refused-code'
  | 'no-patch';

export interface WriteProbeResult {
  probeId: string;
  target: WriteProbeTarget;
  code: WriteProbeCode;
  stop: WriteProbeStop | null;
  /** The error behind a stop (a failed read, the write's error when not answered). */
  error: ApiError | null;
  /** The wrap-up found before writing (already-coded). */
  before: Models.AssignedWrapupCode | undefined;
  situation: WriteSituation | null;
  acwState: string | null;
  /** The attempts to record in the verdict (not-answered ones are left out). */
  attempts: WriteAttempt[];
  /** The read-back after the writes: the code it shows (null: none), or the read's error. */
  readBack: { code: string | null; via: 'communication' | 'participant' } | { error: ApiError } | null;
  /** An unknown outcome whose read-back showed our code: recorded as applied. */
  recovered: boolean;
}

async function attempt(
  deps: WriteProbeDeps,
  probeId: string,
  method: WriteMethod,
  plan: PlannedRequest,
  target: WriteProbeTarget,
  code: WriteProbeCode,
  base: { situation: WriteSituation; disconnectedAt: number | null },
): Promise<{ attempt: WriteAttempt | null; outcome: AttemptOutcome; error: ApiError | null }> {
  const sentAt = deps.now();
  const situation: WriteSituation = {
    acwPending: base.situation.acwPending,
    endedAgoMs: base.disconnectedAt === null ? base.situation.endedAgoMs : Math.max(0, sentAt - base.disconnectedAt),
  };
  const record = (o: Pick<WriteAttempt, 'status' | 'code' | 'message' | 'contextId' | 'outcome'>): WriteAttempt => ({
    probeId,
    method,
    request: { method: plan.method, path: plan.path, body: plan.body },
    ...o,
    at: new Date(sentAt).toISOString(),
    situation,
    target: { ...target },
  });
  const body: Models.WrapupInput = { code: code.id };
  try {
    const r = await (method === 'post' ? deps.post(target, body) : deps.patch(target, body));
    return { attempt: record({ status: 202, code: null, message: null, contextId: r.contextId, outcome: 'applied' }), outcome: 'applied', error: null };
  } catch (e) {
    const error = toApiError(e);
    const outcome = attemptOutcome(error);
    if (outcome === 'not-answered') return { attempt: null, outcome, error };
    return {
      attempt: record({ status: error.status, code: error.code || null, message: error.message || null, contextId: error.contextId ?? null, outcome }),
      outcome,
      error,
    };
  }
}

/** Runs the probe; never throws (every path ends in a WriteProbeResult). */
export async function runWriteProbe(deps: WriteProbeDeps, target: WriteProbeTarget, code: WriteProbeCode): Promise<WriteProbeResult> {
  const probeId = deps.newId();
  const result: WriteProbeResult = {
    probeId,
    target,
    code,
    stop: null,
    error: null,
    before: undefined,
    situation: null,
    acwState: null,
    attempts: [],
    readBack: null,
    recovered: false,
  };
  const stop = (reason: WriteProbeStop, error: ApiError | null = null) => ({ ...result, stop: reason, error });

  // 1. Never write over a code.
  try {
    result.before = await deps.readWrapup(target);
  } catch (e) {
    return stop('read-failed', toApiError(e));
  }
  if (result.before?.code) return stop('already-coded');

  // 2. The situation.
  let conversation: Models.Conversation;
  try {
    conversation = await deps.readConversation(target.conversationId);
  } catch (e) {
    return stop('conversation-failed', toApiError(e));
  }
  const sit = situationOf(conversation, target.participantId, target.communicationId, deps.now());
  if (!sit.ok) return stop(sit.reason);
  result.situation = sit.situation;
  result.acwState = sit.acwState;
  if (!sit.ended) return stop('not-ended');
  const base = { situation: sit.situation, disconnectedAt: sit.disconnectedAt };

  // 3. POST.
  const postPlan = planWrite(target, code, 'post', true)!;
  const post = await attempt(deps, probeId, 'post', postPlan, target, code, base);
  if (post.attempt) result.attempts.push(post.attempt);
  let final: { outcome: AttemptOutcome; error: ApiError | null; method: WriteMethod } = { ...post, method: 'post' };

  // 4. PATCH, only after a policy refusal of the POST.
  if (post.outcome === 'refused') {
    const patchPlan = planWrite(target, code, 'patch', deps.hasPatch(target.media));
    if (!patchPlan) {
      result.stop = 'no-patch';
    } else {
      const patch = await attempt(deps, probeId, 'patch', patchPlan, target, code, base);
      if (patch.attempt) result.attempts.push(patch.attempt);
      final = { ...patch, method: 'patch' };
    }
  }
  if (final.outcome === 'not-answered') {
    result.stop = 'not-answered';
    result.error = final.error;
  } else if (final.outcome === 'unknown') {
    result.stop = 'unknown-outcome';
    result.error = final.error;
  } else if (final.outcome === 'refused-code') {
    result.stop = 'refused-code';
    result.error = final.error;
  }
  // Nothing left the browser (a 401 before anything was sent, a usage error): nothing to read back.
  if (result.attempts.length === 0) return result;

  // 5. Read back.
  try {
    let seen = await deps.readWrapup(target);
    let via: 'communication' | 'participant' = 'communication';
    if (!seen?.code && final.method === 'patch' && deps.hasPatch(target.media)) {
      seen = await deps.readParticipantWrapup(target);
      via = 'participant';
    }
    result.readBack = { code: seen?.code ?? null, via };
    const last = result.attempts[result.attempts.length - 1]!;
    if (last.outcome === 'unknown' && seen?.code === code.id) {
      // The answer was lost but the write landed: that is what the org allows.
      result.attempts[result.attempts.length - 1] = { ...last, outcome: 'applied' };
      result.recovered = true;
      result.stop = null;
      result.error = null;
    }
  } catch (e) {
    result.readBack = { error: toApiError(e) };
  }
  return result;
}
