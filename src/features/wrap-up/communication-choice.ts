/**
 * Which communication of a participant a wrap-up goes to (genesys-platform.md §1, §3).
 *
 * A wrap-up belongs to one agent participant's communication; its id comes from
 * `GET /api/v2/conversations/{cid}`. The candidates are the participant's communications that have
 * a write path; chat (removed from the SDK in v259) and other media without one are reported, not
 * offered. The communication whose wrap-up is missing (`classifyLiveCommunication` of
 * `@/lib/genesys/wrapup-rules.ts`: ended, no code, not in after-call work that began less than the
 * grace period ago) is chosen for the user; with several, the user picks. Every writable
 * communication is still offered: the user decides, the no-overwrite rule guards the write.
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import type { MediaConversation } from '@/lib/genesys/api.ts';
import { communicationsOf, type CommunicationKind, type ParticipantCommunication, type WrapupMediaPath } from '@/lib/genesys/media.ts';
import { liveInputOf } from '@/lib/genesys/own-conversations.ts';
import { classifyLiveCommunication, codeState, type WrapupState } from '@/lib/genesys/wrapup-rules.ts';

export interface CommunicationCandidate extends ParticipantCommunication {
  path: WrapupMediaPath;
  /** No wrap-up code on this communication yet. */
  missing: boolean;
  /** The shared rule's state of this communication (missing = the one a wrap-up is due on). */
  wrapupState: Extract<WrapupState, 'missing' | 'coded' | 'system-coded' | 'active'>;
  /**
   * The communication id is not known (a media GET carries none and no list gave it): `id` is then
   * the participant id, the wrap-up is read from the participant and written with the participant
   * PATCH. See {@link communicationIdOf}.
   */
  participantLevel?: true;
}

/** The communication id a write target carries: '' for a participant-level candidate. */
export function communicationIdOf(c: Pick<CommunicationCandidate, 'id' | 'participantLevel'>): string {
  return c.participantLevel ? '' : c.id;
}

export type CommunicationChoice =
  | { kind: 'participant-not-found' }
  /** Customers, IVR, ACD, ... never carry a wrap-up. */
  | { kind: 'not-agent'; purpose: string }
  /** Only communications without a wrap-up endpoint (chat, internal messages, ...). */
  | { kind: 'no-write-path'; kinds: CommunicationKind[]; chat: boolean }
  | {
      kind: 'choose';
      candidates: CommunicationCandidate[];
      /** Preselected communication id, or undefined when the user must pick. */
      preselected: string | undefined;
      /** Communications listed but not writable (shown so the user knows why they are not offered). */
      unwritable: CommunicationKind[];
    };

/** Purposes that may carry a wrap-up [M: `user` covers outbound calls placed by a user]. */
const WRAPUP_PURPOSES = new Set(['agent', 'user']);

export function chooseCommunication(conversation: Models.Conversation, participantId: string, now: number = Date.now()): CommunicationChoice {
  const participant = conversation.participants?.find((p) => p.id === participantId);
  if (!participant) return { kind: 'participant-not-found' };
  const purpose = participant.purpose ?? '';
  if (!WRAPUP_PURPOSES.has(purpose)) return { kind: 'not-agent', purpose };

  const all = communicationsOf(participant);
  const candidates: CommunicationCandidate[] = [];
  const unwritable: CommunicationKind[] = [];
  for (const c of all) {
    if (c.path === null) unwritable.push(c.kind);
    else {
      const wrapupState = classifyLiveCommunication(c, now);
      candidates.push({ ...c, path: c.path, missing: codeState(c.wrapup?.code) === 'missing', wrapupState });
    }
  }
  if (candidates.length === 0) return { kind: 'no-write-path', kinds: unwritable, chat: unwritable.includes('chats') };

  const missing = candidates.filter((c) => c.wrapupState === 'missing');
  let preselected: string | undefined;
  if (missing.length === 1) preselected = missing[0]?.id;
  else if (missing.length === 0 && candidates.length === 1) preselected = candidates[0]?.id;
  return { kind: 'choose', candidates, preselected, unwritable };
}

/** The participant-level media path (for the wrapupcodes list): the first writable communication's. */
export function participantMedia(choice: CommunicationChoice): WrapupMediaPath | null {
  return choice.kind === 'choose' ? (choice.candidates[0]?.path ?? null) : null;
}

const KIND_OF_PATH: Readonly<Record<WrapupMediaPath, CommunicationKind>> = {
  calls: 'calls',
  callbacks: 'callbacks',
  emails: 'emails',
  messages: 'messages',
  cobrowsesessions: 'cobrowsesessions',
  screenshares: 'screenshares',
  socials: 'socialExpressions',
  videos: 'videos',
};

/**
 * The same choice from a media GET (`GET /api/v2/conversations/{media}/{cid}`), what an agent may
 * read of their own conversation (no `conversation:communication:view`). A media participant is one
 * communication without its id: `communicationId` comes from the list that linked here (analytics
 * `sessionId`); without it the candidate is participant-level (read and PATCH the participant).
 */
export function chooseMediaCommunication(
  conversation: MediaConversation,
  media: WrapupMediaPath,
  participantId: string,
  communicationId: string | undefined,
  now: number = Date.now(),
): CommunicationChoice {
  const participant = conversation.participants?.find((p) => p.id === participantId);
  if (!participant) return { kind: 'participant-not-found' };
  const purpose = participant.purpose ?? '';
  if (!WRAPUP_PURPOSES.has(purpose)) return { kind: 'not-agent', purpose };
  const live = liveInputOf(participant);
  const candidate: CommunicationCandidate = {
    kind: KIND_OF_PATH[media],
    path: media,
    id: communicationId || participantId,
    missing: codeState(participant.wrapup?.code) === 'missing',
    wrapupState: classifyLiveCommunication(live, now),
  };
  if (!communicationId) candidate.participantLevel = true;
  if (participant.state !== undefined) candidate.state = participant.state;
  if (participant.disconnectType !== undefined) candidate.disconnectType = participant.disconnectType;
  if (participant.endTime !== undefined) candidate.disconnectedTime = participant.endTime;
  if (participant.wrapup !== undefined) candidate.wrapup = participant.wrapup;
  return { kind: 'choose', candidates: [candidate], preselected: candidate.id, unwritable: [] };
}
