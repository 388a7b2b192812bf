/**
 * The one classification of "missing wrap-up" (genesys-platform.md §2–4). The worklist
 * (`features/conversations/wrapup-status.ts`), the bulk preview and the bulk runner's re-checks
 * (`features/wrap-up/bulk/planner.ts`) and the single wrap-up form (`communication-choice.ts`) all
 * classify through this module; the simulated org keeps its own, independent rule as the test oracle.
 * Pure: no I/O, no clock (the caller passes `now`).
 *
 * One analytics session of an agent participant (analytics `sessionId` = the communication id the
 * wrap-up POST needs [M]) is, in this order:
 * 1. **coded** / **system-coded**: a segment carries a `wrapUpCode`. Segments are taken in
 *    `segmentStart` order (analytics does not promise array order; a segment without a readable
 *    start counts as the earliest, ties keep array order) and the LATEST code wins. A code is never
 *    undone by a later segment without one.
 * 2. **active**: a non-wrap-up segment has no `segmentEnd`: the communication is not disconnected
 *    (ringing, talking, on hold). Nothing can be written yet.
 * 3. pending after-call work: the latest `wrapup` segment is still open and ACW was not skipped.
 *    **active** while it began less than `ACW_GRACE_MS` (5 min) before `now` (the agent is probably
 *    choosing a code right now; an unreadable start counts as "just began"), otherwise **missing**
 *    (an abandoned wrap-up) with `acwSince`, so a bulk job writes it only while an agent's code would
 *    be seen (DESIGN.md).
 * 4. **unanswered**: ended without ever being taken: no `interact`, `hold` or `parked` segment and no
 *    after-call work (alerted only, or dialing only, e.g. a ring-no-answer before a transfer). No
 *    wrap-up is expected [M]; a bulk job never writes it.
 * 5. **missing**, or **not-writable** when its media has no wrap-up endpoint (chat since SDK v259):
 *    it has no wrap-up either, but the app cannot write it.
 * Transfers need no rule of their own: the transferring agent's session ended with
 * `disconnectType: transfer` and is classified like any other; each agent participant stands alone.
 *
 * A participant with several sessions (`classifyParticipant`): the wrap-up belongs to a
 * communication (§1), so the participant is missing when any session is missing [M: whether the
 * platform expects it only on the last one is not documented]; missing > not-writable > active >
 * coded > system-coded > unanswered, ties to the later session; the latest missing session is the
 * one to write.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { mediaPathFromAnalytics } from './media.ts';

export type WrapupState = 'missing' | 'not-writable' | 'system-coded' | 'coded' | 'active' | 'unanswered';
export const WRAPUP_STATES: readonly WrapupState[] = ['missing', 'not-writable', 'system-coded', 'coded', 'active', 'unanswered'];

/** The after-call-work state analytics shows for a session. */
export type AcwState = 'pending' | 'skipped' | 'complete' | 'none';

/**
 * After-call work that began less than this long ago counts as "active": the agent is probably
 * still choosing a code [L: a product choice, not a platform rule]. Older pending ACW is an
 * abandoned wrap-up: "missing".
 */
export const ACW_GRACE_MS = 5 * 60_000;

/**
 * Codes the platform sets, not a person [H]: `ININ-WRAP-UP-TIMEOUT`, `ININ-OUTBOUND-*`. The platform
 * writes them in upper case; the match is case-insensitive on purpose: a system code must never be
 * counted as missing nor written over as if a person had chosen it, so an `inin-…` spelling (another
 * tool, a hand-made import) is treated as one too.
 */
export function isSystemCode(code: string | null | undefined): boolean {
  return typeof code === 'string' && code.toUpperCase().startsWith('ININ-');
}

/** The state a wrap-up code alone gives (a live read of a communication's wrap-up: no code = missing). */
export function codeState(code: string | null | undefined): 'missing' | 'coded' | 'system-coded' {
  if (typeof code !== 'string' || code === '') return 'missing';
  return isSystemCode(code) ? 'system-coded' : 'coded';
}

/** The parts of an analytics segment the rule reads (the SDK's own type fits). */
export type SegmentInput = Pick<
  Models.AnalyticsConversationSegment,
  'segmentType' | 'segmentStart' | 'segmentEnd' | 'wrapUpCode' | 'wrapUpNote' | 'disconnectType'
>;

/** The parts of an analytics session the rule reads (the SDK's `AnalyticsSession` fits). */
export interface SessionInput {
  mediaType?: string;
  acwSkipped?: boolean;
  segments?: readonly SegmentInput[];
}

export interface ClassifyOptions {
  /** Pending after-call work younger than this is active. Default `ACW_GRACE_MS`. */
  acwGraceMs?: number;
}

export interface SessionClassification {
  state: WrapupState;
  /** The latest wrap-up code (or system code) on the session, or null. */
  code: string | null;
  /** The note that came with that code. */
  note: string | null;
  /** Epoch ms when pending after-call work began, when it is open and no code is set; else null. */
  acwSince: number | null;
  acw: AcwState;
  /** A non-wrap-up segment is still open: the communication is not disconnected. */
  open: boolean;
  /** The agent took the interaction (interact, hold, parked, or after-call work). */
  answered: boolean;
  /** The media has a wrap-up endpoint (not chat). */
  writable: boolean;
  /** The disconnect type of the segment that ended last, if any. */
  disconnectType: string | null;
  /** Epoch ms the communication ended (its last non-wrap-up segment), or null while open or unknown. */
  endedAt: number | null;
}

/** Segments that mean the agent took the interaction (alert, dialing and contacting do not). */
const TAKEN_SEGMENTS = new Set(['interact', 'hold', 'parked']);

const startOf = (s: SegmentInput): number => {
  const t = s.segmentStart ? Date.parse(s.segmentStart) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
};

/** Segments in `segmentStart` order; unreadable starts first; ties keep array order (stable sort). */
export function segmentsInOrder(segments: readonly SegmentInput[] | undefined): SegmentInput[] {
  return [...(segments ?? [])].sort((a, b) => {
    const x = startOf(a);
    const y = startOf(b);
    return x === y ? 0 : x < y ? -1 : 1;
  });
}

export function classifySession(session: SessionInput, now: number, options: ClassifyOptions = {}): SessionClassification {
  const graceMs = options.acwGraceMs ?? ACW_GRACE_MS;
  let code: string | null = null;
  let note: string | null = null;
  let open = false;
  let answered = false;
  let lastWrapup: SegmentInput | null = null;
  let disconnectType: string | null = null;
  let lastEnd = -Infinity;
  for (const seg of segmentsInOrder(session.segments)) {
    const type = seg.segmentType ?? '';
    if (seg.wrapUpCode) {
      code = seg.wrapUpCode;
      note = seg.wrapUpNote ?? null;
    }
    if (type === 'wrapup') {
      lastWrapup = seg;
      answered = true;
      continue;
    }
    if (TAKEN_SEGMENTS.has(type)) answered = true;
    if (!seg.segmentEnd) open = true;
    else {
      const end = Date.parse(seg.segmentEnd);
      if (end >= lastEnd) {
        lastEnd = end;
        disconnectType = seg.disconnectType ?? disconnectType;
      }
    }
  }
  let acw: AcwState = session.acwSkipped ? 'skipped' : lastWrapup ? (lastWrapup.segmentEnd ? 'complete' : 'pending') : 'none';
  if (code !== null && acw === 'none') acw = 'complete';
  const writable = mediaPathFromAnalytics(session.mediaType).writable;
  let acwSince: number | null = null;
  if (code === null && acw === 'pending' && lastWrapup) {
    const t = startOf(lastWrapup);
    acwSince = t === -Infinity ? now : t; // an unreadable start: as if it had just begun (the safe side)
  }

  let state: WrapupState;
  if (code !== null) state = isSystemCode(code) ? 'system-coded' : 'coded';
  else if (open) state = 'active';
  else if (acwSince !== null && now - acwSince < graceMs) state = 'active';
  else if (!answered) state = 'unanswered';
  else state = writable ? 'missing' : 'not-writable';
  const endedAt = !open && lastEnd !== -Infinity && !Number.isNaN(lastEnd) ? lastEnd : null;
  return { state, code, note, acwSince, acw, open, answered, writable, disconnectType, endedAt };
}

/** Which state speaks for a participant with several sessions (lower = stronger). */
const PARTICIPANT_PRIORITY: Record<WrapupState, number> = { missing: 0, 'not-writable': 1, active: 2, coded: 3, 'system-coded': 4, unanswered: 5 };

export interface ParticipantClassification {
  state: WrapupState;
  /** The code shown: the deciding session's own, else the latest code on any session. */
  code: string | null;
  /** The session (communication) a wrap-up goes to, when the participant is missing / not-writable. */
  sessionId: string | null;
  /** The deciding session's media type. */
  mediaType: string | null;
}

/** An agent participant's state from its sessions' states (in the order analytics lists them). */
export function classifyParticipant(
  sessions: readonly { sessionId: string; mediaType?: string; state: WrapupState; code: string | null }[],
): ParticipantClassification {
  let best: (typeof sessions)[number] | undefined;
  // Ties go to the later session: the latest communication is the one the platform shows.
  for (const s of sessions) if (!best || PARTICIPANT_PRIORITY[s.state] <= PARTICIPANT_PRIORITY[best.state]) best = s;
  if (!best) return { state: 'unanswered', code: null, sessionId: null, mediaType: null };
  const coded = best.code !== null ? best : [...sessions].reverse().find((s) => s.code !== null);
  return {
    state: best.state,
    code: coded?.code ?? null,
    sessionId: best.state === 'missing' || best.state === 'not-writable' ? best.sessionId : null,
    mediaType: best.mediaType ?? null,
  };
}

/** The parts of a live communication (`GET /api/v2/conversations/{id}`) the rule reads. */
export interface LiveCommunicationInput {
  state?: string;
  disconnectedTime?: string;
  wrapup?: Pick<Models.Wrapup, 'code'>;
  afterCallWork?: Pick<Models.AfterCallWork, 'state' | 'startTime'>;
}

/**
 * The same rule on a live communication (the single wrap-up form reads the conversation, not
 * analytics): a code → coded / system-coded; not disconnected (or terminated) → active; after-call
 * work pending for less than the grace period → active; otherwise missing. A live read cannot tell
 * an unanswered communication apart (it carries no segments): the form's user picked the
 * participant, so it is offered as missing.
 */
export function classifyLiveCommunication(
  comm: LiveCommunicationInput,
  now: number,
  options: ClassifyOptions = {},
): Extract<WrapupState, 'missing' | 'coded' | 'system-coded' | 'active'> {
  const graceMs = options.acwGraceMs ?? ACW_GRACE_MS;
  const byCode = codeState(comm.wrapup?.code);
  if (byCode !== 'missing') return byCode;
  const ended = comm.state === undefined ? comm.disconnectedTime !== undefined : comm.state === 'disconnected' || comm.state === 'terminated';
  if (!ended) return 'active';
  if (comm.afterCallWork?.state === 'pending') {
    const since = comm.afterCallWork.startTime ? Date.parse(comm.afterCallWork.startTime) : NaN;
    if (Number.isNaN(since) || now - since < graceMs) return 'active';
  }
  return 'missing';
}
