/** Control API under /__sim/ (only with --control): reset, faults, options, logs, ground truth, agent wrap-ups, tokens, notifications. */
import { lowerBound, parseInterval, utcDayRange } from './analytics.ts';
import { isRecord, parseJson, route, type Ctx, type Reply, type Route } from './http.ts';
import { isSystemCode, type MediaType, type SimComm, type SimConversation, type SimParticipant, type SimWrapup } from './model.ts';
import { OptionsError, mergeFaults, mergeOptions, type SimOptions } from './options.ts';
import { visibleWrapup } from './render.ts';
import { allowedCodeIds, applyWrapup, resolveTarget } from './rules.ts';
import { maxInWindow } from './state.ts';

const bad = (message: string, status = 400): Reply => ({ status, json: { ok: false, error: message } });
const ok = (json: unknown): Reply => ({ status: 200, json });

function body(ctx: Ctx): { ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply } {
  const p = parseJson(ctx.bodyText);
  if (!p.ok) return { ok: false, reply: bad('body is not valid JSON') };
  if (p.value === undefined) return { ok: true, value: {} };
  if (!isRecord(p.value)) return { ok: false, reply: bad('body must be a JSON object') };
  return { ok: true, value: p.value };
}

function withOptions(fn: () => Reply): Reply {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OptionsError) return bad(e.message);
    throw e;
  }
}

/** Options that only a reset may change (they shape the generated org or the listener). */
const GENERATION_KEYS = ['seed', 'conversations', 'days', 'agents', 'now', 'port', 'control'];

export function publicOptions(o: SimOptions): SimOptions {
  return { ...o, faults: { ...o.faults } };
}

function orgSummary(ctx: Ctx) {
  const org = ctx.state.org;
  return {
    id: org.id,
    name: org.name,
    generatedAt: new Date(org.now).toISOString(),
    buildMs: Math.round(ctx.state.buildMs),
    divisions: org.divisions,
    users: org.users.map((u) => ({ id: u.id, name: u.name, email: u.email, kind: u.kind, permissions: u.permissions })),
    queues: org.queues.map((q) => ({ id: q.id, name: q.name, divisionId: q.divisionId, codeIds: q.codeIds, mediaTypes: q.mediaTypes })),
    codes: org.codes,
    conversations: org.conversations.length,
  };
}

/** `GET /__sim/org`. */
export type OrgSummary = ReturnType<typeof orgSummary>;

export interface TruthCounts {
  agentParticipants: number;
  missing: number;
  systemCoded: number;
  coded: number;
  active: number;
}

export interface TruthItem {
  conversationId: string;
  participantId: string;
  communicationId: string;
  queueId: string | null;
  userId: string | null;
  mediaType: MediaType;
  /** False for chat (no write path since SDK v259). */
  writable: boolean;
}

/**
 * Ground truth for the window the app shows: agent participants of conversations that STARTED inside
 * the interval ([start, end)), whatever --interval-semantics makes the sync query return, by wrap-up
 * status, per queue. Conversations added by page drift so far are included.
 */
export function computeTruth(ctx: Ctx, b: Record<string, unknown>): Reply {
  const interval = parseInterval(b.interval, 0);
  if (!interval.ok) return bad(interval.error.message);
  ctx.state.applyDrift(ctx.now);
  const view = b.view ?? 'live';
  if (view !== 'live' && view !== 'analytics') return bad('view must be live or analytics');
  const str = (k: string): string | null => (typeof b[k] === 'string' ? b[k] : null);
  const queueId = str('queueId');
  const mediaType = str('mediaType');
  const direction = str('direction');
  // One user's items: by id, or by email (e.g. "my missing wrap-ups" of a signed-in agent).
  const email = str('email');
  const byEmail = email === null ? undefined : ctx.state.userByEmail(email);
  if (email !== null && !byEmail) return bad(`no user ${email}`, 404);
  const userId = byEmail?.id ?? str('userId');
  // The app's product rule, not the platform's: after-call work pending for less than this is
  // still the agent's (counted active). 0: every pending ACW without a code counts as missing.
  const acwGraceMs = typeof b.acwGraceMs === 'number' && b.acwGraceMs > 0 ? b.acwGraceMs : 0;
  const { state, now } = ctx;
  const empty = (): TruthCounts => ({ agentParticipants: 0, missing: 0, systemCoded: 0, coded: 0, active: 0 });
  const totals = empty();
  const perQueue: Record<string, TruthCounts & { queueName: string }> = {};
  const missing: TruthItem[] = [];
  let conversations = 0;
  for (const c of state.org.conversations) {
    if (c.start < interval.value.start || c.start >= interval.value.end) continue;
    if (mediaType && c.media !== mediaType) continue;
    if (direction && c.direction !== direction) continue;
    let counted = false;
    for (const p of c.participants) {
      if (p.purpose !== 'agent') continue;
      if (queueId && p.queueId !== queueId) continue;
      if (userId && p.userId !== userId) continue;
      const comm = p.comms[p.comms.length - 1];
      if (!comm) continue;
      counted = true;
      const w: SimWrapup | undefined = view === 'live' ? comm.wrapup : visibleWrapup(comm, now, state.options.analyticsLagMs)?.wrapup;
      const qid = p.queueId ?? '(none)';
      const q = (perQueue[qid] ??= { ...empty(), queueName: state.org.queuesById.get(qid)?.name ?? '(none)' });
      for (const t of [totals, q]) t.agentParticipants++;
      if (w) {
        const key = isSystemCode(w.code) ? 'systemCoded' : 'coded';
        totals[key]++;
        q[key]++;
      } else if (
        comm.state !== 'disconnected' ||
        (acwGraceMs > 0 && comm.acwState === 'pending' && comm.acwStart !== undefined && now - comm.acwStart < acwGraceMs)
      ) {
        totals.active++;
        q.active++;
      } else {
        totals.missing++;
        q.missing++;
        missing.push({
          conversationId: c.id,
          participantId: p.id,
          communicationId: comm.id,
          queueId: p.queueId ?? null,
          userId: p.userId ?? null,
          mediaType: c.media,
          writable: c.media !== 'chat',
        });
      }
    }
    if (counted) conversations++;
  }
  // What an unfiltered sync details query returns for the same interval (the day semantics return more).
  const list = state.org.conversations;
  const range = state.options.intervalSemantics === 'day' ? utcDayRange(interval.value) : interval.value;
  const syncQueryConversations = lowerBound(list, range.end) - lowerBound(list, range.start);
  return {
    status: 200,
    json: {
      interval: b.interval,
      view,
      conversations,
      totals,
      perQueue,
      missing,
      ...(userId ? { userId } : {}),
      selection: 'started-inside',
      start: new Date(interval.value.start).toISOString(),
      end: new Date(interval.value.end).toISOString(),
      intervalSemantics: state.options.intervalSemantics,
      syncQueryConversations,
      driftAdded: state.driftAdded,
    },
  };
}

function agentWrapup(ctx: Ctx, b: Record<string, unknown>): Reply {
  const { state, now } = ctx;
  const cid = typeof b.conversationId === 'string' ? b.conversationId : '';
  const pid = typeof b.participantId === 'string' ? b.participantId : '';
  const commId = typeof b.communicationId === 'string' ? b.communicationId : null;
  const code = typeof b.code === 'string' ? b.code : '';
  if (!cid || !pid || !code) return bad('conversationId, participantId and code are required');
  const t = resolveTarget(state.org, null, cid, pid, commId);
  if (!t.ok) return bad(t.error.message, 404);
  const { participant, comm } = t.value;
  if (participant.purpose !== 'agent') return bad('not an agent participant');
  if (!isSystemCode(code) && !allowedCodeIds(state.org, participant).includes(code) && b.force !== true)
    return bad('code is not allowed for this participant (pass force: true to apply anyway)');
  const name = state.org.codesById.get(code)?.name ?? code;
  if (comm.state !== 'disconnected') {
    comm.state = 'disconnected';
    comm.disconnectedTime = now;
    comm.disconnectType = 'client';
    participant.endTime = now;
  }
  const wrapup: SimWrapup = {
    code,
    name,
    endTime: new Date(now).toISOString(),
    durationSeconds: Math.max(0, Math.round((now - (comm.disconnectedTime ?? now)) / 1000)),
  };
  if (typeof b.notes === 'string') wrapup.notes = b.notes;
  applyWrapup(t.value, wrapup, now, state.onWrapupApplied);
  const entry = state.logWrite({
    at: now,
    via: 'agent',
    media: comm.media,
    conversationId: cid,
    participantId: pid,
    communicationId: comm.id,
    code,
    notes: wrapup.notes ?? null,
    userId: participant.userId ?? null,
    userEmail: participant.userId ? (state.org.usersById.get(participant.userId)?.email ?? null) : null,
    outcome: 'applied',
    status: 202,
    errorCode: null,
    responseLost: false,
    fault: null,
  });
  return ok({ ok: true, write: entry });
}

/** The agent participant a control call names ({conversationId, participantId, communicationId?}); a Reply when it does not resolve. */
function agentTarget(
  ctx: Ctx,
  b: Record<string, unknown>,
): { ok: true; conversation: SimConversation; participant: SimParticipant; comm: SimComm } | { ok: false; reply: Reply } {
  const cid = typeof b.conversationId === 'string' ? b.conversationId : '';
  const pid = typeof b.participantId === 'string' ? b.participantId : '';
  const commId = typeof b.communicationId === 'string' ? b.communicationId : null;
  if (!cid || !pid) return { ok: false, reply: bad('conversationId and participantId are required') };
  const t = resolveTarget(ctx.state.org, null, cid, pid, commId);
  if (!t.ok) return { ok: false, reply: bad(t.error.message, 404) };
  if (t.value.participant.purpose !== 'agent') return { ok: false, reply: bad('not an agent participant') };
  return { ok: true, ...t.value };
}

/** End a still-connected communication now (and, when it was the last one, the conversation). */
function endCommunication(conversation: SimConversation, participant: SimParticipant, comm: SimComm, now: number, type: string): void {
  comm.state = 'disconnected';
  comm.disconnectedTime = now;
  comm.disconnectType = type;
  const last = comm.segments[comm.segments.length - 1];
  if (last && last.end === undefined) {
    last.end = now;
    last.disconnectType = type;
  }
  if (participant.comms.every((c) => c.state === 'disconnected')) participant.endTime = now;
  if (conversation.participants.every((p) => p.comms.every((c) => c.state === 'disconnected'))) conversation.end = now;
}

/**
 * `POST /__sim/agent-disconnect`: the interaction of an active agent communication ends now (the
 * customer hangs up: every other connected communication of the conversation ends too); its after-call
 * work starts (pending; time-boxed prompts time out as usual) unless `acw: false`. Fires the user
 * conversation topics.
 */
function agentDisconnect(ctx: Ctx, b: Record<string, unknown>): Reply {
  const t = agentTarget(ctx, b);
  if (!t.ok) return t.reply;
  if (b.acw !== undefined && typeof b.acw !== 'boolean') return bad('acw must be true or false');
  const { conversation, participant, comm } = t;
  const { state, now } = ctx;
  if (comm.state === 'disconnected') return bad(`communication ${comm.id} is already disconnected`, 409);
  endCommunication(conversation, participant, comm, now, 'client');
  for (const p of conversation.participants) for (const c of p.comms) if (c.state !== 'disconnected') endCommunication(conversation, p, c, now, 'peer');
  if (b.acw === false) {
    comm.acwState = 'notApplicable';
  } else {
    comm.acwState = 'pending';
    comm.acwStart = now;
    if (participant.wrapupPrompt === 'timeout' && participant.wrapupTimeoutMs !== undefined) state.trackAcw({ conversation, participant, comm });
  }
  state.conversationChanged(conversation);
  return ok({ ok: true, conversationId: conversation.id, participantId: participant.id, communicationId: comm.id, acwState: comm.acwState });
}

/**
 * `POST /__sim/acw-end`: the agent leaves after-call work WITHOUT a code (`acwState`: `skipped`, the
 * default, or `complete`). A still-connected communication first ends (and its after-call work starts
 * and ends at once). Fires the user conversation topics (no wrap-up detail event: no code was set).
 */
function acwEnd(ctx: Ctx, b: Record<string, unknown>): Reply {
  const t = agentTarget(ctx, b);
  if (!t.ok) return t.reply;
  const target = b.acwState ?? 'skipped';
  if (target !== 'skipped' && target !== 'complete') return bad('acwState must be skipped or complete');
  const { conversation, participant, comm } = t;
  const { state, now } = ctx;
  if (comm.wrapup) return bad(`communication ${comm.id} already has a wrap-up`, 409);
  if (comm.state !== 'disconnected') {
    endCommunication(conversation, participant, comm, now, 'client');
    for (const p of conversation.participants) for (const c of p.comms) if (c.state !== 'disconnected') endCommunication(conversation, p, c, now, 'peer');
    comm.acwStart = now;
  } else if (comm.acwState !== 'pending') {
    return bad(`communication ${comm.id} is not in after-call work (${comm.acwState})`, 409);
  }
  comm.acwState = target;
  comm.acwEnd = now;
  if (target === 'skipped') participant.wrapupSkipped = true;
  state.conversationChanged(conversation);
  return ok({ ok: true, conversationId: conversation.id, participantId: participant.id, communicationId: comm.id, acwState: comm.acwState });
}

/** `POST /__sim/notifications/close`: the platform drops channel sockets (or expires channels). */
function closeNotifications(ctx: Ctx, b: Record<string, unknown>): Reply {
  const { channelId } = b;
  if (channelId !== undefined && typeof channelId !== 'string') return bad('channelId must be a string');
  const flag = (k: string, def: boolean): boolean | null => {
    const v = b[k];
    return v === undefined ? def : typeof v === 'boolean' ? v : null;
  };
  const how = { socketClosing: flag('socketClosing', true), abrupt: flag('abrupt', false), expire: flag('expire', false) };
  const wrong = Object.entries(how).find(([, v]) => v === null);
  if (wrong) return bad(`${wrong[0]} must be true or false`);
  const hub = ctx.state.notifications;
  if (typeof channelId === 'string' && !hub.get(channelId, ctx.now)) return bad(`no channel ${channelId}`, 404);
  const closed = hub.closeSockets(channelId ?? null, { socketClosing: how.socketClosing ?? true, abrupt: how.abrupt ?? false, expire: how.expire ?? false });
  return ok({ ok: true, closed });
}

function requests(ctx: Ctx): Reply {
  const { state } = ctx;
  const only = ctx.query.get('token');
  const windowMs = Number(ctx.query.get('windowMs') ?? 60_000);
  const withEntries = ctx.query.get('entries') !== 'false';
  const tokens = [...state.requestLog.values()]
    .filter((l) => only === null || l.token === only)
    .map((l) => {
      const times = l.entries.map((e) => e.at);
      return {
        token: l.token,
        userId: l.userId,
        userEmail: l.userId ? (state.org.usersById.get(l.userId)?.email ?? null) : null,
        total: l.entries.length,
        maxInWindow: maxInWindow(times, windowMs),
        byStatus: l.entries.reduce<Record<string, number>>((acc, e) => {
          acc[String(e.status)] = (acc[String(e.status)] ?? 0) + 1;
          return acc;
        }, {}),
        ...(withEntries ? { entries: l.entries.map((e) => ({ ...e, time: new Date(e.at).toISOString() })) } : {}),
      };
    });
  return ok({ windowMs, rateLimit: state.options.rateLimit, rateLimitScope: state.options.rateLimitScope, userRateLimit: state.options.userRateLimit, tokens });
}

export interface ControlHooks {
  /** Rebuild the org with new options (reset). */
  reset(options: SimOptions): void;
}

export function controlRoutes(hooks: ControlHooks): Route[] {
  const S = '/__sim';
  return [
    route('POST', `${S}/reset`, (ctx) => {
      const b = body(ctx);
      if (!b.ok) return b.reply;
      return withOptions(() => {
        // From the start-up options, so one test's runtime changes (TTL, faults, auto-login) never leak into the next.
        const next = mergeOptions({ ...ctx.state.startOptions, port: ctx.state.options.port, control: true }, b.value);
        hooks.reset(next);
        return ok({
          ok: true,
          options: publicOptions(ctx.state.options),
          conversations: ctx.state.org.conversations.length,
          buildMs: Math.round(ctx.state.buildMs),
        });
      });
    }),
    route('GET', `${S}/options`, (ctx) => ok(publicOptions(ctx.state.options))),
    route('POST', `${S}/options`, (ctx) => {
      const b = body(ctx);
      if (!b.ok) return b.reply;
      const bad_ = Object.keys(b.value).filter((k) => GENERATION_KEYS.includes(k));
      if (bad_.length > 0) return bad(`${bad_.join(', ')} can only be changed by POST /__sim/reset`);
      return withOptions(() => {
        const next = mergeOptions(ctx.state.options, b.value);
        const faultsChanged = 'faults' in b.value;
        // Conversations due at the old drift rate arrive first; a new rate counts from now.
        ctx.state.applyDrift(ctx.now);
        ctx.state.options = next;
        if (faultsChanged) ctx.state.setFaults(next.faults);
        ctx.state.applyDrift(ctx.now);
        ctx.state.notifications.replan(ctx.now);
        return ok(publicOptions(ctx.state.options));
      });
    }),
    route('GET', `${S}/faults`, (ctx) => ok(ctx.state.options.faults)),
    route('POST', `${S}/faults`, (ctx) => {
      const b = body(ctx);
      if (!b.ok) return b.reply;
      return withOptions(() => {
        ctx.state.setFaults(mergeFaults(ctx.state.options.faults, b.value));
        return ok(ctx.state.options.faults);
      });
    }),
    route('GET', `${S}/writes`, (ctx) => {
      const since = Number(ctx.query.get('since') ?? 0);
      return ok({ writes: ctx.state.writeLog.filter((w) => w.seq > since) });
    }),
    route('DELETE', `${S}/writes`, (ctx) => {
      ctx.state.writeLog = [];
      return ok({ ok: true });
    }),
    route('GET', `${S}/requests`, requests),
    route('DELETE', `${S}/requests`, (ctx) => {
      ctx.state.requestLog.clear();
      return ok({ ok: true });
    }),
    route('POST', `${S}/truth`, (ctx) => {
      const b = body(ctx);
      return b.ok ? computeTruth(ctx, b.value) : b.reply;
    }),
    route('POST', `${S}/agent-wrapup`, (ctx) => {
      const b = body(ctx);
      return b.ok ? agentWrapup(ctx, b.value) : b.reply;
    }),
    route('POST', `${S}/agent-disconnect`, (ctx) => {
      const b = body(ctx);
      return b.ok ? agentDisconnect(ctx, b.value) : b.reply;
    }),
    route('POST', `${S}/acw-end`, (ctx) => {
      const b = body(ctx);
      return b.ok ? acwEnd(ctx, b.value) : b.reply;
    }),
    route('GET', `${S}/chats`, (ctx) => {
      const since = Number(ctx.query.get('since') ?? 0);
      const to = ctx.query.get('to');
      const from = ctx.query.get('from');
      const match = (uid: string, email: string, q: string | null): boolean => q === null || q === uid || q.toLowerCase() === email;
      return ok({ chats: ctx.state.chatLog.filter((c) => c.seq > since && match(c.toUserId, c.toEmail, to) && match(c.fromUserId, c.fromEmail, from)) });
    }),
    route('DELETE', `${S}/chats`, (ctx) => {
      ctx.state.chatLog = [];
      return ok({ ok: true });
    }),
    route('POST', `${S}/tokens`, (ctx) => {
      const b = body(ctx);
      if (!b.ok) return b.reply;
      const email = typeof b.value.email === 'string' ? b.value.email : '';
      const u = ctx.state.userByEmail(email);
      if (!u) return bad(`no user ${email}`, 404);
      const ttl = b.value.ttlSeconds;
      if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1)) return bad('ttlSeconds must be a positive integer');
      const clientId = typeof b.value.clientId === 'string' ? b.value.clientId : 'wrapup-desk-demo';
      const tok = ctx.state.mintToken(u, clientId, 'control', ctx.now, typeof ttl === 'number' ? { ttlSeconds: ttl } : {});
      return ok({ access_token: tok.token, token_type: 'bearer', expires_in: Math.round((tok.expiresAt - tok.issuedAt) / 1000), userId: u.id, email: u.email });
    }),
    route('POST', `${S}/revoke`, (ctx) => {
      const b = body(ctx);
      if (!b.ok) return b.reply;
      let n = 0;
      const email = typeof b.value.email === 'string' ? b.value.email : null;
      const token = typeof b.value.token === 'string' ? b.value.token : null;
      const u = email ? ctx.state.userByEmail(email) : undefined;
      for (const t of ctx.state.tokens.values()) {
        if ((token && t.token === token) || (u && t.userId === u.id) || (!token && !email)) {
          if (ctx.state.revokeToken(t)) n++;
        }
      }
      return ok({ ok: true, revoked: n });
    }),
    route('GET', `${S}/notifications`, (ctx) => ok(ctx.state.notifications.summary(ctx.now))),
    route('POST', `${S}/notifications/close`, (ctx) => {
      const b = body(ctx);
      return b.ok ? closeNotifications(ctx, b.value) : b.reply;
    }),
    route('GET', `${S}/org`, (ctx) => ok(orgSummary(ctx))),
    route('GET', `${S}/conversations/{conversationId}`, (ctx) => {
      const c = ctx.state.org.conversationsById.get(ctx.params.conversationId ?? '');
      if (!c) return bad('not found', 404);
      const t = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
      return ok({
        id: c.id,
        media: c.media,
        direction: c.direction,
        start: new Date(c.start).toISOString(),
        end: t(c.end),
        participants: c.participants.map((p) => ({
          id: p.id,
          purpose: p.purpose,
          userId: p.userId ?? null,
          queueId: p.queueId ?? null,
          situation: p.situation ?? null,
          comms: p.comms.map((cm) => ({
            id: cm.id,
            state: cm.state,
            disconnectedTime: t(cm.disconnectedTime),
            acwState: cm.acwState,
            acwStart: t(cm.acwStart),
            acwEnd: t(cm.acwEnd),
            wrapup: cm.wrapup ?? null,
          })),
        })),
      });
    }),
  ];
}
