/** Model → the SDK's Models types (the contract). */
import type { Models } from 'purecloud-platform-client-v2';
import {
  mediaPathOf,
  type SimCode,
  type SimComm,
  type SimConversation,
  type SimOrg,
  type SimParticipant,
  type SimQueue,
  type SimUser,
  type SimWrapup,
} from './model.ts';

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

/** Drop undefined properties so JSON bodies stay tidy (and typed objects stay honest). */
function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

export const selfUri = {
  user: (id: string) => `/api/v2/users/${id}`,
  queue: (id: string) => `/api/v2/routing/queues/${id}`,
  code: (id: string) => `/api/v2/routing/wrapupcodes/${id}`,
  division: (id: string) => `/api/v2/authorization/divisions/${id}`,
  conversation: (id: string) => `/api/v2/conversations/${id}`,
};

export function renderDivision(org: SimOrg, id: string): Models.Division {
  const d = org.divisions.find((x) => x.id === id);
  return { id, name: d?.name ?? 'Unknown', selfUri: selfUri.division(id) };
}

export function renderCode(org: SimOrg, c: SimCode): Models.WrapupCode {
  return {
    id: c.id,
    name: c.name,
    division: renderDivision(org, c.divisionId),
    description: c.description,
    dateCreated: c.dateCreated,
    dateModified: c.dateCreated,
    createdBy: org.users[0]?.id,
    modifiedBy: org.users[0]?.id,
    selfUri: selfUri.code(c.id),
  };
}

export function renderQueue(org: SimOrg, q: SimQueue): Models.Queue {
  const timeout = q.acwTimeoutMs > 0 ? q.acwTimeoutMs : undefined;
  return clean({
    id: q.id,
    name: q.name,
    division: renderDivision(org, q.divisionId),
    description: `${q.name} queue`,
    dateCreated: new Date(org.now - 500 * 86_400_000).toISOString(),
    memberCount: undefined,
    acwSettings: clean({
      wrapupPrompt:
        q.acwPrompt === 'mandatoryTimeout'
          ? 'MANDATORY_TIMEOUT'
          : q.acwPrompt === 'mandatory'
            ? 'MANDATORY'
            : q.acwPrompt === 'agentRequested'
              ? 'AGENT_REQUESTED'
              : 'OPTIONAL',
      timeoutMs: timeout,
    }),
    skillEvaluationMethod: 'ALL',
    scoringMethod: 'TimestampAndPriority',
    selfUri: selfUri.queue(q.id),
  });
}

export function renderUser(org: SimOrg, u: SimUser): Models.User {
  return {
    id: u.id,
    name: u.name,
    division: renderDivision(org, u.divisionId),
    email: u.email,
    username: u.email,
    state: 'active',
    title: u.kind === 'agent' ? 'Agent' : u.kind === 'supervisor' ? 'Supervisor' : 'Analyst',
    version: u.version,
    selfUri: selfUri.user(u.id),
  };
}

export function renderOrganization(org: SimOrg): Models.Organization {
  return {
    id: org.id,
    name: org.name,
    defaultLanguage: 'en-us',
    domain: 'demo-example',
    version: 1,
    state: 'active',
    productPlatform: 'PureCloud',
    selfUri: `/api/v2/organizations/${org.id}`,
  };
}

export function renderUserMe(org: SimOrg, u: SimUser, expand: ReadonlySet<string>, now: number): Models.UserMe {
  const me: Models.UserMe = { ...renderUser(org, u) };
  if (expand.has('authorization')) {
    me.authorization = {
      roles: u.roles.map((name, i) => ({ id: `role-${u.kind}-${i}`, name })),
      unusedRoles: [],
      permissions: [...u.permissions],
      permissionPolicies: u.permissions.map((perm, i) => {
        const [domain, entityName, action] = perm.split(':');
        return { id: `policy-${i}`, domain, entityName, actionSet: action ? [action] : [], allowConditions: false, namedResources: [] };
      }),
    };
  }
  if (expand.has('organization')) me.organization = renderOrganization(org);
  if (expand.has('dateLastLogin')) me.dateLastLogin = new Date(now).toISOString();
  return me;
}

export function renderWrapup(w: SimWrapup | undefined): Models.Wrapup | undefined {
  if (!w) return undefined;
  return clean({
    code: w.code,
    name: w.name,
    notes: w.notes,
    tags: w.tags,
    durationSeconds: w.durationSeconds,
    endTime: w.endTime,
    provisional: w.provisional,
  });
}

export function renderAssigned(w: SimWrapup | undefined): Models.AssignedWrapupCode {
  if (!w) return {};
  return clean({ code: w.code, notes: w.notes, tags: w.tags, durationSeconds: w.durationSeconds, endTime: w.endTime });
}

function renderAcw(comm: SimComm): Models.AfterCallWork | undefined {
  if (comm.acwState === 'unknown') return undefined;
  return clean({ state: comm.acwState, startTime: iso(comm.acwStart), endTime: iso(comm.acwEnd) });
}

/** Fields common to Call, Callback, Email, Message and ConversationChat. */
type CommonComm = Pick<
  Models.Call,
  | 'state'
  | 'initialState'
  | 'id'
  | 'direction'
  | 'held'
  | 'disconnectType'
  | 'connectedTime'
  | 'disconnectedTime'
  | 'provider'
  | 'wrapup'
  | 'afterCallWork'
  | 'afterCallWorkRequired'
>;

function renderComm(p: SimParticipant, comm: SimComm): CommonComm {
  const agent = p.purpose === 'agent';
  return clean({
    state: comm.state,
    initialState: comm.direction === 'outbound' && agent ? 'dialing' : 'alerting',
    id: comm.id,
    direction: comm.direction,
    held: false,
    disconnectType: comm.disconnectType,
    connectedTime: iso(comm.connectedTime),
    disconnectedTime: iso(comm.disconnectedTime),
    provider: 'PureCloud',
    wrapup: agent ? renderWrapup(comm.wrapup) : undefined,
    afterCallWork: agent ? renderAcw(comm) : undefined,
    afterCallWorkRequired: agent ? comm.afterCallWorkRequired : undefined,
  });
}

function lastComm(p: SimParticipant): SimComm | undefined {
  return p.comms[p.comms.length - 1];
}

export function renderParticipant(org: SimOrg, p: SimParticipant): Models.Participant {
  const comm = lastComm(p);
  const queue = p.queueId ? org.queuesById.get(p.queueId) : undefined;
  const out: Models.Participant = clean({
    id: p.id,
    startTime: iso(p.startTime),
    endTime: iso(p.endTime),
    connectedTime: iso(p.connectedTime),
    name: p.name,
    userUri: p.userId ? selfUri.user(p.userId) : undefined,
    userId: p.userId,
    queueId: p.queueId,
    queueName: queue?.name,
    purpose: p.purpose,
    participantType: p.purpose === 'customer' || p.purpose === 'external' ? 'External' : 'Internal',
    address: p.address,
    wrapupRequired: p.wrapupRequired,
    wrapupPrompt: p.wrapupPrompt,
    wrapupTimeoutMs: p.wrapupTimeoutMs,
    wrapupSkipped: p.wrapupSkipped,
    wrapup: p.purpose === 'agent' ? renderWrapup(comm?.wrapup) : undefined,
    startAcwTime: iso(comm?.acwStart),
    endAcwTime: iso(comm?.acwEnd),
    attributes: {},
  });
  const comms = p.comms.map((c) => renderComm(p, c));
  switch (comm?.media) {
    case 'voice':
      out.calls = comms;
      break;
    case 'callback':
      out.callbacks = comms;
      break;
    case 'email':
      out.emails = comms;
      break;
    case 'message':
      out.messages = comms;
      break;
    case 'chat':
      out.chats = comms;
      break;
    case undefined:
      break;
  }
  return out;
}

function divisionsOf(org: SimOrg, c: SimConversation): Models.ConversationDivisionMembership[] {
  return c.divisionIds.map((id) => ({ division: renderDivision(org, id), entities: c.queueIds.map((q) => ({ id: q, selfUri: selfUri.queue(q) })) }));
}

export function renderConversation(org: SimOrg, c: SimConversation): Models.Conversation {
  return clean({
    id: c.id,
    startTime: new Date(c.start).toISOString(),
    endTime: iso(c.end),
    participants: c.participants.map((p) => renderParticipant(org, p)),
    recordingState: 'none',
    // No conversation-level `state`: "when reading conversations, this field will never have a value" (SDK model doc; §8 row 11).
    divisions: divisionsOf(org, c),
    selfUri: selfUri.conversation(c.id),
  });
}

/** The fields the per-media participants (GETs and event topics alike) carry: no communication ids, as on the platform. */
type MediaParticipantField =
  | 'id'
  | 'name'
  | 'address'
  | 'startTime'
  | 'connectedTime'
  | 'endTime'
  | 'purpose'
  | 'state'
  | 'direction'
  | 'disconnectType'
  | 'held'
  | 'wrapupRequired'
  | 'wrapupPrompt'
  | 'user'
  | 'queue'
  | 'attributes'
  | 'wrapupTimeoutMs'
  | 'wrapupSkipped'
  | 'provider'
  | 'wrapup'
  | 'startAcwTime'
  | 'endAcwTime';

/** Fields common to Call/Callback/Email/MessageMediaParticipant. */
type CommonMediaParticipant = Pick<Models.CallMediaParticipant, MediaParticipantField>;

function renderMediaParticipant(org: SimOrg, p: SimParticipant): CommonMediaParticipant {
  const comm = lastComm(p);
  const user = p.userId ? org.usersById.get(p.userId) : undefined;
  const queue = p.queueId ? org.queuesById.get(p.queueId) : undefined;
  return clean({
    id: p.id,
    name: p.name,
    address: p.address,
    startTime: iso(p.startTime),
    connectedTime: iso(p.connectedTime),
    endTime: iso(p.endTime),
    purpose: p.purpose,
    state: comm?.state,
    direction: comm?.direction,
    disconnectType: comm?.disconnectType,
    held: false,
    wrapupRequired: p.wrapupRequired,
    wrapupPrompt: p.wrapupPrompt,
    user: user ? { id: user.id, name: user.name, selfUri: selfUri.user(user.id) } : undefined,
    queue: queue ? { id: queue.id, name: queue.name, selfUri: selfUri.queue(queue.id) } : undefined,
    attributes: {},
    wrapupTimeoutMs: p.wrapupTimeoutMs,
    wrapupSkipped: p.wrapupSkipped,
    provider: 'PureCloud',
    wrapup: p.purpose === 'agent' ? renderWrapup(comm?.wrapup) : undefined,
    startAcwTime: iso(comm?.acwStart),
    endAcwTime: iso(comm?.acwEnd),
  });
}

interface MediaConversationBase {
  id: string;
  participants: CommonMediaParticipant[];
  otherMediaUris: string[];
  recentTransfers: Models.TransferResponse[];
  divisions: Models.ConversationDivisionMembership[];
  selfUri: string;
}

/** Body of GET /api/v2/conversations/{calls|callbacks|emails|messages}/{id}; assignable to CallConversation etc. */
export function renderMediaConversation(org: SimOrg, c: SimConversation): MediaConversationBase {
  return {
    id: c.id,
    participants: c.participants.map((p) => renderMediaParticipant(org, p)),
    otherMediaUris: [],
    recentTransfers: [],
    divisions: divisionsOf(org, c),
    selfUri: `/api/v2/conversations/${c.media === 'voice' ? 'calls' : `${c.media}s`}/${c.id}`,
  };
}

// Compile-time proof that the media bodies fit the SDK's types.
export const asCall = (m: MediaConversationBase): Models.CallConversation => m;
export const asEmail = (m: MediaConversationBase): Models.EmailConversation => m;
export const asMessage = (m: MediaConversationBase): Models.MessageConversation => m;
export const asCallback = (m: MediaConversationBase): Models.CallbackConversation => m;

// ---------------------------------------------------------------------------------------------
// Analytics view

/** The wrap-up analytics can see at `now`: the latest one applied at least `lagMs` ago. */
export function visibleWrapup(comm: SimComm, now: number, lagMs: number): { wrapup: SimWrapup; at: number } | undefined {
  for (let i = comm.wrapupHistory.length - 1; i >= 0; i--) {
    const h = comm.wrapupHistory[i];
    if (h && h.at + lagMs <= now) return h;
  }
  return undefined;
}

function analyticsSegments(p: SimParticipant, comm: SimComm, now: number, lagMs: number): Models.AnalyticsConversationSegment[] {
  const segs: Models.AnalyticsConversationSegment[] = comm.segments.map((s) =>
    clean({
      segmentStart: new Date(s.start).toISOString(),
      segmentEnd: iso(s.end),
      segmentType: s.segmentType,
      queueId: s.queueId,
      disconnectType: s.disconnectType,
    }),
  );
  if (p.purpose !== 'agent' || comm.disconnectedTime === undefined) return segs;
  const visible = visibleWrapup(comm, now, lagMs);
  const acwStart = comm.acwStart ?? comm.disconnectedTime;
  if (visible) {
    const end = Number.isFinite(visible.at) ? Math.max(visible.at, acwStart) : (comm.acwEnd ?? acwStart);
    segs.push(
      clean({
        segmentStart: new Date(acwStart).toISOString(),
        segmentEnd: new Date(end).toISOString(),
        segmentType: 'wrapup',
        queueId: p.queueId,
        wrapUpCode: visible.wrapup.code,
        wrapUpNote: visible.wrapup.notes,
        wrapUpTags: visible.wrapup.tags,
      }),
    );
  } else if (comm.acwStart !== undefined) {
    // Pending ACW: an open wrapup segment; ACW left without a code (POST /__sim/acw-end): closed, no code.
    segs.push(clean({ segmentStart: new Date(comm.acwStart).toISOString(), segmentEnd: iso(comm.acwEnd), segmentType: 'wrapup', queueId: p.queueId }));
  }
  return segs;
}

export function renderAnalyticsConversation(c: SimConversation, now: number, lagMs: number): Models.AnalyticsConversation {
  return clean({
    conversationId: c.id,
    conversationStart: new Date(c.start).toISOString(),
    conversationEnd: iso(c.end),
    originatingDirection: c.direction,
    divisionIds: [...c.divisionIds],
    customerParticipation: true,
    participants: c.participants.map((p) => ({
      participantId: p.id,
      participantName: p.name,
      purpose: p.purpose,
      ...(p.userId ? { userId: p.userId } : {}),
      sessions: p.comms.map((comm) =>
        clean({
          sessionId: comm.id,
          mediaType: comm.media,
          direction: comm.direction,
          provider: 'PureCloud',
          acwSkipped: p.purpose === 'agent' && comm.acwState === 'skipped' ? true : undefined,
          segments: analyticsSegments(p, comm, now, lagMs),
        }),
      ),
    })),
  });
}

/** Earliest time at which this conversation's analytics view changes because a write becomes visible. */
export function analyticsValidUntil(c: SimConversation, now: number, lagMs: number): number {
  let until = Number.POSITIVE_INFINITY;
  for (const p of c.participants)
    for (const comm of p.comms)
      for (const h of comm.wrapupHistory) {
        const t = h.at + lagMs;
        if (t > now && t < until) until = t;
      }
  return until;
}

// ---------------------------------------------------------------------------------------------
// Call history (GET /api/v2/conversations/calls/history): no wrap-up fields

function renderHistoryParticipant(org: SimOrg, p: SimParticipant, expand: ReadonlySet<string>): Models.CallHistoryParticipant {
  const comm = lastComm(p);
  const u = p.userId ? org.usersById.get(p.userId) : undefined;
  const q = p.queueId ? org.queuesById.get(p.queueId) : undefined;
  return clean({
    id: p.id,
    name: p.name,
    address: p.address,
    startTime: iso(p.startTime),
    endTime: iso(p.endTime),
    purpose: p.purpose,
    direction: comm?.direction,
    // Without expand: references only (id, selfUri).
    user: u ? (expand.has('user') ? renderUser(org, u) : { id: u.id, version: u.version, selfUri: selfUri.user(u.id) }) : undefined,
    queue: q ? (expand.has('queue') ? renderQueue(org, q) : { id: q.id, selfUri: selfUri.queue(q.id) }) : undefined,
    disconnectType: comm?.disconnectType,
    didInteract: p.connectedTime !== undefined,
  });
}

export function renderCallHistory(org: SimOrg, c: SimConversation, expand: ReadonlySet<string>): Models.CallHistoryConversation {
  return {
    id: c.id,
    participants: c.participants.map((p) => renderHistoryParticipant(org, p, expand)),
    direction: c.direction,
    wentToVoicemail: false,
    missedCall: false,
    startTime: new Date(c.start).toISOString(),
    wasConference: false,
    wasCallback: false,
    hadScreenShare: false,
    hadCobrowse: false,
    wasOutboundCampaign: c.participants.some((p) => p.comms.some((cm) => cm.dialer)),
    selfUri: `/api/v2/conversations/calls/${c.id}`,
  };
}

// ---------------------------------------------------------------------------------------------
// User conversation topics (v2.users.{id}.conversations and per media)

function eventWrapup(w: SimWrapup | undefined): Models.ConversationEventTopicWrapup | undefined {
  if (!w) return undefined;
  return clean({ code: w.code, notes: w.notes, tags: w.tags, durationSeconds: w.durationSeconds, endTime: w.endTime });
}

/** Fields common to ConversationEventTopicCall/Callback/Email/Message/Chat. */
type EventComm = Pick<
  Models.ConversationEventTopicCall,
  'id' | 'state' | 'direction' | 'disconnectType' | 'disconnectedTime' | 'provider' | 'wrapup' | 'afterCallWork' | 'afterCallWorkRequired'
>;

function renderEventComm(p: SimParticipant, comm: SimComm): EventComm {
  const agent = p.purpose === 'agent';
  return clean({
    id: comm.id,
    state: comm.state,
    direction: comm.direction,
    disconnectType: comm.disconnectType,
    disconnectedTime: iso(comm.disconnectedTime),
    provider: 'PureCloud',
    wrapup: agent ? eventWrapup(comm.wrapup) : undefined,
    afterCallWork: agent && comm.acwState !== 'unknown' ? clean({ state: comm.acwState, startTime: iso(comm.acwStart), endTime: iso(comm.acwEnd) }) : undefined,
    afterCallWorkRequired: agent ? comm.afterCallWorkRequired : undefined,
  });
}

function renderEventParticipant(p: SimParticipant): Models.ConversationEventTopicParticipant {
  const comm = lastComm(p);
  const out: Models.ConversationEventTopicParticipant = clean({
    id: p.id,
    connectedTime: iso(p.connectedTime),
    endTime: iso(p.endTime),
    userId: p.userId,
    name: p.name,
    queueId: p.queueId,
    purpose: p.purpose,
    address: p.address,
    wrapupRequired: p.wrapupRequired,
    wrapupPrompt: p.wrapupPrompt,
    wrapupTimeoutMs: p.wrapupTimeoutMs,
    wrapup: p.purpose === 'agent' ? eventWrapup(comm?.wrapup) : undefined,
    startAcwTime: iso(comm?.acwStart),
    endAcwTime: iso(comm?.acwEnd),
    attributes: {},
  });
  const comms = p.comms.map((c) => renderEventComm(p, c));
  switch (comm?.media) {
    case 'voice':
      out.calls = comms;
      break;
    case 'callback':
      out.callbacks = comms;
      break;
    case 'email':
      out.emails = comms;
      break;
    case 'message':
      out.messages = comms;
      break;
    case 'chat':
      out.chats = comms;
      break;
    case undefined:
      break;
  }
  return out;
}

const eventDivisions = (c: SimConversation): Models.ConversationEventTopicConversationDivisionMembership[] =>
  c.divisionIds.map((id) => ({ division: { id, selfUri: selfUri.division(id) }, entities: c.queueIds.map((q) => ({ id: q, selfUri: selfUri.queue(q) })) }));

/** eventBody of `v2.users.{id}.conversations`: the whole conversation, every communication with its id, wrap-up and after-call work. */
export function renderConversationEvent(c: SimConversation): Models.ConversationEventTopicConversation {
  return { id: c.id, participants: c.participants.map(renderEventParticipant), recordingState: 'none', divisions: eventDivisions(c) };
}

/** Fields common to the per-media event participants (as the media GETs: no communication ids, no per-communication ACW state). */
type EventMediaParticipant = Pick<Models.ConversationCallEventTopicCallMediaParticipant, MediaParticipantField>;

function renderEventMediaParticipant(org: SimOrg, p: SimParticipant): EventMediaParticipant {
  const comm = lastComm(p);
  const u = p.userId ? org.usersById.get(p.userId) : undefined;
  const q = p.queueId ? org.queuesById.get(p.queueId) : undefined;
  return clean({
    id: p.id,
    name: p.name,
    address: p.address,
    startTime: iso(p.startTime),
    connectedTime: iso(p.connectedTime),
    endTime: iso(p.endTime),
    purpose: p.purpose,
    state: comm?.state,
    direction: comm?.direction,
    disconnectType: comm?.disconnectType,
    held: false,
    wrapupRequired: p.wrapupRequired,
    wrapupPrompt: p.wrapupPrompt,
    user: u ? { id: u.id, name: u.name } : undefined,
    queue: q ? { id: q.id, name: q.name } : undefined,
    attributes: {},
    wrapupTimeoutMs: p.wrapupTimeoutMs,
    wrapupSkipped: p.wrapupSkipped,
    provider: 'PureCloud',
    wrapup: p.purpose === 'agent' ? eventWrapup(comm?.wrapup) : undefined,
    startAcwTime: iso(comm?.acwStart),
    endAcwTime: iso(comm?.acwEnd),
  });
}

interface EventMediaConversation {
  id: string;
  participants: EventMediaParticipant[];
  otherMediaUris: string[];
  divisions: Models.ConversationEventTopicConversationDivisionMembership[];
}

// Compile-time proof that the per-media event bodies fit the SDK's types.
const asCallEvent = (m: EventMediaConversation): Models.ConversationCallEventTopicCallConversation => m;
const asCallbackEvent = (m: EventMediaConversation): Models.ConversationCallbackEventTopicCallbackConversation => m;
const asEmailEvent = (m: EventMediaConversation): Models.ConversationEmailEventTopicEmailConversation => m;
const asMessageEvent = (m: EventMediaConversation): Models.ConversationMessageEventTopicMessageConversation => m;

/** eventBody of `v2.users.{id}.conversations.{calls|callbacks|emails|messages}`; null for chat (no such topic). */
export function renderMediaConversationEvent(
  org: SimOrg,
  c: SimConversation,
):
  | Models.ConversationCallEventTopicCallConversation
  | Models.ConversationCallbackEventTopicCallbackConversation
  | Models.ConversationEmailEventTopicEmailConversation
  | Models.ConversationMessageEventTopicMessageConversation
  | null {
  const m: EventMediaConversation = {
    id: c.id,
    participants: c.participants.map((p) => renderEventMediaParticipant(org, p)),
    otherMediaUris: [],
    divisions: eventDivisions(c),
  };
  switch (mediaPathOf[c.media]) {
    case 'calls':
      return asCallEvent(m);
    case 'callbacks':
      return asCallbackEvent(m);
    case 'emails':
      return asEmailEvent(m);
    case 'messages':
      return asMessageEvent(m);
    case null:
      return null;
  }
}
