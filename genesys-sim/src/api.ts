/** /api/v2 routes: same paths, query parameters, bodies and shapes as the SDK methods the app uses. */
import { randomUUID } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';
import {
  DEFAULT_PAGE_SIZE,
  dataAvailabilityDate,
  decodeCursor,
  encodeCursor,
  findConversations,
  jobState,
  jobStatus,
  parseInterval,
  parseQuery,
  type FilterNode,
  type Predicate,
} from './analytics.ts';
import { badRequest, notAuthorized, notFound, type ApiError } from './errors.ts';
import { isRecord, parseJson, route, type Ctx, type Reply, type Route } from './http.ts';
import {
  AGENT_ANALYTICS_PERMISSION,
  ANALYTICS_PERMISSION,
  CHAT_MESSAGE_PERMISSIONS,
  CONVERSATION_VIEW_PERMISSION,
  mediaTypeOfPath,
  type MediaPath,
  type SimConversation,
  type SimUser,
} from './model.ts';
import type { AgentQueryScope } from './options.ts';
import {
  asCall,
  asCallback,
  asEmail,
  asMessage,
  renderAssigned,
  renderCallHistory,
  renderCode,
  renderConversation,
  renderMediaConversation,
  renderQueue,
  renderUser,
  renderUserMe,
} from './render.ts';
import { notificationRoutes } from './notifications.ts';
import { WRAPUP_PERMISSION, allowedCodeIds, applyWrapup, checkWrite, resolveTarget } from './rules.ts';
import type { WriteLogEntry } from './state.ts';

export const errorReply = (e: ApiError): Reply => ({ status: e.status, apiError: e });

const ok = (json: unknown, status = 200): Reply => ({ status, json });

function multi(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

interface Paging {
  pageSize: number;
  pageNumber: number;
}

function paging(q: URLSearchParams, max: number, def = DEFAULT_PAGE_SIZE): Paging | ApiError {
  const ps = q.get('pageSize');
  const pn = q.get('pageNumber');
  const pageSize = ps === null ? def : Number(ps);
  const pageNumber = pn === null ? 1 : Number(pn);
  if (!Number.isInteger(pageSize) || pageSize < 1) return badRequest(`Invalid pageSize ${ps ?? ''}.`);
  if (pageSize > max) return badRequest(`pageSize must be at most ${max}.`, { max: String(max) });
  if (!Number.isInteger(pageNumber) || pageNumber < 1) return badRequest(`Invalid pageNumber ${pn ?? ''}.`);
  return { pageSize, pageNumber };
}

interface Listing<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  lastUri: string;
  selfUri: string;
  nextUri?: string;
  previousUri?: string;
}

function listing<T>(items: readonly T[], p: Paging, ctx: Ctx): Listing<T> {
  const total = items.length;
  const pageCount = Math.ceil(total / p.pageSize);
  const uri = (n: number): string => {
    const q = new URLSearchParams(ctx.query);
    q.set('pageSize', String(p.pageSize));
    q.set('pageNumber', String(n));
    return `${ctx.path}?${q.toString()}`;
  };
  return {
    entities: items.slice((p.pageNumber - 1) * p.pageSize, p.pageNumber * p.pageSize),
    pageSize: p.pageSize,
    pageNumber: p.pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    lastUri: uri(Math.max(1, pageCount)),
    selfUri: uri(p.pageNumber),
    ...(p.pageNumber < pageCount ? { nextUri: uri(p.pageNumber + 1) } : {}),
    ...(p.pageNumber > 1 ? { previousUri: uri(p.pageNumber - 1) } : {}),
  };
}

/** `name` filters: leading/trailing `*` are wildcards; otherwise case-insensitive prefix match. */
function nameMatcher(pattern: string | null): (name: string) => boolean {
  if (pattern === null || pattern === '') return () => true;
  const p = pattern.toLowerCase();
  const starts = p.endsWith('*');
  const ends = p.startsWith('*');
  const core = p.replace(/^\*+|\*+$/g, '');
  return (name) => {
    const n = name.toLowerCase();
    if (starts && ends) return n.includes(core);
    if (ends) return n.endsWith(core);
    return n.startsWith(core);
  };
}

function sortDir(q: URLSearchParams): 1 | -1 {
  const s = (q.get('sortOrder') ?? 'asc').toLowerCase();
  return s === 'desc' || s === 'descending' ? -1 : 1;
}

function user(ctx: Ctx): NonNullable<Ctx['auth']> {
  if (!ctx.auth) throw new Error('route needs auth');
  return ctx.auth;
}

// --- tokens & users ----------------------------------------------------------------------------

function tokensMe(ctx: Ctx): Reply {
  const { token, user: u } = user(ctx);
  const org = ctx.state.org;
  const body: Models.TokenInfo = {
    organization: { id: org.id, name: org.name },
    homeOrganization: { id: org.id, name: org.name },
    authorizedScope: ['analytics:readonly', 'conversations', 'routing:readonly', 'users:readonly'],
    OAuthClient: {
      id: token.clientId,
      name: token.clientId,
      authorizedGrantType: token.grant === 'pkce' ? 'CODE' : token.grant === 'implicit' ? 'TOKEN' : 'CLIENT-CREDENTIALS',
      organization: { id: org.id, name: org.name },
    },
  };
  void u;
  return ok(body);
}

function deleteTokensMe(ctx: Ctx): Reply {
  // 200 with an empty body (the spec's only success status for deleteTokensMe; §8 row 11).
  ctx.state.revokeToken(user(ctx).token);
  return { status: 200 };
}

function usersMe(ctx: Ctx): Reply {
  const expand = new Set(multi(ctx.query, 'expand'));
  const body: Models.UserMe = renderUserMe(ctx.state.org, user(ctx).user, expand, ctx.now);
  return ok(body);
}

function users(ctx: Ctx): Reply {
  const p = paging(ctx.query, 500);
  if ('status' in p) return errorReply(p);
  const ids = new Set(multi(ctx.query, 'id'));
  const dir = sortDir(ctx.query);
  const list = ctx.state.org.users
    .filter((u) => ids.size === 0 || ids.has(u.id))
    .slice()
    .sort((a, b) => dir * a.name.localeCompare(b.name))
    .map((u) => renderUser(ctx.state.org, u));
  const body: Models.UserEntityListing = listing(list, p, ctx);
  return ok(body);
}

// --- routing ------------------------------------------------------------------------------------

function queues(ctx: Ctx): Reply {
  const p = paging(ctx.query, 500);
  if ('status' in p) return errorReply(p);
  const ids = new Set(multi(ctx.query, 'id'));
  const divs = new Set(multi(ctx.query, 'divisionId'));
  const nameOk = nameMatcher(ctx.query.get('name'));
  const dir = sortDir(ctx.query);
  const list = ctx.state.org.queues
    .filter((q) => (ids.size === 0 || ids.has(q.id)) && (divs.size === 0 || divs.has(q.divisionId)) && nameOk(q.name))
    .slice()
    .sort((a, b) => dir * a.name.localeCompare(b.name))
    .map((q) => renderQueue(ctx.state.org, q));
  const body: Models.QueueEntityListing = listing(list, p, ctx);
  return ok(body);
}

function queueWrapupcodes(ctx: Ctx): Reply {
  const org = ctx.state.org;
  const q = org.queuesById.get(ctx.params.queueId ?? '');
  if (!q) return errorReply(notFound(`Queue ${ctx.params.queueId ?? ''} not found`));
  const p = paging(ctx.query, 500);
  if ('status' in p) return errorReply(p);
  const nameOk = nameMatcher(ctx.query.get('name'));
  const list = q.codeIds
    .map((id) => org.codesById.get(id))
    .filter((c) => c !== undefined && !c.deleted && nameOk(c.name))
    .map((c) => renderCode(org, c!));
  const body: Models.WrapupCodeEntityListing = listing(list, p, ctx);
  return ok(body);
}

function wrapupcodes(ctx: Ctx, includeState: 'Active' | 'Deleted' | 'ActiveAndDeleted'): Reply {
  const org = ctx.state.org;
  const p = paging(ctx.query, 500);
  if ('status' in p) return errorReply(p);
  const ids = new Set(multi(ctx.query, 'id'));
  const divs = new Set(multi(ctx.query, 'divisionId'));
  const nameOk = nameMatcher(ctx.query.get('name'));
  const sortBy = ctx.query.get('sortBy') ?? 'name';
  if (sortBy !== 'name' && sortBy !== 'id') return errorReply(badRequest(`Invalid sortBy ${sortBy}.`));
  const dir = sortDir(ctx.query);
  const list = org.codes
    .filter((c) => (includeState === 'ActiveAndDeleted' ? true : includeState === 'Deleted' ? c.deleted : !c.deleted))
    .filter((c) => (ids.size === 0 || ids.has(c.id)) && (divs.size === 0 || divs.has(c.divisionId)) && nameOk(c.name))
    .slice()
    .sort((a, b) => dir * (sortBy === 'id' ? a.id.localeCompare(b.id) : a.name.localeCompare(b.name)))
    .map((c) => renderCode(org, c));
  const body: Models.WrapupCodeEntityListing = listing(list, p, ctx);
  return ok(body);
}

function wrapupcodeById(ctx: Ctx): Reply {
  const c = ctx.state.org.codesById.get(ctx.params.codeId ?? '');
  if (!c || c.deleted) return errorReply(notFound(`Wrap-up code ${ctx.params.codeId ?? ''} not found`));
  const body: Models.WrapupCode = renderCode(ctx.state.org, c);
  return ok(body);
}

// --- analytics ----------------------------------------------------------------------------------

function jsonBody(ctx: Ctx): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  const parsed = parseJson(ctx.bodyText);
  if (!parsed.ok) return { ok: false, reply: errorReply(badRequest('The request could not be understood by the server due to malformed syntax.')) };
  return parsed;
}

/** Whether the user is a participant (any purpose, by user id) of the conversation. */
export const participates = (c: SimConversation, userId: string): boolean => c.participants.some((p) => p.userId === userId);

/**
 * The scope of the caller's analytics details calls: 'all' with the org-wide permission; with only the
 * agent-scoped one, `agentQueryScope` decides (README rule 5a, [L]).
 */
function analyticsScope(ctx: Ctx): AgentQueryScope {
  const perms = user(ctx).user.permissions;
  if (perms.includes(ANALYTICS_PERMISSION) || !perms.includes(AGENT_ANALYTICS_PERMISSION)) return 'all';
  return ctx.state.options.agentQueryScope;
}

/** Does a segment filter guarantee that every matching conversation has a segment of `userId` (userId matches it)? */
function filterRestrictsTo(f: FilterNode, userId: string): boolean {
  const mine = (p: Predicate): boolean => p.dimension === 'userId' && p.operator === 'matches' && p.value === userId;
  const clause = (c: FilterNode['clauses'][number]): boolean =>
    c.type === 'and' ? c.predicates.some(mine) : c.predicates.length > 0 && c.predicates.every(mine);
  if (f.type === 'and') return f.predicates.some(mine) || f.clauses.some(clause);
  return f.predicates.length + f.clauses.length > 0 && f.predicates.every(mine) && f.clauses.every(clause);
}

/** The refusal under `agentQueryScope: refuse` (a plausible invented message; no source documents one). */
const agentScopeRefused = (u: SimUser): ApiError =>
  notAuthorized(`With ${AGENT_ANALYTICS_PERMISSION} only your own conversations may be queried: filter segments by userId ${u.id}.`);

/** Conversations a query selects, limited by the caller's analytics scope; an ApiError under `refuse` without an own-user filter. */
function scopedQuery(ctx: Ctx, segmentFilters: readonly FilterNode[]): { ok: true; keep: (c: SimConversation) => boolean } | { ok: false; error: ApiError } {
  const scope = analyticsScope(ctx);
  const u = user(ctx).user;
  if (scope === 'refuse' && !segmentFilters.some((f) => filterRestrictsTo(f, u.id))) return { ok: false, error: agentScopeRefused(u) };
  return { ok: true, keep: scope === 'own' ? (c) => participates(c, u.id) : () => true };
}

function detailsQuery(ctx: Ctx): Reply {
  const body = jsonBody(ctx);
  if (!body.ok) return body.reply;
  const q = parseQuery(body.value, ctx.state.options, 'query');
  if (!q.ok) return errorReply(q.error);
  const scoped = scopedQuery(ctx, q.value.segmentFilters);
  if (!scoped.ok) return errorReply(scoped.error);
  const { state, now } = ctx;
  state.applyDrift(now);
  const found = findConversations(state.org, q.value, (c) => state.analyticsView(c, now), Number.POSITIVE_INFINITY, state.options.intervalSemantics).filter(
    scoped.keep,
  );
  const res: Models.AnalyticsConversationQueryResponse = {};
  if (found.length === 0) return ok(res);
  const page = found.slice((q.value.pageNumber - 1) * q.value.pageSize, q.value.pageNumber * q.value.pageSize);
  if (page.length > 0) res.conversations = page.map((c) => state.analyticsView(c, now));
  res.totalHits = found.length;
  return ok(res);
}

const MAX_MULTIGET = 100;

function detailsMulti(ctx: Ctx): Reply {
  const ids = multi(ctx.query, 'id');
  if (ids.length === 0) return errorReply(badRequest('At least one id is required.'));
  if (ids.length > MAX_MULTIGET) return errorReply(badRequest(`At most ${MAX_MULTIGET} ids are allowed.`));
  const { state, now } = ctx;
  const me = user(ctx).user;
  const scope = analyticsScope(ctx);
  const found = ids.map((id) => state.org.conversationsById.get(id)).filter((c): c is SimConversation => c !== undefined);
  // Agent-scoped tokens: others' conversations are left out ('own', like unknown ids) or refused ('refuse').
  if (scope === 'refuse' && found.some((c) => !participates(c, me.id))) return errorReply(agentScopeRefused(me));
  const conversations = found.filter((c) => scope !== 'own' || participates(c, me.id)).map((c) => state.analyticsView(c, now));
  const body: Models.AnalyticsConversationWithoutAttributesMultiGetResponse = { conversations };
  return ok(body);
}

function detailsOne(ctx: Ctx): Reply {
  const c = ctx.state.org.conversationsById.get(ctx.params.conversationId ?? '');
  const me = user(ctx).user;
  const scope = analyticsScope(ctx);
  const foreign = c !== undefined && scope !== 'all' && !participates(c, me.id);
  if (foreign && scope === 'refuse') return errorReply(agentScopeRefused(me));
  if (!c || foreign) return errorReply(notFound(`Conversation ${ctx.params.conversationId ?? ''} not found`));
  const body: Models.AnalyticsConversationWithoutAttributes = ctx.state.analyticsView(c, ctx.now);
  return ok(body);
}

function jobCreate(ctx: Ctx): Reply {
  const body = jsonBody(ctx);
  if (!body.ok) return body.reply;
  const q = parseQuery(body.value, { maxIntervalDays: 0, maxIntervalDaysUnfiltered: 0 }, 'job');
  if (!q.ok) return errorReply(q.error);
  const scoped = scopedQuery(ctx, q.value.segmentFilters);
  if (!scoped.ok) return errorReply(scoped.error);
  const { state, now } = ctx;
  state.applyDrift(now);
  const avail = dataAvailabilityDate(now);
  // Jobs: every conversation with activity in the interval, whatever --interval-semantics says (§8 row 3).
  const ids = findConversations(state.org, q.value, (c) => state.analyticsView(c, now), avail, 'activity')
    .filter(scoped.keep)
    .map((c) => c.id);
  const jobId = randomUUID();
  state.jobs.set(jobId, { id: jobId, ownerUserId: user(ctx).user.id, submittedAt: now, ids, dataAvailabilityDate: avail });
  const res: Models.AsyncQueryResponse = { jobId };
  return ok(res, 202);
}

function jobOf(ctx: Ctx): ReturnType<typeof ctx.state.jobs.get> {
  const job = ctx.state.jobs.get(ctx.params.jobId ?? '');
  if (!job || job.ownerUserId !== user(ctx).user.id) return undefined;
  return job;
}

function jobGet(ctx: Ctx): Reply {
  const job = jobOf(ctx);
  if (!job) return errorReply(notFound(`Job ${ctx.params.jobId ?? ''} not found`));
  const body: Models.AsyncQueryStatus = jobStatus(job, ctx.now, ctx.state.options.jobDelayMs);
  // 202 while the job runs, 200 once FULFILLED (the spec lists both for getAnalyticsConversationsDetailsJob; §8 row 11).
  return ok(body, body.state === 'FULFILLED' ? 200 : 202);
}

function jobResults(ctx: Ctx): Reply {
  const job = jobOf(ctx);
  if (!job) return errorReply(notFound(`Job ${ctx.params.jobId ?? ''} not found`));
  if (jobState(job, ctx.now, ctx.state.options.jobDelayMs) !== 'FULFILLED') return errorReply(badRequest(`Job ${job.id} is not fulfilled yet.`));
  const cursor = ctx.query.get('cursor');
  const offset = cursor === null || cursor === '' ? 0 : decodeCursor(cursor);
  if (offset === null) return errorReply(badRequest('Invalid cursor.'));
  const ps = ctx.query.get('pageSize');
  const pageSize = ps === null ? 1000 : Number(ps);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) return errorReply(badRequest('pageSize must be between 1 and 1000.'));
  const slice = job.ids.slice(offset, offset + pageSize);
  const { state, now } = ctx;
  const conversations = slice
    .map((id) => state.org.conversationsById.get(id))
    .filter((c): c is SimConversation => c !== undefined)
    .map((c) => state.analyticsView(c, now));
  const body: Models.AnalyticsConversationAsyncQueryResponse = {
    conversations,
    dataAvailabilityDate: new Date(job.dataAvailabilityDate).toISOString(),
    ...(offset + pageSize < job.ids.length ? { cursor: encodeCursor(offset + pageSize) } : {}),
  };
  return ok(body);
}

function jobDelete(ctx: Ctx): Reply {
  const job = jobOf(ctx);
  if (!job) return errorReply(notFound(`Job ${ctx.params.jobId ?? ''} not found`));
  ctx.state.jobs.delete(job.id);
  return { status: 204 };
}

function jobsAvailability(ctx: Ctx): Reply {
  const body: Models.DataAvailabilityResponse = { dataAvailabilityDate: new Date(dataAvailabilityDate(ctx.now)).toISOString() };
  return ok(body);
}

// --- conversations ------------------------------------------------------------------------------

/** `expand` values of getConversationsCallsHistory (SDK docs). */
const HISTORY_EXPAND = new Set(['externalorganization', 'externalcontact', 'user', 'queue', 'group']);

/** GET /conversations/calls/history: the caller's own voice conversations, newest first (no permission; no wrap-up fields). */
function callsHistory(ctx: Ctx): Reply {
  const p = paging(ctx.query, 50);
  if ('status' in p) return errorReply(p);
  const expand = new Set(multi(ctx.query, 'expand'));
  const unknown = [...expand].filter((e) => !HISTORY_EXPAND.has(e));
  if (unknown.length > 0) return errorReply(badRequest(`Invalid expand value(s): ${unknown.join(', ')}. Allowed: ${[...HISTORY_EXPAND].join(', ')}.`));
  const rawInterval = ctx.query.get('interval');
  const iv = rawInterval === null || rawInterval === '' ? null : parseInterval(rawInterval, 0);
  if (iv && !iv.ok) return errorReply(iv.error);
  const { state, now } = ctx;
  state.applyDrift(now);
  const me = user(ctx).user.id;
  const list = state.org.conversations
    .filter((c) => c.media === 'voice' && participates(c, me) && (!iv || (c.start >= iv.value.start && c.start < iv.value.end)))
    .slice()
    .sort((a, b) => b.start - a.start || (a.id < b.id ? -1 : 1))
    .map((c) => renderCallHistory(state.org, c, expand));
  const body: Models.CallHistoryConversationEntityListing = listing(list, p, ctx);
  return ok(body);
}

/**
 * Media conversation GETs need no permission when the caller is one of its participants (SDK docs:
 * "Requires NO permissions"; others need conversation:communication:view, a guess; README rule 5b).
 */
function callerInConversation(ctx: Ctx): boolean {
  const c = ctx.state.org.conversationsById.get(ctx.params.conversationId ?? '');
  const me = ctx.auth?.user.id;
  return c !== undefined && me !== undefined && participates(c, me);
}

/** Participant wrap-up and code reads need no permission for the caller's own participant (SDK docs: "Requires NO permissions"; README rule 5b). */
function callersOwnParticipant(ctx: Ctx): boolean {
  const c = ctx.state.org.conversationsById.get(ctx.params.conversationId ?? '');
  const p = c?.participants.find((x) => x.id === ctx.params.participantId);
  return p?.userId !== undefined && p.userId === ctx.auth?.user.id;
}

function conversationGet(ctx: Ctx): Reply {
  const c = ctx.state.org.conversationsById.get(ctx.params.conversationId ?? '');
  if (!c) return errorReply(notFound(`Conversation ${ctx.params.conversationId ?? ''} not found`));
  const body: Models.Conversation = renderConversation(ctx.state.org, c);
  return ok(body);
}

function mediaConversationGet(media: MediaPath) {
  return (ctx: Ctx): Reply => {
    const c = ctx.state.org.conversationsById.get(ctx.params.conversationId ?? '');
    if (!c || c.media !== mediaTypeOfPath[media]) return errorReply(notFound(`Conversation ${ctx.params.conversationId ?? ''} not found`));
    const m = renderMediaConversation(ctx.state.org, c);
    switch (media) {
      case 'calls':
        return ok(asCall(m));
      case 'callbacks':
        return ok(asCallback(m));
      case 'emails':
        return ok(asEmail(m));
      case 'messages':
        return ok(asMessage(m));
    }
  };
}

function participantWrapupcodes(media: MediaPath | null) {
  return (ctx: Ctx): Reply => {
    const t = resolveTarget(ctx.state.org, media, ctx.params.conversationId ?? '', ctx.params.participantId ?? '', null);
    if (!t.ok) return errorReply(t.error);
    const org = ctx.state.org;
    const body: Models.WrapupCode[] = allowedCodeIds(org, t.value.participant).flatMap((id) => {
      const c = org.codesById.get(id);
      return c ? [renderCode(org, c)] : [];
    });
    return ok(body);
  };
}

function participantWrapup(media: MediaPath | null, withComm: boolean) {
  return (ctx: Ctx): Reply => {
    const t = resolveTarget(
      ctx.state.org,
      media,
      ctx.params.conversationId ?? '',
      ctx.params.participantId ?? '',
      withComm ? (ctx.params.communicationId ?? '') : null,
    );
    if (!t.ok) return errorReply(t.error);
    const body: Models.AssignedWrapupCode = renderAssigned(t.value.comm.wrapup);
    return ok(body);
  };
}

function writeEntryBase(
  ctx: Ctx,
  media: MediaPath,
  via: 'post' | 'patch',
  input: unknown,
): Omit<WriteLogEntry, 'seq' | 'time' | 'outcome' | 'status' | 'errorCode' | 'responseLost' | 'fault'> {
  const w = isRecord(input) ? input : {};
  return {
    at: ctx.now,
    via,
    media,
    conversationId: ctx.params.conversationId ?? '',
    participantId: ctx.params.participantId ?? '',
    communicationId: ctx.params.communicationId ?? null,
    code: typeof w.code === 'string' ? w.code : null,
    notes: typeof w.notes === 'string' ? w.notes : null,
    userId: ctx.auth?.user.id ?? null,
    userEmail: ctx.auth?.user.email ?? null,
  };
}

/** Shared write path for POST .../communications/{id}/wrapup and PATCH .../participants/{id}. */
function performWrite(ctx: Ctx, media: MediaPath, via: 'post' | 'patch', input: unknown, communicationId: string | null): Reply {
  const { state, now } = ctx;
  const base = writeEntryBase(ctx, media, via, input);
  const refuse = (e: ApiError): Reply => {
    ctx.writeLog = state.logWrite({ ...base, outcome: 'refused', status: e.status, errorCode: e.code, responseLost: false, fault: null });
    return errorReply(e);
  };
  const { user: u } = user(ctx);
  if (!u.permissions.includes(WRAPUP_PERMISSION))
    return refuse({
      status: 403,
      code: 'missing.permissions',
      message: `Unable to perform the requested action. You are missing the following permission(s): [${WRAPUP_PERMISSION}]`,
      messageParams: { permissions: WRAPUP_PERMISSION },
    });
  const t = resolveTarget(state.org, media, base.conversationId, base.participantId, communicationId);
  if (!t.ok) return refuse(t.error);
  const checked = checkWrite(state.org, state.options, { user: u, target: t.value, body: input, now, via });
  if (!checked.ok) return refuse(checked.error);
  applyWrapup(t.value, checked.value, now, state.onWrapupApplied, u.id);
  ctx.writeLog = state.logWrite({
    ...base,
    communicationId: t.value.comm.id,
    outcome: 'applied',
    status: 202,
    errorCode: null,
    responseLost: false,
    fault: null,
  });
  return { status: 202 };
}

function wrapupPost(media: MediaPath) {
  return (ctx: Ctx): Reply => {
    const parsed = parseJson(ctx.bodyText);
    const input = parsed.ok ? parsed.value : Symbol('malformed');
    return performWrite(ctx, media, 'post', input, ctx.params.communicationId ?? '');
  };
}

function participantPatch(media: MediaPath) {
  return (ctx: Ctx): Reply => {
    const { state } = ctx;
    const parsed = parseJson(ctx.bodyText);
    const base = writeEntryBase(ctx, media, 'patch', parsed.ok && isRecord(parsed.value) ? parsed.value.wrapup : undefined);
    const refuse = (e: ApiError): Reply => {
      ctx.writeLog = state.logWrite({ ...base, outcome: 'refused', status: e.status, errorCode: e.code, responseLost: false, fault: null });
      return errorReply(e);
    };
    if (!parsed.ok || !isRecord(parsed.value)) return refuse(badRequest('The request could not be understood by the server due to malformed syntax.'));
    const keys = Object.keys(parsed.value);
    const others = keys.filter((k) => k !== 'wrapup');
    if (others.length > 0) {
      return refuse(notAuthorized(`This request may only change the participant's wrap-up; refusing the other properties: ${others.join(', ')}.`));
    }
    if (!keys.includes('wrapup')) return refuse(badRequest('The request body must contain wrapup.'));
    return performWrite(ctx, media, 'patch', parsed.value.wrapup, null);
  };
}

// --- chat ---------------------------------------------------------------------------------------

/** POST /chats/users/{userId}/messages: a 1:1 chat message to a user (logged; GET /__sim/chats shows it). */
function chatUserMessage(ctx: Ctx): Reply {
  const { state, now } = ctx;
  const to = state.org.usersById.get(ctx.params.userId ?? '');
  if (!to) return errorReply(notFound(`User ${ctx.params.userId ?? ''} not found`));
  const parsed = parseJson(ctx.bodyText);
  if (!parsed.ok || !isRecord(parsed.value)) return errorReply(badRequest('The request could not be understood by the server due to malformed syntax.'));
  const { message, mentions, threadId } = parsed.value;
  if (typeof message !== 'string' || message.trim() === '') {
    return errorReply({
      ...badRequest('The message is required and may not be empty.'),
      details: [{ fieldName: 'message', errorCode: message === undefined ? 'required' : 'invalid' }],
    });
  }
  if (mentions !== undefined && (!Array.isArray(mentions) || !mentions.every((m) => typeof m === 'string')))
    return errorReply(badRequest('Invalid value for mentions.'));
  if (threadId !== undefined && typeof threadId !== 'string') return errorReply(badRequest('Invalid value for threadId.'));
  const from = user(ctx).user;
  const entry = state.logChat({
    at: now,
    fromUserId: from.id,
    fromEmail: from.email,
    toUserId: to.id,
    toEmail: to.email,
    message,
    ...(Array.isArray(mentions) ? { mentions } : {}),
    ...(typeof threadId === 'string' ? { threadId } : {}),
  });
  const body: Models.ChatSendMessageResponse = { id: entry.id };
  return ok(body);
}

// --- table --------------------------------------------------------------------------------------

const P = {
  /** Details routes accept either analytics permission (SDK docs: "Requires ANY permissions"). */
  analytics: [ANALYTICS_PERMISSION, AGENT_ANALYTICS_PERMISSION],
  conv: CONVERSATION_VIEW_PERMISSION,
  queue: 'routing:queue:view',
  code: 'routing:wrapupCode:view',
};
const inConversation = { permission: P.conv, permissionExempt: callerInConversation };
const ownParticipant = { permission: P.conv, permissionExempt: callersOwnParticipant };

export function apiRoutes(): Route[] {
  const A = '/api/v2';
  const routes: Route[] = [
    route('GET', `${A}/tokens/me`, tokensMe),
    route('DELETE', `${A}/tokens/me`, deleteTokensMe),
    route('GET', `${A}/users/me`, usersMe),
    route('GET', `${A}/users`, users),
    route('GET', `${A}/routing/queues`, queues, { permission: P.queue }),
    route('GET', `${A}/routing/queues/{queueId}/wrapupcodes`, queueWrapupcodes, { permission: P.queue }),
    route('GET', `${A}/routing/wrapupcodes`, (ctx) => wrapupcodes(ctx, 'Active'), { permission: P.code }),
    route(
      'GET',
      `${A}/routing/wrapupcodes/divisionviews`,
      (ctx) => {
        const s = ctx.query.get('includeState') ?? 'Active';
        if (s !== 'Active' && s !== 'Deleted' && s !== 'ActiveAndDeleted') return errorReply(badRequest(`Invalid includeState ${s}.`));
        return wrapupcodes(ctx, s);
      },
      { permission: P.code },
    ),
    route('GET', `${A}/routing/wrapupcodes/{codeId}`, wrapupcodeById, { permission: P.code }),
    route('POST', `${A}/analytics/conversations/details/query`, detailsQuery, { permission: P.analytics }),
    route('GET', `${A}/analytics/conversations/details`, detailsMulti, { permission: P.analytics }),
    route('POST', `${A}/analytics/conversations/details/jobs`, jobCreate, { permission: P.analytics }),
    route('GET', `${A}/analytics/conversations/details/jobs/availability`, jobsAvailability, { permission: P.analytics }),
    route('GET', `${A}/analytics/conversations/details/jobs/{jobId}`, jobGet, { permission: P.analytics }),
    route('GET', `${A}/analytics/conversations/details/jobs/{jobId}/results`, jobResults, { permission: P.analytics }),
    route('DELETE', `${A}/analytics/conversations/details/jobs/{jobId}`, jobDelete, { permission: P.analytics }),
    route('GET', `${A}/analytics/conversations/{conversationId}/details`, detailsOne, { permission: P.analytics }),
    // Before calls/{conversationId}, which would match "history".
    route('GET', `${A}/conversations/calls/history`, callsHistory),
    route('POST', `${A}/chats/users/{userId}/messages`, chatUserMessage, { permission: CHAT_MESSAGE_PERMISSIONS }),
  ];
  for (const media of ['calls', 'callbacks', 'emails', 'messages'] as const) {
    const C = `${A}/conversations/${media}/{conversationId}`;
    routes.push(
      route('GET', C, mediaConversationGet(media), inConversation),
      route('GET', `${C}/participants/{participantId}/wrapupcodes`, participantWrapupcodes(media), ownParticipant),
      route('GET', `${C}/participants/{participantId}/wrapup`, participantWrapup(media, false), ownParticipant),
      route('GET', `${C}/participants/{participantId}/communications/{communicationId}/wrapup`, participantWrapup(media, true), ownParticipant),
      route('POST', `${C}/participants/{participantId}/communications/{communicationId}/wrapup`, wrapupPost(media), { write: true }),
      route('PATCH', `${C}/participants/{participantId}`, participantPatch(media), { write: true }),
    );
  }
  routes.push(
    // getConversation: "Requires ANY permissions: conversation:communication:view" (SDK docs), participants included.
    route('GET', `${A}/conversations/{conversationId}`, conversationGet, { permission: P.conv }),
    route('GET', `${A}/conversations/{conversationId}/participants/{participantId}/wrapupcodes`, participantWrapupcodes(null), ownParticipant),
    route('GET', `${A}/conversations/{conversationId}/participants/{participantId}/wrapup`, participantWrapup(null, false), ownParticipant),
    ...notificationRoutes(),
  );
  return routes;
}

/** For write routes hit by a fault before processing: what the write log should record. */
export function faultWriteEntry(
  ctx: Ctx,
  route: Route,
): Omit<WriteLogEntry, 'seq' | 'time' | 'outcome' | 'status' | 'errorCode' | 'responseLost' | 'fault'> | null {
  if (!route.write) return null;
  const media = (/^\/api\/v2\/conversations\/(\w+)\//.exec(ctx.path)?.[1] ?? '') as MediaPath;
  const parsed = parseJson(ctx.bodyText);
  const via = route.method === 'PATCH' ? 'patch' : 'post';
  const input = parsed.ok ? (via === 'patch' && isRecord(parsed.value) ? parsed.value.wrapup : parsed.value) : undefined;
  return writeEntryBase(ctx, media, via, input);
}
