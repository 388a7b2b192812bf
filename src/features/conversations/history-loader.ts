/**
 * "My missing wrap-ups" for an agent WITHOUT any analytics permission (issue 18): the only list of
 * their conversations they may read is their own voice history, `GET /api/v2/conversations/calls/history`
 * (no permission, no wrap-up fields [H]). Each listed call is then read through its media GET,
 * `GET /api/v2/conversations/calls/{cid}` (no permission for one's own conversation [H]), whose
 * participant carries the wrap-up, the state and the after-call work of its latest communication.
 *
 * The rows are the worklist's `ConversationRow`s, classified by the one rule
 * (`classifyMediaParticipant` → `classifyLiveCommunication` of `@/lib/genesys/wrapup-rules.ts`, and
 * `agentWrapup` → `classifyParticipant` for the participant), so counts and labels are the same as
 * the worklist's. What is not known here: the communication ids (`sessionId` stays '': the write
 * goes to the participant), and email, message or callback conversations (calls only).
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import type { MediaConversation, MediaParticipant } from '@/lib/genesys/api.ts';
import { toApiError } from '@/lib/genesys/api-error.ts';
import { classifyMediaParticipant } from '@/lib/genesys/own-conversations.ts';
import type { WrapupState } from '@/lib/genesys/wrapup-rules.ts';
import { parseIntervalString, type PageFailure, type WorklistData } from './loader.ts';
import { agentWrapup, type ConversationRow, type ParticipantState, type SessionState, type WrapupStatus } from './wrapup-status.ts';

export interface HistoryApi {
  history(interval: string, signal: AbortSignal): Promise<{ conversations: Models.CallHistoryConversation[]; truncated: boolean }>;
  mediaConversation(conversationId: string, signal: AbortSignal): Promise<MediaConversation>;
  now(): number;
}

export interface HistoryData extends WorklistData {
  /** The history had more pages than were read (the newest calls are shown). */
  truncated: boolean;
}

/** Media GETs in flight at once: the shared limiter paces them anyway; this keeps the queue short. */
export const MEDIA_READS_AT_ONCE = 4;

/** The worklist's name of a rule state (`system-coded` is shown as `system`, as in wrapup-status.ts). */
const statusOf = (s: WrapupState): WrapupStatus => (s === 'system-coded' ? 'system' : s);

function time(v: string | undefined): number | undefined {
  const t = v ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** One participant of a call as the agent can see it: from the media GET, or the history alone. */
function participantOf(h: Models.CallHistoryParticipant | undefined, m: MediaParticipant | undefined, userId: string, now: number): ParticipantState {
  const purpose = m?.purpose ?? h?.purpose ?? 'unknown';
  const ended = m ? m.state === 'disconnected' || m.state === 'terminated' || (m.state === undefined && m.endTime !== undefined) : h?.endTime !== undefined;
  const out: ParticipantState = {
    participantId: m?.id ?? h?.id ?? '',
    purpose,
    name: m?.name ?? h?.name ?? '',
    state: ended ? 'disconnected' : 'active',
    acw: 'none',
    sessions: [],
  };
  const uid = m?.user?.id ?? h?.user?.id;
  if (uid) out.userId = uid;
  const queueId = m?.queue?.id ?? h?.queue?.id;
  if (queueId) out.queueId = queueId;
  const disconnectType = m?.disconnectType ?? h?.disconnectType;
  if (disconnectType) out.disconnectType = disconnectType;
  // Only the signed-in agent's own participants are classified: the media GET is read for them.
  if (purpose === 'agent' && uid === userId && m) {
    const answered = h?.didInteract ?? (m.connectedTime !== undefined ? true : undefined);
    const state = classifyMediaParticipant(m, now, answered);
    const acw = m.wrapupSkipped ? 'skipped' : m.startAcwTime ? (m.endAcwTime ? 'complete' : 'pending') : m.wrapup?.code ? 'complete' : 'none';
    const session: SessionState = { sessionId: '', mediaType: 'voice', status: statusOf(state), state: out.state, acw };
    if (m.wrapup?.code) session.code = m.wrapup.code;
    if (m.wrapup?.notes) session.note = m.wrapup.notes;
    if (disconnectType) session.disconnectType = disconnectType;
    const endedAt = time(m.endTime);
    if (endedAt !== undefined) session.endedAt = endedAt;
    const acwSince = acw === 'pending' && !m.wrapup?.code ? time(m.startAcwTime) : undefined;
    if (acwSince !== undefined) session.acwSince = acwSince;
    out.acw = acw;
    out.sessions = [session];
    out.wrapup = agentWrapup([session]);
  }
  return out;
}

/** A worklist row for one call of the agent's history, with the media GET's view of it when read. */
export function historyRow(h: Models.CallHistoryConversation, m: MediaConversation | undefined, userId: string, now: number): ConversationRow {
  const ids = new Set<string>();
  const participants: ParticipantState[] = [];
  const mediaById = new Map((m?.participants ?? []).filter((p) => p.id).map((p) => [p.id!, p]));
  for (const hp of h.participants ?? []) {
    if (hp.id) ids.add(hp.id);
    participants.push(participantOf(hp, hp.id ? mediaById.get(hp.id) : undefined, userId, now));
  }
  for (const mp of m?.participants ?? []) if (mp.id && !ids.has(mp.id)) participants.push(participantOf(undefined, mp, userId, now));
  const agents = participants.filter((p) => p.purpose === 'agent');
  const start = time(h.startTime) ?? 0;
  const ends = (h.participants ?? []).map((p) => time(p.endTime));
  const end = ends.length > 0 && ends.every((e) => e !== undefined) ? Math.max(...ends) : null;
  const queueIds: string[] = [];
  for (const p of [...agents, ...participants]) if (p.queueId && !queueIds.includes(p.queueId)) queueIds.push(p.queueId);
  return {
    id: h.id ?? '',
    start,
    end,
    durationMs: end === null ? null : Math.max(0, end - start),
    media: 'voice',
    direction: h.direction ?? '',
    queueIds,
    participants,
    agents,
  };
}

/** Runs `work` over `items`, at most `n` at a time, in order of the items. */
async function eachLimited<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/**
 * The agent's calls that started inside `interval` (`<ISO>/<ISO>`), each read through its media GET.
 * A failed history read fails the load; a failed media GET keeps the call (unclassified) and is
 * reported as a partial failure, as the worklist reports a failed page.
 */
export async function loadCallHistory(
  interval: string,
  userId: string,
  api: HistoryApi,
  options: { signal?: AbortSignal; onUpdate?: (d: HistoryData) => void } = {},
): Promise<HistoryData> {
  const signal = options.signal ?? new AbortController().signal;
  const win = parseIntervalString(interval);
  const startedAt = api.now();
  let history: Awaited<ReturnType<HistoryApi['history']>>;
  try {
    history = await api.history(interval, signal);
  } catch (e) {
    throw toApiError(e);
  }
  // The platform's `interval` is taken as given; the window is ours, as the worklist's is.
  const calls = history.conversations.filter((c) => {
    const s = time(c.startTime);
    return c.id && s !== undefined && s >= win.start && s < win.end;
  });
  const rows = new Map<string, ConversationRow>();
  const failures: PageFailure[] = [];
  let done = 0;
  const snapshot = (final: boolean): HistoryData => ({
    rows: calls.map((c) => rows.get(c.id!)).filter((r): r is ConversationRow => r !== undefined),
    loaded: done,
    total: calls.length,
    pagesDone: done,
    pagesTotal: calls.length,
    mode: 'sync',
    phase: final ? 'done' : 'loading',
    failures: [...failures],
    startedAt,
    finishedAt: final ? api.now() : null,
    truncated: history.truncated,
  });
  options.onUpdate?.(snapshot(false));
  await eachLimited(calls, MEDIA_READS_AT_ONCE, async (c) => {
    let media: MediaConversation | undefined;
    try {
      media = await api.mediaConversation(c.id!, signal);
    } catch (e) {
      if (signal.aborted) throw toApiError(e);
      const err = toApiError(e);
      const f: PageFailure = { source: c.id!, page: 0, status: err.status, code: err.code, message: err.message };
      if (err.contextId) f.contextId = err.contextId;
      failures.push(f);
    }
    rows.set(c.id!, historyRow(c, media, userId, api.now()));
    done++;
    if (!signal.aborted) options.onUpdate?.(snapshot(false));
  });
  return snapshot(true);
}
