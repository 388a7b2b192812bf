/**
 * Worklist rows: every participant of an analytics conversation with its state, and for agent
 * participants the wrap-up status. The classification itself ("missing", "system", "active", ...)
 * is the one rule of `@/lib/genesys/wrapup-rules.ts`, shared with the bulk preview and runner; this
 * file only names its states for the worklist (`system-coded` is shown as `system`) and adds what
 * the table and the detail panel show (queue, communication state, ACW state).
 *
 * Pending after-call work is classified as of the time the row was built (the load): it stays
 * "active" until the list is loaded again, even after the grace period has passed.
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { classifyParticipant, classifySession, codeState, type AcwState, type WrapupState } from '@/lib/genesys/wrapup-rules.ts';

export type { AcwState };

export type WrapupStatus = 'missing' | 'not-writable' | 'system' | 'coded' | 'active' | 'unanswered';
export const WRAPUP_STATUSES: readonly WrapupStatus[] = ['missing', 'not-writable', 'system', 'coded', 'active', 'unanswered'];

/** The rule's states under the worklist's names (URL filters and labels say `system`). */
const STATUS_OF: Record<WrapupState, WrapupStatus> = {
  missing: 'missing',
  'not-writable': 'not-writable',
  'system-coded': 'system',
  coded: 'coded',
  active: 'active',
  unanswered: 'unanswered',
};
const STATE_OF: Record<WrapupStatus, WrapupState> = {
  missing: 'missing',
  'not-writable': 'not-writable',
  system: 'system-coded',
  coded: 'coded',
  active: 'active',
  unanswered: 'unanswered',
};

export type CommState = 'active' | 'disconnected';

export type AnalyticsConversation = Models.AnalyticsConversationWithoutAttributes;
type AnalyticsParticipant = Models.AnalyticsParticipantWithoutAttributes;
type AnalyticsSession = Models.AnalyticsSession;

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
  /** Epoch ms when pending after-call work without a code began. */
  acwSince?: number;
  /** Epoch ms the communication ended (its last non-wrap-up segment). */
  endedAt?: number;
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

function segmentsOf(s: AnalyticsSession): Models.AnalyticsConversationSegment[] {
  return s.segments ?? [];
}

/** One session as the worklist shows it; `now` decides whether pending after-call work is still in its grace period. */
export function sessionState(session: AnalyticsSession, purpose: string, now: number = Date.now()): SessionState {
  const c = classifySession(session, now);
  const mediaType = session.mediaType ?? 'unknown';
  // Only agent participants carry a wrap-up; the others expect none.
  const status: WrapupStatus = purpose === 'agent' ? STATUS_OF[c.state] : 'unanswered';
  const out: SessionState = { sessionId: session.sessionId ?? '', mediaType, status, state: c.open ? 'active' : 'disconnected', acw: c.acw };
  if (c.code !== null) out.code = c.code;
  if (c.note !== null) out.note = c.note;
  if (c.disconnectType !== null) out.disconnectType = c.disconnectType;
  if (c.acwSince !== null) out.acwSince = c.acwSince;
  if (c.endedAt !== null) out.endedAt = c.endedAt;
  return out;
}

export function agentWrapup(sessions: readonly SessionState[]): AgentWrapup {
  const p = classifyParticipant(sessions.map((s) => ({ sessionId: s.sessionId, mediaType: s.mediaType, state: STATE_OF[s.status], code: s.code ?? null })));
  const out: AgentWrapup = { status: STATUS_OF[p.state] };
  if (p.mediaType !== null) out.mediaType = p.mediaType;
  if (p.sessionId !== null) out.communicationId = p.sessionId;
  if (p.code !== null) out.code = p.code;
  return out;
}

function firstQueue(p: AnalyticsParticipant): string | undefined {
  for (const s of p.sessions ?? []) for (const seg of segmentsOf(s)) if (seg.queueId) return seg.queueId;
  return undefined;
}

export function participantState(p: AnalyticsParticipant, now: number = Date.now()): ParticipantState {
  const purpose = p.purpose ?? 'unknown';
  const sessions = (p.sessions ?? []).map((s) => sessionState(s, purpose, now));
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
export function withConfirmedWrapup(
  row: ConversationRow,
  w: { participantId: string; communicationId: string; code: string; notes?: string },
): ConversationRow {
  let changed = false;
  const participants = row.participants.map((p) => {
    if (p.participantId !== w.participantId || p.purpose !== 'agent') return p;
    const sessions = p.sessions.map((s) => {
      if (s.sessionId !== w.communicationId) return s;
      changed = true;
      const next: SessionState = { ...s, status: STATUS_OF[codeState(w.code)], code: w.code, acw: 'complete' };
      delete next.acwSince;
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

/** A worklist row, classified as of `now` (the load). */
export function conversationRow(c: AnalyticsConversation, now: number = Date.now()): ConversationRow {
  const participants = (c.participants ?? []).map((p) => participantState(p, now));
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
  /** "Find agent" (name or email text), applied in the browser; null or absent: every agent. */
  match?: ((agent: ParticipantState) => boolean) | null;
}

export function agentsInScope(row: ConversationRow, scope: AgentScope): ParticipantState[] {
  const match = scope.match;
  if (!scope.queue && !scope.agent && !match) return row.agents;
  return row.agents.filter((a) => (!scope.queue || a.queueId === scope.queue) && (!scope.agent || a.userId === scope.agent) && (!match || match(a)));
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
