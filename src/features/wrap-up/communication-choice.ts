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
import { communicationsOf, type CommunicationKind, type ParticipantCommunication, type WrapupMediaPath } from '@/lib/genesys/media.ts';
import { classifyLiveCommunication, codeState, type WrapupState } from '@/lib/genesys/wrapup-rules.ts';

export interface CommunicationCandidate extends ParticipantCommunication {
  path: WrapupMediaPath;
  /** No wrap-up code on this communication yet. */
  missing: boolean;
  /** The shared rule's state of this communication (missing = the one a wrap-up is due on). */
  wrapupState: Extract<WrapupState, 'missing' | 'coded' | 'system-coded' | 'active'>;
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
