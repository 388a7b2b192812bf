/**
 * The "missing wrap-up" computation (genesys-platform.md §2–3). It must be done per agent
 * participant on the analytics record: a `wrapUpCode notExists` filter matches every code-less
 * segment and returns nearly everything.
 *
 * Per agent session (analytics `sessionId` = the communication id the wrap-up POST needs [M]):
 * - a segment carries a `wrapUpCode`: **system** when it is a platform code (`ININ-WRAP-UP-TIMEOUT`,
 *   `ININ-OUTBOUND-*`), else **coded**; the latest segment with a code wins;
 * - no code and a non-wrap-up segment still open (no `segmentEnd`): **active** (the interaction is
 *   still going on; it cannot be wrapped up yet);
 * - no code, ended, never connected (only alert/dialing segments): **unanswered**, no wrap-up is
 *   expected for a communication the agent never took [M];
 * - otherwise **missing**, or **not-writable** when its media has no wrap-up endpoint (chat since
 *   SDK v259): still missing, but the app must say it cannot be written.
 *
 * A participant with several sessions: the wrap-up belongs to a communication (§1), so the
 * participant is missing when any answered, ended session lacks a code [M: whether the platform
 * only expects it on the last session is not documented]; the latest such session is the target.
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { mediaPathFromAnalytics } from '@/lib/genesys/media.ts';

export type WrapupStatus = 'missing' | 'not-writable' | 'system' | 'coded' | 'active' | 'unanswered';
export const WRAPUP_STATUSES: readonly WrapupStatus[] = ['missing', 'not-writable', 'system', 'coded', 'active', 'unanswered'];

export type AcwState = 'pending' | 'skipped' | 'complete' | 'none';
export type CommState = 'active' | 'disconnected';

export type AnalyticsConversation = Models.AnalyticsConversationWithoutAttributes;
type AnalyticsParticipant = Models.AnalyticsParticipantWithoutAttributes;
type AnalyticsSession = Models.AnalyticsSession;

/** Platform codes are literal strings starting with `ININ-` [H]. */
export function isSystemCode(code: string): boolean {
  return code.startsWith('ININ-');
}

export interface SessionState {
  sessionId: string;
  mediaType: string;
  status: WrapupStatus;
  /** The wrap-up code id (or system code) on the session, if any. */
  code?: string;
  note?: string;
  state: CommState;
  disconnectType?: string;
  acw: AcwState;
}

export interface ParticipantState {
  participantId: string;
  purpose: string;
  name: string;
  userId?: string;
  queueId?: string;
  state: CommState;
  disconnectType?: string;
  acw: AcwState;
  sessions: SessionState[];
  /** Agent participants only: the participant's wrap-up status. */
  wrapup?: AgentWrapup;
}

export interface AgentWrapup {
  status: WrapupStatus;
  /** The code shown (coded/system): from the latest coded session. */
  code?: string;
  /** The session (communication) a wrap-up would be written to, for missing ones. */
  communicationId?: string;
  mediaType?: string;
}

/** Segments that mean the agent took the interaction (alert, dialing and contacting do not). */
const CONNECTED_SEGMENTS = new Set(['interact', 'hold', 'parked']);

function segmentsOf(s: AnalyticsSession): Models.AnalyticsConversationSegment[] {
  return s.segments ?? [];
}

export function sessionState(session: AnalyticsSession, purpose: string): SessionState {
  const segments = segmentsOf(session);
  const mediaType = session.mediaType ?? 'unknown';
  let code: string | undefined;
  let note: string | undefined;
  let codeAt = -Infinity;
  let open = false;
  let connected = false;
  let disconnectType: string | undefined;
  let lastEnd = -Infinity;
  let acw: AcwState = session.acwSkipped ? 'skipped' : 'none';
  for (const seg of segments) {
    const type = seg.segmentType ?? '';
    const start = seg.segmentStart ? Date.parse(seg.segmentStart) : 0;
    if (seg.wrapUpCode) {
      if (start >= codeAt) {
        codeAt = start;
        code = seg.wrapUpCode;
        note = seg.wrapUpNote;
      }
    }
    if (type === 'wrapup') {
      if (acw !== 'skipped') acw = seg.segmentEnd ? 'complete' : 'pending';
      continue;
    }
    if (CONNECTED_SEGMENTS.has(type)) connected = true;
    if (!seg.segmentEnd) open = true;
    else {
      const end = Date.parse(seg.segmentEnd);
      if (end >= lastEnd) {
        lastEnd = end;
        disconnectType = seg.disconnectType ?? disconnectType;
      }
    }
  }
  if (code !== undefined && acw === 'none') acw = 'complete';
  const state: CommState = open ? 'active' : 'disconnected';
  let status: WrapupStatus;
  if (purpose !== 'agent') status = 'unanswered';
  else if (code !== undefined) status = isSystemCode(code) ? 'system' : 'coded';
  else if (open) status = 'active';
  else if (!connected) status = 'unanswered';
  else status = mediaPathFromAnalytics(mediaType).writable ? 'missing' : 'not-writable';
  const out: SessionState = { sessionId: session.sessionId ?? '', mediaType, status, state, acw };
  if (code !== undefined) out.code = code;
  if (note !== undefined) out.note = note;
  if (disconnectType !== undefined) out.disconnectType = disconnectType;
  return out;
}

/** Which status speaks for a participant with several sessions (earlier = stronger). */
const PRIORITY: Record<WrapupStatus, number> = { missing: 0, 'not-writable': 1, active: 2, coded: 3, system: 4, unanswered: 5 };

export function agentWrapup(sessions: readonly SessionState[]): AgentWrapup {
  let best: SessionState | undefined;
  // Ties go to the later session: the latest communication is the one the platform shows.
  for (const s of sessions) if (!best || PRIORITY[s.status] <= PRIORITY[best.status]) best = s;
  if (!best) return { status: 'unanswered' };
  const out: AgentWrapup = { status: best.status, mediaType: best.mediaType };
  if (best.status === 'missing' || best.status === 'not-writable') out.communicationId = best.sessionId;
  // The code shown: the coded session's own, else the latest code on any session.
  const coded = best.code !== undefined ? best : [...sessions].reverse().find((s) => s.code !== undefined);
  if (coded?.code !== undefined) out.code = coded.code;
  return out;
}

function firstQueue(p: AnalyticsParticipant): string | undefined {
  for (const s of p.sessions ?? []) for (const seg of segmentsOf(s)) if (seg.queueId) return seg.queueId;
  return undefined;
}

export function participantState(p: AnalyticsParticipant): ParticipantState {
  const purpose = p.purpose ?? 'unknown';
  const sessions = (p.sessions ?? []).map((s) => sessionState(s, purpose));
  const state: CommState = sessions.some((s) => s.state === 'active') ? 'active' : 'disconnected';
  const last = sessions[sessions.length - 1];
  const acw: AcwState = sessions.some((s) => s.acw === 'pending')
    ? 'pending'
    : sessions.some((s) => s.acw === 'skipped')
      ? 'skipped'
      : sessions.some((s) => s.acw === 'complete')
        ? 'complete'
        : 'none';
  const out: ParticipantState = {
    participantId: p.participantId ?? '',
    purpose,
    name: p.participantName ?? '',
    state,
    acw,
    sessions,
  };
  if (p.userId) out.userId = p.userId;
  const queueId = firstQueue(p);
  if (queueId) out.queueId = queueId;
  if (last?.disconnectType) out.disconnectType = last.disconnectType;
  if (purpose === 'agent') out.wrapup = agentWrapup(sessions);
  return out;
}

export type StatusCounts = Record<WrapupStatus, number>;

export const emptyCounts = (): StatusCounts => ({ missing: 0, 'not-writable': 0, system: 0, coded: 0, active: 0, unanswered: 0 });

/** One worklist row: a conversation with its participants' states, computed once when it arrives. */
export interface ConversationRow {
  id: string;
  start: number;
  end: number | null;
  /** Milliseconds; null while the conversation is still going on. */
  durationMs: number | null;
  media: string;
  direction: string;
  /** Queues the conversation went through, agents' first. */
  queueIds: string[];
  participants: ParticipantState[];
  agents: ParticipantState[];
}

/**
 * A row after a wrap-up the platform confirmed (the write path's read-back): the communication's
 * session becomes coded (or system-coded) and the participant's status follows. Analytics lags
 * behind a write by seconds [M], so reloading the list at once could still show it missing; the
 * confirmed live read is the better source, and the next load replaces this anyway.
 */
export function withConfirmedWrapup(row: ConversationRow, w: { participantId: string; communicationId: string; code: string; notes?: string }): ConversationRow {
  let changed = false;
  const participants = row.participants.map((p) => {
    if (p.participantId !== w.participantId || p.purpose !== 'agent') return p;
    const sessions = p.sessions.map((s) => {
      if (s.sessionId !== w.communicationId) return s;
      changed = true;
      const next: SessionState = { ...s, status: isSystemCode(w.code) ? 'system' : 'coded', code: w.code, acw: 'complete' };
      if (w.notes !== undefined) next.note = w.notes;
      else delete next.note;
      return next;
    });
    const acw: AcwState = sessions.some((s) => s.acw === 'pending') ? 'pending' : sessions.some((s) => s.acw === 'skipped') ? 'skipped' : 'complete';
    return { ...p, sessions, acw, wrapup: agentWrapup(sessions) };
  });
  if (!changed) return row;
  return { ...row, participants, agents: participants.filter((p) => p.purpose === 'agent') };
}

export function conversationRow(c: AnalyticsConversation): ConversationRow {
  const participants = (c.participants ?? []).map(participantState);
  const agents = participants.filter((p) => p.purpose === 'agent');
  const start = c.conversationStart ? Date.parse(c.conversationStart) : 0;
  const end = c.conversationEnd ? Date.parse(c.conversationEnd) : null;
  const queueIds: string[] = [];
  for (const p of [...agents, ...participants]) if (p.queueId && !queueIds.includes(p.queueId)) queueIds.push(p.queueId);
  const media = agents[0]?.sessions[0]?.mediaType ?? participants.find((p) => p.sessions[0])?.sessions[0]?.mediaType ?? 'unknown';
  return {
    id: c.conversationId ?? '',
    start,
    end,
    durationMs: end === null ? null : Math.max(0, end - start),
    media,
    direction: c.originatingDirection ?? '',
    queueIds,
    participants,
    agents,
  };
}

/** The agent participants a filter is about: a queue or agent filter narrows them, not just the rows. */
export interface AgentScope {
  queue: string | null;
  agent: string | null;
}

export function agentsInScope(row: ConversationRow, scope: AgentScope): ParticipantState[] {
  if (!scope.queue && !scope.agent) return row.agents;
  return row.agents.filter((a) => (!scope.queue || a.queueId === scope.queue) && (!scope.agent || a.userId === scope.agent));
}

export function countStatuses(rows: readonly ConversationRow[], scope: AgentScope): StatusCounts {
  const counts = emptyCounts();
  for (const r of rows) for (const a of agentsInScope(r, scope)) if (a.wrapup) counts[a.wrapup.status]++;
  return counts;
}

/** "Missing" as the worklist counts it: writable or not, the participant has no wrap-up. */
export function missingTotal(counts: StatusCounts): number {
  return counts.missing + counts['not-writable'];
}
