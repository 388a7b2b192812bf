/** In-memory model of the simulated org. Rendered to the SDK's Models types by render.ts. */

/** Analytics media types the generator produces. */
export type MediaType = 'voice' | 'callback' | 'email' | 'message' | 'chat';
/** Path segment under /api/v2/conversations/{media}/... (chat has none since SDK v259). */
export type MediaPath = 'calls' | 'callbacks' | 'emails' | 'messages';

export const mediaPathOf: Record<MediaType, MediaPath | null> = {
  voice: 'calls',
  callback: 'callbacks',
  email: 'emails',
  message: 'messages',
  chat: null,
};

export const mediaTypeOfPath: Record<MediaPath, MediaType> = {
  calls: 'voice',
  callbacks: 'callback',
  emails: 'email',
  messages: 'message',
};

export type Direction = 'inbound' | 'outbound';
export type Purpose = 'customer' | 'external' | 'ivr' | 'acd' | 'agent';

/** What the generator decided for an agent participant (kept for tests and ground truth). */
export type Situation =
  'coded' | 'missing-skipped' | 'missing-pending' | 'missing-not-applicable' | 'system-timeout' | 'system-outbound' | 'acw-running' | 'active';

export interface SimDivision {
  id: string;
  name: string;
}

export interface SimCode {
  id: string;
  name: string;
  divisionId: string;
  description: string;
  deleted: boolean;
  dateCreated: string;
}

export interface SimQueue {
  id: string;
  name: string;
  divisionId: string;
  codeIds: string[];
  mediaTypes: MediaType[];
  /** ACW prompt used for agents of this queue: optional | mandatory | mandatoryTimeout | mandatoryForcedTimeout | agentRequested. */
  acwPrompt: string;
  acwTimeoutMs: number;
}

export type UserKind = 'supervisor' | 'viewer' | 'agent';

export interface SimUser {
  id: string;
  name: string;
  email: string;
  divisionId: string;
  kind: UserKind;
  permissions: string[];
  roles: string[];
  version: number;
}

export interface SimWrapup {
  code: string;
  name?: string;
  notes?: string;
  tags?: string[];
  durationSeconds?: number;
  endTime?: string;
  provisional?: boolean;
}

export interface SimSegment {
  segmentType: string;
  start: number;
  end?: number;
  queueId?: string;
  disconnectType?: string;
}

export type AcwState = 'unknown' | 'notApplicable' | 'skipped' | 'pending' | 'complete';

export interface SimComm {
  id: string;
  media: MediaType;
  state: 'alerting' | 'connected' | 'disconnected';
  direction: Direction;
  connectedTime?: number;
  disconnectedTime?: number;
  disconnectType?: string;
  /** Only meaningful for agent communications. */
  acwState: AcwState;
  acwStart?: number;
  acwEnd?: number;
  afterCallWorkRequired: boolean;
  wrapup?: SimWrapup;
  /** Every wrap-up the communication has had, with the time it was applied (analytics shows it after the lag). */
  wrapupHistory: Array<{ wrapup: SimWrapup; at: number }>;
  /** Analytics segments before wrap-up (the wrapup segment is derived from the ACW state and wrap-up). */
  segments: SimSegment[];
  /** Outbound campaign voice calls. */
  dialer: boolean;
}

export interface SimParticipant {
  id: string;
  purpose: Purpose;
  name: string;
  userId?: string;
  queueId?: string;
  address?: string;
  startTime: number;
  connectedTime?: number;
  endTime?: number;
  wrapupRequired?: boolean;
  wrapupPrompt?: string;
  wrapupTimeoutMs?: number;
  wrapupSkipped?: boolean;
  situation?: Situation;
  comms: SimComm[];
}

export interface SimConversation {
  id: string;
  media: MediaType;
  direction: Direction;
  start: number;
  end?: number;
  divisionIds: string[];
  queueIds: string[];
  participants: SimParticipant[];
  /** Bumped on every change; analytics views are cached per version. */
  version: number;
}

export interface SimOrg {
  id: string;
  name: string;
  /** Generation reference time (ms). */
  now: number;
  divisions: SimDivision[];
  codes: SimCode[];
  codesById: Map<string, SimCode>;
  queues: SimQueue[];
  queuesById: Map<string, SimQueue>;
  users: SimUser[];
  usersById: Map<string, SimUser>;
  usersByEmail: Map<string, SimUser>;
  /** Sorted by start, then id. */
  conversations: SimConversation[];
  conversationsById: Map<string, SimConversation>;
}

/** System wrap-up codes (literal strings, not entities). */
export const TIMEOUT_CODE = 'ININ-WRAP-UP-TIMEOUT';
export const OUTBOUND_SYSTEM_CODES = [
  'ININ-OUTBOUND-LIVE-VOICE',
  'ININ-OUTBOUND-ANSWERING-MACHINE',
  'ININ-OUTBOUND-TRANSFERRED-TO-QUEUE',
  'ININ-OUTBOUND-PREVIEW-SKIPPED',
] as const;
export const isSystemCode = (code: string): boolean => code.startsWith('ININ-');

/** Permissions the app needs (supervisor holds all of them). */
export const APP_PERMISSIONS = [
  'analytics:conversationDetail:view',
  'conversation:communication:view',
  'conversation:participant:wrapup',
  'routing:queue:view',
  'routing:wrapupCode:view',
  'directory:user:view',
  'chat:chat:access',
] as const;

/** The org-wide analytics details permission (supervisors). */
export const ANALYTICS_PERMISSION = 'analytics:conversationDetail:view';
/** The agent-scoped analytics details permission: the details routes accept it as well (SDK docs: "Requires ANY permissions"). */
export const AGENT_ANALYTICS_PERMISSION = 'analytics:agentConversationDetail:view';
/** Reading conversations the caller is not a participant of, and other users' conversation topics. */
export const CONVERSATION_VIEW_PERMISSION = 'conversation:communication:view';
/** `POST /api/v2/chats/users/{userId}/messages` requires ANY of these (SDK docs of postChatsUserMessages). */
export const CHAT_MESSAGE_PERMISSIONS = ['chat:chat:access', 'chat:1on1Message:add'] as const;

/** Permissions of every seeded agent (the agent without analytics: the same without AGENT_ANALYTICS_PERMISSION). */
export const AGENT_PERMISSIONS = ['conversation:participant:wrapup', AGENT_ANALYTICS_PERMISSION, 'routing:wrapupCode:view', 'routing:queue:view'] as const;
