/**
 * Media: from analytics `mediaType` to the `{media}` path segment of the wrap-up endpoints, and
 * the communications of a live Conversation participant (genesys-platform.md §1, §3) [H].
 *
 * - Full set (GET/POST communication wrap-up, participant wrap-up, wrapupcodes, PATCH):
 *   calls, callbacks, emails, messages, cobrowsesessions.
 * - Communication wrap-up GET/POST only: screenshares, socials, videos.
 * - Chat paths were removed from the SDK in v259: old `chat` conversations cannot be written.
 */
import type { Models } from 'purecloud-platform-client-v2';

export type WrapupMediaPath = 'calls' | 'callbacks' | 'emails' | 'messages' | 'cobrowsesessions' | 'screenshares' | 'socials' | 'videos';

export const WRAPUP_MEDIA_PATHS: readonly WrapupMediaPath[] = [
  'calls',
  'callbacks',
  'emails',
  'messages',
  'cobrowsesessions',
  'screenshares',
  'socials',
  'videos',
];

/** Media with participant-level wrap-up and wrapupcodes endpoints (and the PATCH). */
export const FULL_WRAPUP_MEDIA: readonly WrapupMediaPath[] = ['calls', 'callbacks', 'emails', 'messages', 'cobrowsesessions'];

export function hasParticipantEndpoints(path: WrapupMediaPath): boolean {
  return FULL_WRAPUP_MEDIA.includes(path);
}

export type MediaResolution = { writable: true; path: WrapupMediaPath } | { writable: false; code: 'chat-removed' | 'no-write-path'; reason: string };

const ANALYTICS_TO_PATH: Readonly<Record<string, WrapupMediaPath>> = {
  voice: 'calls',
  callback: 'callbacks',
  email: 'emails',
  message: 'messages',
  cobrowse: 'cobrowsesessions',
  screenshare: 'screenshares',
  video: 'videos',
};

/** Analytics session `mediaType` → the wrap-up path segment, or why it cannot be written. */
export function mediaPathFromAnalytics(mediaType: string | undefined): MediaResolution {
  const m = (mediaType ?? '').trim().toLowerCase();
  if (m === 'chat')
    return {
      writable: false,
      code: 'chat-removed',
      reason: 'Chat conversations cannot be wrapped up here: Genesys Cloud removed the chat wrap-up endpoints.',
    };
  const path = ANALYTICS_TO_PATH[m];
  if (path) return { writable: true, path };
  return {
    writable: false,
    code: 'no-write-path',
    reason: `Media type "${mediaType ?? 'unknown'}" has no wrap-up endpoint.`,
  };
}

/** The communication arrays of a Conversation participant. */
export type CommunicationKind =
  | 'calls'
  | 'callbacks'
  | 'chats'
  | 'cobrowsesessions'
  | 'emails'
  | 'messages'
  | 'internalMessages'
  | 'screenMonitorings'
  | 'screenshares'
  | 'socialExpressions'
  | 'videos';

const KIND_TO_PATH: Readonly<Record<CommunicationKind, WrapupMediaPath | null>> = {
  calls: 'calls',
  callbacks: 'callbacks',
  chats: null,
  cobrowsesessions: 'cobrowsesessions',
  emails: 'emails',
  messages: 'messages',
  internalMessages: null,
  screenMonitorings: null,
  screenshares: 'screenshares',
  socialExpressions: 'socials',
  videos: 'videos',
};

export interface ParticipantCommunication {
  kind: CommunicationKind;
  /** Wrap-up path segment, or null when this media has none (chat, internal message, ...). */
  path: WrapupMediaPath | null;
  /** The communicationId the wrap-up POST needs. */
  id: string;
  state?: string;
  disconnectType?: string;
  disconnectedTime?: string;
  wrapup?: Models.Wrapup;
  afterCallWork?: Models.AfterCallWork;
  afterCallWorkRequired?: boolean;
}

interface CommunicationLike {
  id?: string;
  state?: string;
  disconnectType?: string;
  disconnectedTime?: string;
  wrapup?: Models.Wrapup;
  afterCallWork?: Models.AfterCallWork;
  afterCallWorkRequired?: boolean;
}

const KINDS = Object.keys(KIND_TO_PATH) as CommunicationKind[];

/** Every communication of the participant that has an id, in a stable order (by media, then as listed). */
export function communicationsOf(participant: Models.Participant): ParticipantCommunication[] {
  const out: ParticipantCommunication[] = [];
  for (const kind of KINDS) {
    const list: readonly CommunicationLike[] = participant[kind] ?? [];
    for (const c of list) {
      if (!c.id) continue;
      const item: ParticipantCommunication = { kind, path: KIND_TO_PATH[kind], id: c.id };
      if (c.state !== undefined) item.state = c.state;
      if (c.disconnectType !== undefined) item.disconnectType = c.disconnectType;
      if (c.disconnectedTime !== undefined) item.disconnectedTime = c.disconnectedTime;
      if (c.wrapup !== undefined) item.wrapup = c.wrapup;
      if (c.afterCallWork !== undefined) item.afterCallWork = c.afterCallWork;
      if (c.afterCallWorkRequired !== undefined) item.afterCallWorkRequired = c.afterCallWorkRequired;
      out.push(item);
    }
  }
  return out;
}
