/**
 * What an agent can read about their OWN conversations without supervisor permissions, turned into
 * the one wrap-up classification of `wrapup-rules.ts` (no second rule here: only the mapping of
 * these shapes onto its inputs).
 *
 * - A media participant (`GET /api/v2/conversations/{media}/{cid}`, no permission for one's own
 *   conversation [H]) has no communication ids and no per-communication after-call work [H: the
 *   SDK's media participant models]: its `wrapup`, `state`, `endTime`, `startAcwTime`/`endAcwTime`
 *   and `wrapupSkipped` describe its (latest) communication.
 * - The user conversation topic `v2.users.{id}.conversations` [H: topic name; M: one's own id needs
 *   no permission] carries every communication with its id, state, wrap-up and `afterCallWork`
 *   (`ConversationEventTopicConversation`). A communication that LEFT after-call work without a
 *   code has `afterCallWork.state` skipped or complete, an end time and no wrap-up code.
 */
import type { MediaParticipant } from './api.ts';
import type { WrapupMediaPath } from './media.ts';
import { classifyLiveCommunication, codeState, type LiveCommunicationInput, type WrapupState } from './wrapup-rules.ts';

/** The live-rule input of a media participant (its latest communication). */
export function liveInputOf(p: MediaParticipant): LiveCommunicationInput {
  const out: LiveCommunicationInput = {};
  if (p.state !== undefined) out.state = p.state;
  if (p.endTime !== undefined) out.disconnectedTime = p.endTime;
  if (p.wrapup?.code) out.wrapup = { code: p.wrapup.code };
  if (p.wrapupSkipped) out.afterCallWork = { state: 'skipped' };
  else if (p.startAcwTime && !p.endAcwTime) out.afterCallWork = { state: 'pending', startTime: p.startAcwTime };
  else if (p.startAcwTime) out.afterCallWork = { state: 'complete', startTime: p.startAcwTime };
  return out;
}

/**
 * A media participant's wrap-up state by the live rule. `answered: false` (call history's
 * `didInteract`, or no `connectedTime`) is step 4 of the rule, "unanswered": ended without ever
 * being taken, no wrap-up expected. A live read alone cannot tell (the rule says so), this one can.
 */
export function classifyMediaParticipant(p: MediaParticipant, now: number, answered: boolean | undefined): WrapupState {
  const state = classifyLiveCommunication(liveInputOf(p), now);
  return state === 'missing' && answered === false ? 'unanswered' : state;
}

// ---------------------------------------------------------------------------------------------
// The user conversation topic

const USER_ID = /^[A-Za-z0-9-]{1,128}$/;

/** `v2.users.{userId}.conversations`, or null for an id that could break the topic syntax. */
export function userConversationsTopic(userId: string): string | null {
  return USER_ID.test(userId) ? `v2.users.${userId}.conversations` : null;
}

/** Communication arrays of an event participant → the wrap-up path and analytics media type. */
const KINDS: Readonly<Record<string, { path: WrapupMediaPath | null; media: string }>> = {
  calls: { path: 'calls', media: 'voice' },
  callbacks: { path: 'callbacks', media: 'callback' },
  emails: { path: 'emails', media: 'email' },
  messages: { path: 'messages', media: 'message' },
  cobrowsesessions: { path: 'cobrowsesessions', media: 'cobrowse' },
  screenshares: { path: 'screenshares', media: 'screenshare' },
  socialExpressions: { path: 'socials', media: 'social' },
  videos: { path: 'videos', media: 'video' },
  chats: { path: null, media: 'chat' },
};

/** One communication of the signed-in agent, as a user conversation event shows it now. */
export interface OwnCommunication {
  conversationId: string;
  participantId: string;
  communicationId: string;
  /** Wrap-up path; null when the media has none (chat). */
  path: WrapupMediaPath | null;
  /** Analytics media type (`voice`, `email`, …). */
  mediaType: string;
  queueId?: string;
  name?: string;
  /** The live rule's state at `now`. */
  state: Extract<WrapupState, 'missing' | 'coded' | 'system-coded' | 'active'>;
  code?: string;
  /** After-call work ended (skipped or completed) and no code is set: the moment worth telling the agent. */
  leftAcwWithoutCode: boolean;
  /** The communication has ended (disconnected or terminated, or it has a disconnect time). */
  ended: boolean;
  /** Its after-call work as the event says (`none` when it says nothing). */
  acw: 'pending' | 'skipped' | 'complete' | 'none';
  /** Epoch ms the communication ended, if it did. */
  endedAt?: number;
  /** Epoch ms the participant connected (the closest this event has to the conversation's start). */
  connectedAt?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function time(v: unknown): number | undefined {
  const s = str(v);
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The signed-in user's communications in one `v2.users.{id}.conversations` event body (untrusted
 * JSON: anything malformed is skipped). Only participants whose `userId` is `userId`.
 */
export function ownCommunications(body: unknown, userId: string, now: number): OwnCommunication[] {
  if (!isRecord(body)) return [];
  const conversationId = str(body.id);
  if (!conversationId || !Array.isArray(body.participants)) return [];
  const out: OwnCommunication[] = [];
  for (const p of body.participants as unknown[]) {
    if (!isRecord(p) || p.userId !== userId) continue;
    const participantId = str(p.id);
    if (!participantId) continue;
    const queueId = str(p.queueId);
    const name = str(p.name);
    const connectedAt = time(p.connectedTime);
    for (const [kind, info] of Object.entries(KINDS)) {
      const list = p[kind];
      if (!Array.isArray(list)) continue;
      for (const c of list as unknown[]) {
        if (!isRecord(c)) continue;
        const communicationId = str(c.id);
        if (!communicationId) continue;
        const wrapup = isRecord(c.wrapup) ? str(c.wrapup.code) : undefined;
        const acw = isRecord(c.afterCallWork) ? c.afterCallWork : undefined;
        const acwState = str(acw?.state)?.toLowerCase();
        const input: LiveCommunicationInput = {};
        const commState = str(c.state);
        if (commState) input.state = commState.toLowerCase();
        const disconnected = str(c.disconnectedTime);
        if (disconnected) input.disconnectedTime = disconnected;
        if (wrapup) input.wrapup = { code: wrapup };
        if (acwState) {
          const start = str(acw?.startTime);
          input.afterCallWork = { state: acwState, ...(start ? { startTime: start } : {}) };
        }
        const state = classifyLiveCommunication(input, now);
        const ended = input.state === undefined ? input.disconnectedTime !== undefined : input.state === 'disconnected' || input.state === 'terminated';
        const acwKnown = acwState === 'pending' || acwState === 'skipped' || acwState === 'complete' ? acwState : 'none';
        const item: OwnCommunication = {
          conversationId,
          participantId,
          communicationId,
          path: info.path,
          mediaType: info.media,
          state,
          leftAcwWithoutCode: codeState(wrapup) === 'missing' && (acwState === 'skipped' || acwState === 'complete'),
          ended,
          acw: wrapup && acwKnown === 'none' ? 'complete' : acwKnown,
        };
        if (queueId) item.queueId = queueId;
        if (name) item.name = name;
        if (wrapup) item.code = wrapup;
        const endedAt = time(c.disconnectedTime);
        if (endedAt !== undefined) item.endedAt = endedAt;
        if (connectedAt !== undefined) item.connectedAt = connectedAt;
        out.push(item);
      }
    }
  }
  return out;
}
