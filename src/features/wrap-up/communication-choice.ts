/**
 * Which communication of a participant a wrap-up goes to (genesys-platform.md §1, §3).
 *
 * A wrap-up belongs to one agent participant's communication; its id comes from
 * `GET /api/v2/conversations/{cid}`. The candidates are the participant's communications that have
 * a write path; chat (removed from the SDK in v259) and other media without one are reported, not
 * offered. The communication whose wrap-up is missing is chosen for the user; with several, the
 * user picks.
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { communicationsOf, type CommunicationKind, type ParticipantCommunication, type WrapupMediaPath } from '@/lib/genesys/media.ts';

export interface CommunicationCandidate extends ParticipantCommunication {
  path: WrapupMediaPath;
  /** No wrap-up on this communication yet. */
  missing: boolean;
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

function hasWrapup(w: Models.Wrapup | undefined): boolean {
  return !!w && typeof w === 'object' && typeof w.code === 'string' && w.code !== '';
}

export function chooseCommunication(conversation: Models.Conversation, participantId: string): CommunicationChoice {
  const participant = conversation.participants?.find((p) => p.id === participantId);
  if (!participant) return { kind: 'participant-not-found' };
  const purpose = participant.purpose ?? '';
  if (!WRAPUP_PURPOSES.has(purpose)) return { kind: 'not-agent', purpose };

  const all = communicationsOf(participant);
  const candidates: CommunicationCandidate[] = [];
  const unwritable: CommunicationKind[] = [];
  for (const c of all) {
    if (c.path === null) unwritable.push(c.kind);
    else candidates.push({ ...c, path: c.path, missing: !hasWrapup(c.wrapup) });
  }
  if (candidates.length === 0) return { kind: 'no-write-path', kinds: unwritable, chat: unwritable.includes('chats') };

  const missing = candidates.filter((c) => c.missing);
  let preselected: string | undefined;
  if (missing.length === 1) preselected = missing[0]?.id;
  else if (missing.length === 0 && candidates.length === 1) preselected = candidates[0]?.id;
  return { kind: 'choose', candidates, preselected, unwritable };
}

/** The participant-level media path (for the wrapupcodes list): the first writable communication's. */
export function participantMedia(choice: CommunicationChoice): WrapupMediaPath | null {
  return choice.kind === 'choose' ? (choice.candidates[0]?.path ?? null) : null;
}
