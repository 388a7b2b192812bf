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
  return allPages((pageNumber) =>
    call((p) => p.users.getUsers({ pageSize: PAGE_SIZE, pageNumber, ...(state ? { state } : {}) }), options),
  );
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
    call(
      (p) => p.routing.getRoutingWrapupcodesDivisionviews({ pageSize: PAGE_SIZE, pageNumber, includeState: 'ActiveAndDeleted' }),
      options,
    ),
  );
}

export function listQueueWrapupCodes(queueId: string, options?: CallOptions): Promise<Models.WrapupCode[]> {
  return allPages((pageNumber) =>
    call((p) => p.routing.getRoutingQueueWrapupcodes(queueId, { pageSize: PAGE_SIZE, pageNumber }), options),
  );
}

// ---------------------------------------------------------------------------------------------
// Analytics conversation details

/**
 * `POST /api/v2/analytics/conversations/details/query` (a read: retried like a GET). An empty
 * result may come back as `{}` [M]: `conversations` is then absent.
 */
export function queryConversationDetails(
  body: Models.ConversationQuery,
  options?: CallOptions,
): Promise<Models.AnalyticsConversationQueryResponse> {
  return call((p) => p.conversations.postAnalyticsConversationsDetailsQuery(body), options).then((r) => r ?? {});
}

/** Ids per batched GET; 100 UUIDs keep the URL under 4 KB [M: the platform's own maximum is not documented here]. */
export const DETAILS_BATCH_SIZE = 100;

/** `GET /api/v2/analytics/conversations/details?id=...`, split into batches, results concatenated. */
export async function getConversationDetailsBatch(
  ids: readonly string[],
  options?: CallOptions,
): Promise<Models.AnalyticsConversationWithoutAttributes[]> {
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += DETAILS_BATCH_SIZE) batches.push(unique.slice(i, i + DETAILS_BATCH_SIZE));
  const results = await Promise.all(
    batches.map((id) => call((p) => p.conversations.getAnalyticsConversationsDetails({ id }), options)),
  );
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
    (p) => (specific ? specific(p.conversations, conversationId, participantId) : p.conversations.getConversationParticipantWrapupcodes(conversationId, participantId)),
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
    (p) => (specific ? specific(p.conversations, conversationId, participantId, o) : p.conversations.getConversationParticipantWrapup(conversationId, participantId, o)),
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
  if (!post || !body.code?.trim()) {
    return Promise.reject(
      new ApiError({
        kind: 'usage',
        status: 0,
        code: 'usage',
        message: post ? 'A wrap-up needs the code id.' : `"${String(media)}" has no wrap-up endpoint.`,
        sent: false,
      }),
    );
  }
  return call((p) => post(p.conversations, conversationId, participantId, communicationId, body), {
    ...(options?.signal ? { signal: options.signal } : {}),
    retry: false,
  }).then(() => undefined);
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
