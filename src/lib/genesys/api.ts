/**
 * Typed platform calls for the features. Every function returns SDK `Models` types and rejects
 * with ApiError only. `options.signal` cancels; reads are retried by the HTTP client, writes never.
 */
import type { ApiClientClass, ConversationsApi, Models, NotificationsApi as NotificationsApiT } from 'purecloud-platform-client-v2';
import { ApiError, toApiError } from './api-error.ts';
import { allPages, call, type CallOptions } from './call.ts';
import type { Platform } from './client.ts';
import type { WrapupMediaPath } from './media.ts';
import type { NotificationsApi as NotificationsApiClass } from './sdk.ts';

export type { CallOptions };

const PAGE_SIZE = 100; // the classic listings' maximum [M]

// ---------------------------------------------------------------------------------------------
// Me, token

/** The signed-in user with the permissions list (for the permission check) and the org. */
export function getMe(options?: CallOptions): Promise<Models.UserMe> {
  return call((p) => p.users.getUsersMe({ expand: ['authorization', 'organization'] }), options);
}

export function getTokenMe(options?: CallOptions): Promise<Models.TokenInfo> {
  return call((p) => p.tokens.getTokensMe(), options);
}

/** `DELETE /api/v2/tokens/me`: the token stops working everywhere. */
export function revokeToken(options?: CallOptions): Promise<void> {
  return call((p) => p.tokens.deleteTokensMe(), options);
}

// ---------------------------------------------------------------------------------------------
// Directory: queues, users, wrap-up codes (all pages)

export function listQueues(options?: CallOptions): Promise<Models.Queue[]> {
  return allPages((pageNumber) => call((p) => p.routing.getRoutingQueues({ pageSize: PAGE_SIZE, pageNumber }), options));
}

export type UserState = 'active' | 'inactive' | 'deleted' | 'any';

/** Users; the platform lists active users unless `state` says otherwise [M: accepted values]. */
export function listUsers(options?: CallOptions & { state?: UserState }): Promise<Models.User[]> {
  const state = options?.state;
  return allPages((pageNumber) => call((p) => p.users.getUsers({ pageSize: PAGE_SIZE, pageNumber, ...(state ? { state } : {}) }), options));
}

export function listWrapupCodes(options?: CallOptions): Promise<Models.WrapupCode[]> {
  return allPages((pageNumber) => call((p) => p.routing.getRoutingWrapupcodes({ pageSize: PAGE_SIZE, pageNumber }), options));
}

/**
 * Every wrap-up code the org has had, deleted ones included: analytics still carries ids of
 * deleted codes, and the worklist must show them by name [H].
 */
export function getWrapupCodeDivisionViews(options?: CallOptions): Promise<Models.WrapupCode[]> {
  return allPages((pageNumber) =>
    call((p) => p.routing.getRoutingWrapupcodesDivisionviews({ pageSize: PAGE_SIZE, pageNumber, includeState: 'ActiveAndDeleted' }), options),
  );
}

export function listQueueWrapupCodes(queueId: string, options?: CallOptions): Promise<Models.WrapupCode[]> {
  return allPages((pageNumber) => call((p) => p.routing.getRoutingQueueWrapupcodes(queueId, { pageSize: PAGE_SIZE, pageNumber }), options));
}

// ---------------------------------------------------------------------------------------------
// Analytics conversation details

/**
 * `POST /api/v2/analytics/conversations/details/query` (a read: retried like a GET). An empty
 * result may come back as `{}` [M]: `conversations` is then absent.
 */
export function queryConversationDetails(body: Models.ConversationQuery, options?: CallOptions): Promise<Models.AnalyticsConversationQueryResponse> {
  return call((p) => p.conversations.postAnalyticsConversationsDetailsQuery(body), options).then((r) => r ?? {});
}

/** Ids per batched GET; 100 UUIDs keep the URL under 4 KB [M: the platform's own maximum is not documented here]. */
export const DETAILS_BATCH_SIZE = 100;

/** `GET /api/v2/analytics/conversations/details?id=...`, split into batches, results concatenated. */
export async function getConversationDetailsBatch(ids: readonly string[], options?: CallOptions): Promise<Models.AnalyticsConversationWithoutAttributes[]> {
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += DETAILS_BATCH_SIZE) batches.push(unique.slice(i, i + DETAILS_BATCH_SIZE));
  const results = await Promise.all(batches.map((id) => call((p) => p.conversations.getAnalyticsConversationsDetails({ id }), options)));
  return results.flatMap((r) => r?.conversations ?? []);
}

export function getConversationDetails(conversationId: string, options?: CallOptions): Promise<Models.AnalyticsConversationWithoutAttributes> {
  return call((p) => p.conversations.getAnalyticsConversationDetails(conversationId), options);
}

/** Async details jobs, for long historical ranges (data only up to `dataAvailabilityDate`). */
export function createConversationDetailsJob(body: Models.AsyncConversationQuery, options?: CallOptions): Promise<Models.AsyncQueryResponse> {
  // Creating a job is a write (a second one would run twice): never retried automatically.
  return call((p) => p.conversations.postAnalyticsConversationsDetailsJobs(body), options);
}

/** Deletes an async details job (cancelled loads); the platform frees its results. */
export function deleteConversationDetailsJob(jobId: string, options?: CallOptions): Promise<void> {
  return call((p) => p.conversations.deleteAnalyticsConversationsDetailsJob(jobId), options);
}

export function getConversationDetailsJob(jobId: string, options?: CallOptions): Promise<Models.AsyncQueryStatus> {
  return call((p) => p.conversations.getAnalyticsConversationsDetailsJob(jobId), options);
}

export function getConversationDetailsJobResults(
  jobId: string,
  page: { cursor?: string; pageSize?: number } = {},
  options?: CallOptions,
): Promise<Models.AnalyticsConversationAsyncQueryResponse> {
  const opts = { ...(page.cursor ? { cursor: page.cursor } : {}), ...(page.pageSize ? { pageSize: page.pageSize } : {}) };
  return call((p) => p.conversations.getAnalyticsConversationsDetailsJobResults(jobId, opts), options);
}

export function getConversationDetailsJobsAvailability(options?: CallOptions): Promise<Models.DataAvailabilityResponse> {
  return call((p) => p.conversations.getAnalyticsConversationsDetailsJobsAvailability(), options);
}

// ---------------------------------------------------------------------------------------------
// Live conversation and wrap-ups (genesys-platform.md §1)

export function getConversation(conversationId: string, options?: CallOptions): Promise<Models.Conversation> {
  return call((p) => p.conversations.getConversation(conversationId), options);
}

/**
 * The fields of a media participant (`Call/Callback/Email/Message/CobrowseMediaParticipant`) the
 * wrap-up needs. The media GETs carry no communication ids [H: none of these models has one].
 */
export type MediaParticipant = Pick<
  Models.CallMediaParticipant,
  | 'id'
  | 'name'
  | 'purpose'
  | 'state'
  | 'startTime'
  | 'connectedTime'
  | 'endTime'
  | 'disconnectType'
  | 'wrapup'
  | 'wrapupRequired'
  | 'wrapupSkipped'
  | 'startAcwTime'
  | 'endAcwTime'
  | 'user'
  | 'queue'
>;

export interface MediaConversation {
  id?: string;
  participants?: MediaParticipant[];
}

type MediaGet = (a: Api, cid: string) => Promise<MediaConversation>;

const MEDIA_CONVERSATION: Partial<Record<WrapupMediaPath, MediaGet>> = {
  calls: (a, c) => a.getConversationsCall(c),
  callbacks: (a, c) => a.getConversationsCallback(c),
  emails: (a, c) => a.getConversationsEmail(c),
  messages: (a, c) => a.getConversationsMessage(c),
  cobrowsesessions: (a, c) => a.getConversationsCobrowsesession(c),
};

/**
 * `GET /api/v2/conversations/{media}/{cid}`: needs no permission when the caller is a participant
 * (SDK docs: "Requires NO permissions"), where `GET /conversations/{cid}` needs
 * `conversation:communication:view` even for one's own conversation (genesys-sim README rule 5c).
 * An agent reads their own participant's state through it.
 */
export function getMediaConversation(media: WrapupMediaPath, conversationId: string, options?: CallOptions): Promise<MediaConversation> {
  const get = MEDIA_CONVERSATION[media];
  if (!get) return Promise.reject(new ApiError({ kind: 'usage', status: 0, code: 'usage', message: `"${media}" has no conversation GET here.`, sent: false }));
  return call((p) => get(p.conversations, conversationId), options);
}

/** Largest page `GET /conversations/calls/history` serves [H: SDK docs, "Maximum page size is 50"]. */
export const CALL_HISTORY_PAGE_SIZE = 50;
/** Pages read at most (2,500 calls): an agent's own calls of a few days fit many times over. */
export const CALL_HISTORY_MAX_PAGES = 50;

/**
 * `GET /api/v2/conversations/calls/history`: the caller's own voice conversations started in
 * `interval` (`<ISO>/<ISO>`), every page up to `maxPages`. No permission needed [H]; no wrap-up
 * fields [H]: read each conversation's media GET for those. `truncated`: more pages were left.
 */
export async function listCallHistory(
  interval: string,
  options?: CallOptions & { maxPages?: number },
): Promise<{ conversations: Models.CallHistoryConversation[]; truncated: boolean }> {
  const maxPages = Math.max(1, options?.maxPages ?? CALL_HISTORY_MAX_PAGES);
  const page = (pageNumber: number) =>
    call((p) => p.conversations.getConversationsCallsHistory({ pageSize: CALL_HISTORY_PAGE_SIZE, pageNumber, interval }), options);
  const first = await page(1);
  const pageCount = first.pageCount ?? 1;
  const last = Math.min(pageCount, maxPages);
  const rest = await Promise.all(Array.from({ length: Math.max(0, last - 1) }, (_, i) => page(i + 2)));
  const seen = new Set<string>();
  const conversations: Models.CallHistoryConversation[] = [];
  // Newest first: a call arriving while paging shifts the rest by one; ids keep each once.
  for (const c of [first, ...rest].flatMap((r) => r.entities ?? [])) {
    if (!c.id || seen.has(c.id)) continue;
    seen.add(c.id);
    conversations.push(c);
  }
  return { conversations, truncated: pageCount > maxPages };
}

type Api = ConversationsApi;

const PARTICIPANT_WRAPUPCODES: Partial<Record<WrapupMediaPath, (a: Api, cid: string, pid: string) => Promise<Models.WrapupCode[]>>> = {
  calls: (a, c, p) => a.getConversationsCallParticipantWrapupcodes(c, p),
  callbacks: (a, c, p) => a.getConversationsCallbackParticipantWrapupcodes(c, p),
  emails: (a, c, p) => a.getConversationsEmailParticipantWrapupcodes(c, p),
  messages: (a, c, p) => a.getConversationsMessageParticipantWrapupcodes(c, p),
  cobrowsesessions: (a, c, p) => a.getConversationsCobrowsesessionParticipantWrapupcodes(c, p),
};

/**
 * The codes the platform allows for this participant: the authority on what may be offered [H].
 * Media without a participant endpoint (screenshares, socials, videos, or `null`) use the generic
 * `/conversations/{cid}/participants/{pid}/wrapupcodes`.
 */
export function getParticipantWrapupCodes(
  media: WrapupMediaPath | null,
  conversationId: string,
  participantId: string,
  options?: CallOptions,
): Promise<Models.WrapupCode[]> {
  const specific = media ? PARTICIPANT_WRAPUPCODES[media] : undefined;
  return call(
    (p) =>
      specific
        ? specific(p.conversations, conversationId, participantId)
        : p.conversations.getConversationParticipantWrapupcodes(conversationId, participantId),
    options,
  ).then((codes) => (Array.isArray(codes) ? codes : []));
}

type WrapupGet = (a: Api, cid: string, pid: string, o: { provisional?: boolean }) => Promise<Models.AssignedWrapupCode>;

const PARTICIPANT_WRAPUP: Partial<Record<WrapupMediaPath, WrapupGet>> = {
  calls: (a, c, p, o) => a.getConversationsCallParticipantWrapup(c, p, o),
  callbacks: (a, c, p, o) => a.getConversationsCallbackParticipantWrapup(c, p, o),
  emails: (a, c, p, o) => a.getConversationsEmailParticipantWrapup(c, p, o),
  messages: (a, c, p, o) => a.getConversationsMessageParticipantWrapup(c, p, o),
  cobrowsesessions: (a, c, p, o) => a.getConversationsCobrowsesessionParticipantWrapup(c, p, o),
};

/** A wrap-up read gives an empty body when there is none [M]: that is `undefined` here. */
function orNone(w: Models.AssignedWrapupCode | undefined | null | ''): Models.AssignedWrapupCode | undefined {
  return w && typeof w === 'object' && Object.keys(w).length > 0 ? w : undefined;
}

/** The participant's current wrap-up (read it just before writing: never overwrite silently). */
export function getParticipantWrapup(
  media: WrapupMediaPath | null,
  conversationId: string,
  participantId: string,
  options?: CallOptions & { provisional?: boolean },
): Promise<Models.AssignedWrapupCode | undefined> {
  const o = options?.provisional !== undefined ? { provisional: options.provisional } : {};
  const specific = media ? PARTICIPANT_WRAPUP[media] : undefined;
  return call(
    (p) =>
      specific
        ? specific(p.conversations, conversationId, participantId, o)
        : p.conversations.getConversationParticipantWrapup(conversationId, participantId, o),
    options,
  ).then(orNone);
}

type CommWrapupGet = (a: Api, cid: string, pid: string, mid: string, o: { provisional?: boolean }) => Promise<Models.AssignedWrapupCode>;

const COMMUNICATION_WRAPUP: Record<WrapupMediaPath, CommWrapupGet> = {
  calls: (a, c, p, m, o) => a.getConversationsCallParticipantCommunicationWrapup(c, p, m, o),
  callbacks: (a, c, p, m, o) => a.getConversationsCallbackParticipantCommunicationWrapup(c, p, m, o),
  emails: (a, c, p, m, o) => a.getConversationsEmailParticipantCommunicationWrapup(c, p, m, o),
  messages: (a, c, p, m, o) => a.getConversationsMessageParticipantCommunicationWrapup(c, p, m, o),
  cobrowsesessions: (a, c, p, m, o) => a.getConversationsCobrowsesessionParticipantCommunicationWrapup(c, p, m, o),
  screenshares: (a, c, p, m, o) => a.getConversationsScreenshareParticipantCommunicationWrapup(c, p, m, o),
  socials: (a, c, p, m, o) => a.getConversationsSocialParticipantCommunicationWrapup(c, p, m, o),
  videos: (a, c, p, m, o) => a.getConversationsVideoParticipantCommunicationWrapup(c, p, m, o),
};

export function getCommunicationWrapup(
  media: WrapupMediaPath,
  conversationId: string,
  participantId: string,
  communicationId: string,
  options?: CallOptions & { provisional?: boolean },
): Promise<Models.AssignedWrapupCode | undefined> {
  const o = options?.provisional !== undefined ? { provisional: options.provisional } : {};
  const get = COMMUNICATION_WRAPUP[media];
  return call((p) => get(p.conversations, conversationId, participantId, communicationId, o), options).then(orNone);
}

/**
 * The current wrap-up of a write target: its communication's, or, when the communication id is not
 * known (`''`: an agent without analytics reads media GETs, which carry none), the participant's.
 */
export function readTargetWrapup(
  target: { media: WrapupMediaPath; conversationId: string; participantId: string; communicationId: string },
  options?: CallOptions & { provisional?: boolean },
): Promise<Models.AssignedWrapupCode | undefined> {
  return target.communicationId
    ? getCommunicationWrapup(target.media, target.conversationId, target.participantId, target.communicationId, options)
    : getParticipantWrapup(target.media, target.conversationId, target.participantId, options);
}

type CommWrapupPost = (a: Api, cid: string, pid: string, mid: string, body: Models.WrapupInput) => Promise<void>;

const POST_WRAPUP: Record<WrapupMediaPath, CommWrapupPost> = {
  calls: (a, c, p, m, body) => a.postConversationsCallParticipantCommunicationWrapup(c, p, m, { body }),
  callbacks: (a, c, p, m, body) => a.postConversationsCallbackParticipantCommunicationWrapup(c, p, m, { body }),
  emails: (a, c, p, m, body) => a.postConversationsEmailParticipantCommunicationWrapup(c, p, m, { body }),
  messages: (a, c, p, m, body) => a.postConversationsMessageParticipantCommunicationWrapup(c, p, m, { body }),
  cobrowsesessions: (a, c, p, m, body) => a.postConversationsCobrowsesessionParticipantCommunicationWrapup(c, p, m, { body }),
  screenshares: (a, c, p, m, body) => a.postConversationsScreenshareParticipantCommunicationWrapup(c, p, m, { body }),
  socials: (a, c, p, m, body) => a.postConversationsSocialParticipantCommunicationWrapup(c, p, m, { body }),
  videos: (a, c, p, m, body) => a.postConversationsVideoParticipantCommunicationWrapup(c, p, m, { body }),
};

/**
 * Applies a wrap-up: `POST /api/v2/conversations/{media}/{cid}/participants/{pid}/communications/{commId}/wrapup`
 * with a `WrapupInput` whose `code` is the code's id [H]. Not idempotent and without an idempotency
 * key: it is sent once, never retried here. On an error where `isUnknownOutcome(err)` holds, the
 * caller re-reads the wrap-up before trying again (checklist #16).
 */
export function postCommunicationWrapup(
  media: WrapupMediaPath,
  conversationId: string,
  participantId: string,
  communicationId: string,
  body: Models.WrapupInput,
  options?: Omit<CallOptions, 'retry'>,
): Promise<void> {
  const post = POST_WRAPUP[media] as CommWrapupPost | undefined; // media may come from untyped data
  if (!post || !body.code?.trim() || !communicationId) {
    return Promise.reject(
      new ApiError({
        kind: 'usage',
        status: 0,
        code: 'usage',
        message: !post
          ? `"${String(media)}" has no wrap-up endpoint.`
          : !communicationId
            ? 'The POST needs the communication id (without it, use the participant PATCH).'
            : 'A wrap-up needs the code id.',
        sent: false,
      }),
    );
  }
  return call((p) => post(p.conversations, conversationId, participantId, communicationId, body), {
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options?.onResponse ? { onResponse: options.onResponse } : {}),
    retry: false,
  }).then(() => undefined);
}

type ParticipantPatch = (a: Api, cid: string, pid: string, body: Models.MediaParticipantRequest) => Promise<void>;

/** The media whose participant PATCH the SDK offers (genesys-platform.md §3) [H]. */
const PATCH_PARTICIPANT: Partial<Record<WrapupMediaPath, ParticipantPatch>> = {
  calls: (a, c, p, body) => a.patchConversationsCallParticipant(c, p, body),
  callbacks: (a, c, p, body) => a.patchConversationsCallbackParticipant(c, p, body),
  emails: (a, c, p, body) => a.patchConversationsEmailParticipant(c, p, body),
  messages: (a, c, p, body) => a.patchConversationsMessageParticipant(c, p, { body }),
  cobrowsesessions: (a, c, p, body) => a.patchConversationsCobrowsesessionParticipant(c, p, { body }),
};

/** True when the participant PATCH exists for this media (the PATCH write path needs it). */
export function hasParticipantPatch(media: WrapupMediaPath): boolean {
  return PATCH_PARTICIPANT[media] !== undefined;
}

/**
 * The other write path: `PATCH /api/v2/conversations/{media}/{cid}/participants/{pid}` with only
 * `{ wrapup }` (any other property would change the live participant). Used when the platform check
 * found that the org refuses the POST but takes the PATCH (issue 15). It sets the PARTICIPANT's
 * wrap-up, not one communication's. The same guarantees as the POST: sent once, never retried here;
 * an unknown outcome is resolved by re-reading (checklist #16).
 */
export function patchParticipantWrapup(
  media: WrapupMediaPath,
  conversationId: string,
  participantId: string,
  body: Models.WrapupInput,
  options?: Omit<CallOptions, 'retry'>,
): Promise<void> {
  const patch = PATCH_PARTICIPANT[media];
  if (!patch || !body.code?.trim()) {
    return Promise.reject(
      new ApiError({
        kind: 'usage',
        status: 0,
        code: 'usage',
        message: patch ? 'A wrap-up needs the code id.' : `"${String(media)}" has no participant PATCH endpoint.`,
        sent: false,
      }),
    );
  }
  return call((p) => patch(p.conversations, conversationId, participantId, { wrapup: body }), {
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options?.onResponse ? { onResponse: options.onResponse } : {}),
    retry: false,
  }).then(() => undefined);
}

export type WrapupWriteMethod = 'post' | 'patch';

/**
 * The one write of a wrap-up, by the method the platform check chose (`src/lib/platform-verdict.ts`):
 * the POST on the communication (default, documented) or the PATCH of the participant.
 */
export function writeWrapup(
  method: WrapupWriteMethod,
  target: { media: WrapupMediaPath; conversationId: string; participantId: string; communicationId: string },
  body: Models.WrapupInput,
  options?: Omit<CallOptions, 'retry'>,
): Promise<void> {
  return method === 'patch'
    ? patchParticipantWrapup(target.media, target.conversationId, target.participantId, body, options)
    : postCommunicationWrapup(target.media, target.conversationId, target.participantId, target.communicationId, body, options);
}

// ---------------------------------------------------------------------------------------------
// Notifications (the streaming channel behind wrapup-watch.ts)

/**
 * One NotificationsApi per configured ApiClient: built on the same client as the others, so its
 * calls go through the shared rate limiter and HTTP client like every other call.
 */
const notificationApis = new WeakMap<ApiClientClass, NotificationsApiT>();

/**
 * This file holds no SDK value import: it is reached from the sign-in page (auth), which loads the
 * SDK only when it signs in. The class comes with the SDK chunk, already loaded by any call.
 */
let NotificationsApi: typeof NotificationsApiClass | undefined;

async function loadNotificationsApi(): Promise<void> {
  try {
    NotificationsApi ??= (await import('./sdk.ts')).NotificationsApi;
  } catch (e) {
    throw toApiError(e);
  }
}

function notifications(p: Platform): NotificationsApiT {
  let api = notificationApis.get(p.apiClient);
  if (!api) {
    api = new NotificationsApi!(p.apiClient);
    notificationApis.set(p.apiClient, api);
  }
  return api;
}

/**
 * `POST /api/v2/notifications/channels`: a new channel (`id`, `connectUri`, `expires`). A write:
 * never retried here (a second POST is a second channel; the platform keeps 20 per user and app).
 * The channel id is a capability: it lets anyone open the socket, so keep it out of logs.
 */
export async function createNotificationChannel(options?: CallOptions): Promise<Models.Channel> {
  await loadNotificationsApi();
  return call((p) => notifications(p).postNotificationsChannels(), options);
}

/**
 * `PUT /api/v2/notifications/channels/{id}/subscriptions`: replaces the channel's topics with
 * `topics` and returns each topic's verdict (`state` 'Permitted' | 'Rejected', `rejectionReason`,
 * `missingPermissions`). `ignoreErrors` asks for per-topic verdicts instead of failing the whole
 * list on one topic the token may not see [M]. 404: the channel is gone.
 */
export async function putChannelSubscriptions(channelId: string, topics: readonly string[], options?: CallOptions): Promise<Models.ChannelTopic[]> {
  const body: Models.ChannelTopic[] = topics.map((id) => ({ id }));
  await loadNotificationsApi();
  return call((p) => notifications(p).putNotificationsChannelSubscriptions(channelId, body, { ignoreErrors: true }), options).then((r) =>
    Array.isArray(r?.entities) ? r.entities : [],
  );
}
