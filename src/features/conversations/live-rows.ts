/**
 * "My missing wrap-ups" while the page is open: what the agent's own user conversation topic says
 * about a communication (`OwnCommunication`, classified by the live rule in
 * `@/lib/genesys/own-conversations.ts`) laid over the loaded rows. The participant's status is then
 * recomputed by the same `agentWrapup` (→ `classifyParticipant`) the loaded rows use, so a live row
 * and a loaded one are counted alike. Analytics lags behind such a change by seconds or more [M]:
 * the event is the fresher source until the next load.
 */
import type { OwnCommunication } from '@/lib/genesys/own-conversations.ts';
import { agentWrapup, type AcwState, type ConversationRow, type ParticipantState, type SessionState, type WrapupStatus } from './wrapup-status.ts';

const statusOf = (s: OwnCommunication['state']): WrapupStatus => (s === 'system-coded' ? 'system' : s);

function sessionOf(c: OwnCommunication, previous: SessionState | undefined): SessionState {
  const out: SessionState = {
    // The event names the communication: a call-history row (no ids) learns it here.
    sessionId: previous?.sessionId || c.communicationId,
    mediaType: previous?.mediaType ?? c.mediaType,
    status: statusOf(c.state),
    state: c.ended ? 'disconnected' : 'active',
    acw: c.acw,
  };
  if (c.code) out.code = c.code;
  else if (previous?.note !== undefined && previous.code === undefined) out.note = previous.note;
  if (previous?.disconnectType) out.disconnectType = previous.disconnectType;
  const endedAt = c.endedAt ?? previous?.endedAt;
  if (endedAt !== undefined) out.endedAt = endedAt;
  return out;
}

function participantAcw(sessions: readonly SessionState[]): AcwState {
  if (sessions.some((s) => s.acw === 'pending')) return 'pending';
  if (sessions.some((s) => s.acw === 'skipped')) return 'skipped';
  if (sessions.some((s) => s.acw === 'complete')) return 'complete';
  return 'none';
}

function withSessions(p: ParticipantState, sessions: SessionState[]): ParticipantState {
  return {
    ...p,
    sessions,
    state: sessions.some((s) => s.state === 'active') ? 'active' : 'disconnected',
    acw: participantAcw(sessions),
    wrapup: agentWrapup(sessions),
  };
}

/**
 * The row with one communication's live state. The session is found by its communication id; a
 * row from the call history (communication ids unknown: `sessionId` '') has one session per
 * participant, which is the one. An unknown participant or communication is added.
 */
export function withLiveCommunication(row: ConversationRow, c: OwnCommunication): ConversationRow {
  let found = false;
  const participants = row.participants.map((p) => {
    if (p.participantId !== c.participantId) return p;
    found = true;
    const i = p.sessions.findIndex((s) => s.sessionId === c.communicationId || (s.sessionId === '' && p.sessions.length === 1));
    const sessions = i >= 0 ? p.sessions.map((s, j) => (j === i ? sessionOf(c, s) : s)) : [...p.sessions, sessionOf(c, undefined)];
    return withSessions(p, sessions);
  });
  if (!found) participants.push(liveParticipant(c));
  const agents = participants.filter((p) => p.purpose === 'agent');
  const queueIds = row.queueIds.includes(c.queueId ?? '') || !c.queueId ? row.queueIds : [...row.queueIds, c.queueId];
  return { ...row, participants, agents, queueIds };
}

function liveParticipant(c: OwnCommunication): ParticipantState {
  const base: ParticipantState = { participantId: c.participantId, purpose: 'agent', name: c.name ?? '', state: 'disconnected', acw: 'none', sessions: [] };
  if (c.queueId) base.queueId = c.queueId;
  return withSessions(base, [sessionOf(c, undefined)]);
}

/** A row for a conversation the list does not have yet (it started after the load, or analytics had not shown it). */
export function liveRow(c: OwnCommunication, userId: string, now: number): ConversationRow {
  const p = { ...liveParticipant(c), userId };
  const start = c.connectedAt ?? c.endedAt ?? now;
  const end = c.ended ? (c.endedAt ?? null) : null;
  return {
    id: c.conversationId,
    start,
    end,
    durationMs: end === null ? null : Math.max(0, end - start),
    media: c.mediaType,
    direction: '',
    queueIds: c.queueId ? [c.queueId] : [],
    participants: [p],
    agents: [p],
  };
}

/**
 * The loaded rows with every live communication laid over them, in the order they came (a later
 * event about the same communication replaces the earlier one: the caller keeps the latest only).
 */
export function applyLive(rows: readonly ConversationRow[], live: Iterable<OwnCommunication>, userId: string, now: number): ConversationRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const added: string[] = [];
  for (const c of live) {
    const row = byId.get(c.conversationId);
    if (row) byId.set(c.conversationId, withLiveCommunication(row, c));
    else {
      byId.set(c.conversationId, liveRow(c, userId, now));
      added.push(c.conversationId);
    }
  }
  return [...added, ...rows.map((r) => r.id)].map((id) => byId.get(id)!);
}
