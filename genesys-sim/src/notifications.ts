/**
 * The platform's Notifications API: channels, topic subscriptions, the channel WebSocket
 * (`ws://<host>/channels/{id}`) and the wrap-up detail events sent when a wrap-up is set.
 * Rules and confidence are listed in genesys-sim/README.md.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Models } from 'purecloud-platform-client-v2';
import { badRequest, errorBody, missingPermissions, notFound, type ApiError } from './errors.ts';
import { isRecord, parseJson, route, type Ctx, type Reply, type Route } from './http.ts';
import { CONVERSATION_VIEW_PERMISSION, mediaPathOf, type MediaPath, type SimConversation, type SimUser, type SimWrapup } from './model.ts';
import { renderConversationEvent, renderMediaConversationEvent } from './render.ts';
import type { Target } from './rules.ts';
import type { SimState, TokenRecord } from './state.ts';
import { CLOSE_CODE, WsConnection, acceptUpgrade, refuseUpgrade } from './websocket.ts';

export const CHANNEL_TTL_MS = 24 * 3_600_000;
/** Channels per user and OAuth client; creating one more removes one (SDK doc of postNotificationsChannels). */
export const MAX_CHANNELS = 20;
export const MAX_TOPICS = 1000;
/** Permission a token needs to subscribe to conversation detail event topics (a guess, see README). */
export const DETAIL_TOPIC_PERMISSION = 'analytics:conversationDetail:view';
const WRAPUP_TOPIC = /^v2\.detail\.events\.conversation\.[A-Za-z0-9-]+\.wrapup$/;
/** `v2.users.{id}.conversations` and its per-media topics. */
const USER_TOPIC = /^v2\.users\.([A-Za-z0-9-]+)\.conversations(?:\.(calls|callbacks|emails|messages))?$/;
/** Subscribing to ANOTHER user's conversation topics needs this (one's own needs none; a guess, see README rule 35a). */
export const USER_TOPIC_PERMISSION = CONVERSATION_VIEW_PERMISSION;

export const wrapupTopic = (conversationId: string): string => `v2.detail.events.conversation.${conversationId}.wrapup`;
/** `v2.users.{userId}.conversations`, or its per-media topic `….conversations.{calls|callbacks|emails|messages}`. */
export const userConversationsTopic = (userId: string, media?: MediaPath): string => `v2.users.${userId}.conversations${media ? `.${media}` : ''}`;

/** The topics the sim serves, as `GET /api/v2/notifications/availabletopics` lists them. */
interface TopicDef {
  id: string;
  description: string;
  requiresPermissions: string[];
  requiresCurrentUserOrPermission: boolean;
}
export const TOPIC_CATALOG: readonly TopicDef[] = [
  {
    id: 'v2.detail.events.conversation.{id}.wrapup',
    description: 'Wrap-up detail events of one conversation (a wrap-up was set on one of its communications).',
    requiresPermissions: [DETAIL_TOPIC_PERMISSION],
    requiresCurrentUserOrPermission: false,
  },
  {
    id: 'v2.users.{id}.conversations',
    description: "The user's conversations: the whole conversation whenever it changes, every communication with its id, wrap-up and after-call work.",
    requiresPermissions: [USER_TOPIC_PERMISSION],
    requiresCurrentUserOrPermission: true,
  },
  ...(['calls', 'callbacks', 'emails', 'messages'] as const).map((m) => ({
    id: `v2.users.{id}.conversations.${m}`,
    description: `The user's ${m} conversations (media participants: wrap-up, wrapupRequired, startAcwTime/endAcwTime; no communication ids).`,
    requiresPermissions: [USER_TOPIC_PERMISSION],
    requiresCurrentUserOrPermission: true,
  })),
];

interface ChannelSocket {
  conn: WsConnection;
  heartbeat: NodeJS.Timeout | null;
  /** This socket was sent v2.system.socket_closing for the channel's coming end. */
  closingSent: boolean;
}

/** Longest setTimeout delay Node honours; longer waits are done in steps. */
const MAX_TIMER_MS = 2_147_483_647;

interface SimChannel {
  id: string;
  userId: string;
  clientId: string;
  /** The access token that created it (GET /channels lists per token by default). */
  token: string;
  connectUri: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  /** Insertion-ordered. */
  topics: Set<string>;
  socket: ChannelSocket | null;
  eventsSent: number;
  /** Not delivered because of notificationDropRate. */
  eventsDropped: number;
  /** Not delivered because no socket was connected when the event was due. */
  eventsLost: number;
  /** Not sent because the write was by another user than the participant's agent (wrapupEvents: agent-only). */
  eventsSuppressed: number;
  /** Timer of the next step of the channel's end (socket_closing, then the end). */
  lifeTimer: NodeJS.Timeout | null;
}

export interface ChannelSummary {
  id: string;
  userId: string;
  userEmail: string | null;
  clientId: string;
  topics: number;
  connected: boolean;
  eventsSent: number;
  eventsDropped: number;
  eventsLost: number;
  eventsSuppressed: number;
  expires: string;
  /** When the channel ends: its 24 h expiry or the end of the token that made it, whichever is first. */
  endsAt: string;
  /** When v2.system.socket_closing is (or was) sent: endsAt - socketClosingLeadMs. */
  closingAt: string;
}

/** `GET /__sim/notifications`. */
export interface NotificationsSummary {
  channels: ChannelSummary[];
}

/** What a socket close request from the control API does. */
export interface CloseRequest {
  /** Send `v2.system.socket_closing` before the close frame (default true). */
  socketClosing?: boolean;
  /** Destroy the TCP connection without any frame (a network failure). */
  abrupt?: boolean;
  /** Also remove the channel, as its 24 h expiry does (reconnecting then gets 404). */
  expire?: boolean;
}

const metadata = (message: string): string => JSON.stringify({ topicName: 'channel.metadata', eventBody: { message } });
const socketClosing = (message: string): string => JSON.stringify({ topicName: 'v2.system.socket_closing', eventBody: { message } });

export class NotificationHub {
  private readonly channels = new Map<string, SimChannel>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly state: SimState) {}

  // --- channels ---------------------------------------------------------------------------------

  create(user: SimUser, token: TokenRecord, host: string, now: number): SimChannel {
    const mine = [...this.channels.values()].filter((c) => c.userId === user.id && c.clientId === token.clientId);
    if (mine.length >= MAX_CHANNELS) {
      // "Creating a 21st channel will remove the channel with oldest last used date. Channels without an active connection will be removed first."
      const victim = mine.sort((a, b) => Number(a.socket !== null) - Number(b.socket !== null) || a.lastUsedAt - b.lastUsedAt)[0];
      if (victim) this.remove(victim, 'Channel removed: the channel limit was reached', false);
    }
    const id = randomUUID();
    const channel: SimChannel = {
      id,
      userId: user.id,
      clientId: token.clientId,
      token: token.token,
      connectUri: `ws://${host}/channels/${id}`,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + CHANNEL_TTL_MS,
      topics: new Set(),
      socket: null,
      eventsSent: 0,
      eventsDropped: 0,
      eventsLost: 0,
      eventsSuppressed: 0,
      lifeTimer: null,
    };
    this.channels.set(id, channel);
    this.scheduleEnd(channel, now);
    return channel;
  }

  /** Resubscribing extends the channel's 24 h lifetime (§8 row 12). */
  extend(c: SimChannel, now: number): void {
    c.expiresAt = now + CHANNEL_TTL_MS;
    this.scheduleEnd(c, now);
  }

  /** The channel's end: its expiry, or the end of its token if that comes first (a revoked token: now). */
  private endOf(c: SimChannel): { at: number; reason: string } {
    const tok = this.state.tokens.get(c.token);
    if (!tok || tok.revoked) return { at: Number.NEGATIVE_INFINITY, reason: 'The access token was revoked' };
    return tok.expiresAt < c.expiresAt ? { at: tok.expiresAt, reason: 'The access token has expired' } : { at: c.expiresAt, reason: 'The channel has expired' };
  }

  /**
   * Plan the channel's end: `v2.system.socket_closing` to its socket socketClosingLeadMs before,
   * then (at the end) socket_closing again if the socket connected since, a close frame, and the
   * channel is removed. Re-planned on extension; steps are re-checked when they fire.
   */
  private scheduleEnd(c: SimChannel, now: number): void {
    if (c.lifeTimer) this.clear(c.lifeTimer);
    c.lifeTimer = null;
    if (this.channels.get(c.id) !== c) return;
    const end = this.endOf(c);
    if (end.at <= now) {
      this.remove(c, end.reason, true);
      return;
    }
    const warnAt = end.at - this.state.options.socketClosingLeadMs;
    const socket = c.socket;
    if (warnAt <= now && socket && !socket.closingSent && socket.conn.open) {
      socket.closingSent = true;
      socket.conn.sendText(
        socketClosing(
          `This connection will be closed at ${new Date(end.at).toISOString()}: ${end.reason === 'The channel has expired' ? 'the channel expires' : 'the access token expires'}`,
        ),
      );
    }
    const next = warnAt > now ? warnAt : end.at;
    c.lifeTimer = this.later(Math.min(MAX_TIMER_MS, Math.max(0, next - now)), () => {
      c.lifeTimer = null;
      this.scheduleEnd(c, this.state.clock.now());
    });
  }

  /** Options changed (socketClosingLeadMs): re-plan every channel's end. */
  replan(now: number): void {
    for (const c of [...this.channels.values()]) this.scheduleEnd(c, now);
  }

  /** A token was revoked: every channel it made ends now (socket_closing, then close). */
  tokenEnded(token: string, reason: string): void {
    for (const c of [...this.channels.values()]) if (c.token === token) this.remove(c, reason, true);
  }

  /** A live channel, optionally only if it belongs to userId. */
  get(id: string, now: number, userId?: string): SimChannel | undefined {
    const c = this.channels.get(id);
    if (!c) return undefined;
    const end = this.endOf(c);
    if (end.at <= now) {
      this.remove(c, end.reason, true);
      return undefined;
    }
    return userId === undefined || c.userId === userId ? c : undefined;
  }

  list(now: number): SimChannel[] {
    return [...this.channels.values()].filter((c) => this.get(c.id, now) !== undefined);
  }

  private remove(c: SimChannel, reason: string, withSocketClosing: boolean): void {
    if (this.channels.get(c.id) !== c) return;
    this.channels.delete(c.id);
    if (c.lifeTimer) this.clear(c.lifeTimer);
    c.lifeTimer = null;
    // A socket already warned (socket_closing lead) gets only the close frame.
    this.closeSocket(c, { socketClosing: withSocketClosing && c.socket?.closingSent !== true }, reason);
  }

  // --- WebSocket --------------------------------------------------------------------------------

  /** `GET /channels/{id}` with `Upgrade: websocket` (the channel id is the only credential). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const now = this.state.clock.now();
    const refuse = (e: ApiError, headers: Record<string, string> = {}): void => refuseUpgrade(socket, e.status, errorBody(e), headers);
    const m = /^\/channels\/([^/?]+)$/.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (this.closed || !m?.[1] || !this.state.options.notifications) return refuse(notFound());
    let id: string;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      return refuse(notFound());
    }
    const channel = this.get(id, now);
    if (!channel) return refuse(notFound(`Channel ${id} not found`));
    // The platform speaks version 13 only (ws would also take 8).
    if (req.headers['sec-websocket-version'] !== '13')
      return refuse({ status: 426, code: 'upgrade.required', message: 'Sec-WebSocket-Version 13 is required.' }, { 'Sec-WebSocket-Version': '13' });
    acceptUpgrade(req, socket, head, (ws) => {
      // One socket per channel: a new connection replaces the old one.
      this.closeSocket(channel, { socketClosing: false }, 'Replaced by a newer connection to this channel');
      const record: ChannelSocket = {
        conn: new WsConnection(ws, socket, {
          onText: (text) => this.clientText(channel, record, text),
          onClose: () => {
            if (record.heartbeat) this.clear(record.heartbeat);
            record.heartbeat = null;
            if (channel.socket === record) channel.socket = null;
          },
        }),
        heartbeat: null,
        closingSent: false,
      };
      channel.socket = record;
      channel.lastUsedAt = now;
      this.scheduleHeartbeat(channel, record);
      // Connected inside the socket_closing lead: warned at once.
      this.scheduleEnd(channel, now);
    });
  }

  private clientText(channel: SimChannel, record: ChannelSocket, text: string): void {
    channel.lastUsedAt = this.state.clock.now();
    const parsed = parseJson(text);
    if (parsed.ok && isRecord(parsed.value) && parsed.value.message === 'ping') record.conn.sendText(metadata('pong'));
  }

  private scheduleHeartbeat(channel: SimChannel, record: ChannelSocket): void {
    const ms = this.state.options.notificationHeartbeatMs;
    // With heartbeats off, look again every second in case the option changes.
    record.heartbeat = this.later(ms > 0 ? ms : 1000, () => {
      record.heartbeat = null;
      if (channel.socket !== record || !record.conn.open) return;
      if (ms > 0) record.conn.sendText(metadata('WebSocket Heartbeat'));
      this.scheduleHeartbeat(channel, record);
    });
  }

  private closeSocket(channel: SimChannel, how: CloseRequest, message: string, force = false): boolean {
    const record = channel.socket;
    if (!record) return false;
    channel.socket = null;
    if (record.heartbeat) this.clear(record.heartbeat);
    record.heartbeat = null;
    if (how.abrupt) {
      record.conn.terminate();
      return true;
    }
    if (how.socketClosing !== false) record.conn.sendText(socketClosing(message));
    record.conn.close(force ? CLOSE_CODE.goingAway : CLOSE_CODE.normal, message, force);
    return true;
  }

  /** Control API: close the socket of one channel (or of all). Returns how many sockets were closed (or channels expired). */
  closeSockets(channelId: string | null, how: CloseRequest): number {
    let n = 0;
    for (const c of [...this.channels.values()]) {
      if (channelId !== null && c.id !== channelId) continue;
      if (how.expire) {
        this.remove(c, 'The channel has expired', how.socketClosing !== false);
        n++;
      } else if (this.closeSocket(c, how, 'The notification service is closing this connection')) n++;
    }
    return n;
  }

  // --- events -----------------------------------------------------------------------------------

  /** Called by applyWrapup (through SimState) whenever a communication's wrap-up is set. */
  publishWrapup(target: Target, wrapup: SimWrapup, at: number, by?: string): void {
    const { options, notificationRng } = this.state;
    if (!options.notifications || this.channels.size === 0) return;
    const topic = wrapupTopic(target.conversation.id);
    // wrapupEvents agent-only: a write by anyone but the participant's agent fires nothing (§8 row 9, [L]).
    const suppressed = options.wrapupEvents === 'agent-only' && by !== undefined && by !== target.participant.userId;
    let message: string | null = null;
    for (const c of this.channels.values()) {
      if (!c.topics.has(topic)) continue;
      if (suppressed) {
        c.eventsSuppressed++;
        continue;
      }
      if (notificationRng.next() < options.notificationDropRate) {
        c.eventsDropped++;
        continue;
      }
      message ??= JSON.stringify({ topicName: topic, version: '2', eventBody: wrapupEvent(target, wrapup, at), metadata: { CorrelationId: randomUUID() } });
      this.send(c, message);
    }
  }

  /**
   * A conversation changed (ended, after-call work started or left, a wrap-up set): every channel
   * subscribed to `v2.users.{id}.conversations` (or its per-media topic) of a user who is one of its
   * participants gets the conversation as it is now. Not subject to `wrapupEvents`.
   */
  publishConversation(conversation: SimConversation): void {
    const { options, notificationRng, org } = this.state;
    if (!options.notifications || this.channels.size === 0) return;
    const media = mediaPathOf[conversation.media];
    const userIds = [...new Set(conversation.participants.flatMap((p) => (p.userId ? [p.userId] : [])))];
    let whole: unknown;
    let perMedia: unknown;
    const texts = new Map<string, string>();
    const textFor = (topic: string, isMedia: boolean): string => {
      let text = texts.get(topic);
      if (text === undefined) {
        const eventBody = isMedia ? (perMedia ??= renderMediaConversationEvent(org, conversation)) : (whole ??= renderConversationEvent(conversation));
        text = JSON.stringify({ topicName: topic, version: '2', eventBody, metadata: { CorrelationId: randomUUID() } });
        texts.set(topic, text);
      }
      return text;
    };
    for (const userId of userIds) {
      const topics: Array<[string, boolean]> = [[userConversationsTopic(userId), false]];
      if (media) topics.push([userConversationsTopic(userId, media), true]);
      for (const [topic, isMedia] of topics) {
        for (const c of this.channels.values()) {
          if (!c.topics.has(topic)) continue;
          if (notificationRng.next() < options.notificationDropRate) {
            c.eventsDropped++;
            continue;
          }
          this.send(c, textFor(topic, isMedia));
        }
      }
    }
  }

  /** Send an event after notificationDelayMs (lost if the channel has no socket then). */
  private send(c: SimChannel, text: string): void {
    this.later(this.state.options.notificationDelayMs, () => {
      if (this.channels.get(c.id) !== c) return;
      if (c.socket?.conn.sendText(text)) c.eventsSent++;
      else c.eventsLost++;
    });
  }

  // --- control, reset, shutdown -----------------------------------------------------------------

  summary(now: number): NotificationsSummary {
    return {
      channels: this.list(now).map((c) => ({
        id: c.id,
        userId: c.userId,
        userEmail: this.state.org.usersById.get(c.userId)?.email ?? null,
        clientId: c.clientId,
        topics: c.topics.size,
        connected: c.socket !== null,
        eventsSent: c.eventsSent,
        eventsDropped: c.eventsDropped,
        eventsLost: c.eventsLost,
        eventsSuppressed: c.eventsSuppressed,
        expires: new Date(c.expiresAt).toISOString(),
        ...this.endTimes(c),
      })),
    };
  }

  private endTimes(c: SimChannel): { endsAt: string; closingAt: string } {
    const at = this.endOf(c).at;
    const safe = (t: number): string => new Date(Number.isFinite(t) ? t : 0).toISOString();
    return { endsAt: safe(at), closingAt: safe(at - this.state.options.socketClosingLeadMs) };
  }

  /** Forget every channel (org reset); open sockets get a close frame. */
  reset(force = false): void {
    for (const c of this.channels.values())
      this.closeSocket(c, { socketClosing: false }, force ? 'Server shutting down' : 'The simulated org was reset', force);
    this.channels.clear();
    for (const t of this.timers) this.state.clock.clearTimeout(t);
    this.timers.clear();
  }

  /** Server close: end every socket, clear every timer, refuse further upgrades. */
  shutdown(): void {
    this.closed = true;
    this.reset(true);
  }

  /** On the state's clock (virtual in in-process tests); the handle is opaque, only passed back to `clear`. */
  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = this.state.clock.setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms) as NodeJS.Timeout;
    this.timers.add(t);
    return t;
  }

  private clear(t: NodeJS.Timeout): void {
    this.state.clock.clearTimeout(t);
    this.timers.delete(t);
  }
}

/** eventBody of `v2.detail.events.conversation.{id}.wrapup` (no userId: the model has none). */
export function wrapupEvent(target: Target, wrapup: SimWrapup, at: number): Models.WrapupDetailEventTopicWrapupEvent {
  const { conversation, participant, comm } = target;
  return {
    eventTime: at,
    conversationId: conversation.id,
    participantId: participant.id,
    sessionId: comm.id,
    mediaType: comm.media,
    provider: 'PureCloud',
    direction: comm.direction,
    ...(participant.queueId ? { queueId: participant.queueId } : {}),
    wrapupCode: wrapup.code,
    ...(wrapup.notes !== undefined ? { wrapupNotes: wrapup.notes } : {}),
    ...(wrapup.durationSeconds !== undefined ? { wrapupDurationMs: wrapup.durationSeconds * 1000 } : {}),
  };
}

// --- REST (/api/v2/notifications) ---------------------------------------------------------------

const ok = (json: unknown, status = 200): Reply => ({ status, json });
const fail = (e: ApiError): Reply => ({ status: e.status, apiError: e });

function auth(ctx: Ctx): NonNullable<Ctx['auth']> {
  if (!ctx.auth) throw new Error('route needs auth');
  return ctx.auth;
}

/** Host for connectUri: the Host header the request came in on, else the server's own address. */
function hostOf(ctx: Ctx): string {
  const h = ctx.req.headers.host;
  if (typeof h === 'string' && /^[A-Za-z0-9.:[\]-]+$/.test(h)) return h;
  return `127.0.0.1:${ctx.req.socket.localPort ?? ctx.state.options.port}`;
}

const renderChannel = (c: SimChannel): Models.Channel => ({ connectUri: c.connectUri, id: c.id, expires: new Date(c.expiresAt).toISOString() });

function withChannel(ctx: Ctx, fn: (c: SimChannel) => Reply): Reply {
  if (!ctx.state.options.notifications) return fail(notFound());
  const id = ctx.params.channelId ?? '';
  const c = ctx.state.notifications.get(id, ctx.now, auth(ctx).user.id);
  if (!c) return fail(notFound(`Channel ${id} not found`));
  c.lastUsedAt = ctx.now;
  return fn(c);
}

const permitted = (id: string): Models.ChannelTopic => ({ id, state: 'Permitted' });
const listTopics = (c: SimChannel, extra: Models.ChannelTopic[] = []): Models.ChannelTopicEntityListing => ({
  entities: [...[...c.topics].map(permitted), ...extra],
});

/** Parse a `[{id: topic}, ...]` body into distinct topic names. */
function parseTopics(ctx: Ctx): { ok: true; topics: string[] } | { ok: false; error: ApiError } {
  const parsed = parseJson(ctx.bodyText);
  if (!parsed.ok || !Array.isArray(parsed.value)) {
    return { ok: false, error: badRequest('The request body must be a JSON array of topics, e.g. [{"id": "v2.detail.events.conversation.{id}.wrapup"}].') };
  }
  const topics = new Set<string>();
  for (const [i, entry] of parsed.value.entries()) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || entry.id === '') {
      return { ok: false, error: { ...badRequest(`Topic ${i} has no id.`), details: [{ fieldName: `[${i}].id`, errorCode: 'required' }] } };
    }
    if (!WRAPUP_TOPIC.test(entry.id) && !USER_TOPIC.test(entry.id)) {
      return {
        ok: false,
        error: {
          ...badRequest(
            `Topic ${entry.id} is not a valid topic. Supported: v2.detail.events.conversation.{conversationId}.wrapup, v2.users.{userId}.conversations and v2.users.{userId}.conversations.{calls|callbacks|emails|messages}.`,
            { topic: entry.id },
          ),
          details: [{ fieldName: `[${i}].id`, errorCode: 'invalid.topic' }],
        },
      };
    }
    topics.add(entry.id);
  }
  return { ok: true, topics: [...topics] };
}

/** Whether the user may subscribe to a (valid) topic: its own conversation topics need nothing; the others need their permission. */
function topicVerdict(topic: string, user: SimUser): Models.ChannelTopic | null {
  const m = USER_TOPIC.exec(topic);
  if (m) {
    if (m[1] === user.id || user.permissions.includes(USER_TOPIC_PERMISSION)) return null;
    return {
      id: topic,
      state: 'Rejected',
      rejectionReason: `Subscribing to another user's conversations requires ${USER_TOPIC_PERMISSION}: ${topic}`,
      missingPermissions: [USER_TOPIC_PERMISSION],
    };
  }
  if (user.permissions.includes(DETAIL_TOPIC_PERMISSION)) return null;
  return { id: topic, state: 'Rejected', rejectionReason: `Missing permission(s) for topic ${topic}`, missingPermissions: [DETAIL_TOPIC_PERMISSION] };
}

/** PUT (replace) and POST (add) subscriptions. */
function subscribe(replace: boolean) {
  return (ctx: Ctx): Reply =>
    withChannel(ctx, (c) => {
      const parsed = parseTopics(ctx);
      if (!parsed.ok) return fail(parsed.error);
      const next = new Set(replace ? parsed.topics : [...c.topics, ...parsed.topics]);
      if (next.size > MAX_TOPICS) {
        return fail(
          badRequest(`A channel can subscribe to at most ${MAX_TOPICS} topics; this request would make it ${next.size}.`, { max: String(MAX_TOPICS) }),
        );
      }
      const me = auth(ctx).user;
      const rejected = parsed.topics.flatMap((id) => topicVerdict(id, me) ?? []);
      if (rejected.length > 0) {
        if (ctx.query.get('ignoreErrors') !== 'true') return fail(missingPermissions([...new Set(rejected.flatMap((r) => r.missingPermissions ?? []))]));
        for (const r of rejected) next.delete(r.id ?? '');
      }
      c.topics = next;
      ctx.state.notifications.extend(c, ctx.now);
      return ok(listTopics(c, rejected));
    });
}

function channelsGet(ctx: Ctx): Reply {
  if (!ctx.state.options.notifications) return fail(notFound());
  const include = (ctx.query.get('includechannels') ?? 'token').toLowerCase();
  if (include !== 'token' && include !== 'oauthclient') return fail(badRequest(`Invalid includechannels ${include}; use token or oauthclient.`));
  const { token, user } = auth(ctx);
  const entities: Models.Channel[] = ctx.state.notifications
    .list(ctx.now)
    .filter((c) => c.userId === user.id && (c.token === token.token || (include === 'oauthclient' && c.clientId === token.clientId)))
    // Channels of other tokens are shown to prove they exist, without their ids.
    .map((c) => (c.token === token.token ? renderChannel(c) : { expires: new Date(c.expiresAt).toISOString() }));
  const body: Models.ChannelEntityListing = { entities };
  return ok(body);
}

function channelCreate(ctx: Ctx): Reply {
  if (!ctx.state.options.notifications) return fail(notFound());
  const { user, token } = auth(ctx);
  const body: Models.Channel = renderChannel(ctx.state.notifications.create(user, token, hostOf(ctx), ctx.now));
  return ok(body);
}

/** `expand` values of getNotificationsAvailabletopics (SDK docs). */
const TOPIC_EXPAND = new Set([
  'description',
  'enforced',
  'schema',
  'visibility',
  'transports',
  'publicApiTemplateUriPaths',
  'requiresPermissions',
  'permissionDetails',
  'topicParameters',
]);

/** GET /notifications/availabletopics: the topics the sim serves (no permission needed). */
function availableTopics(ctx: Ctx): Reply {
  if (!ctx.state.options.notifications) return fail(notFound());
  const expand = new Set(
    ctx.query
      .getAll('expand')
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );
  const unknown = [...expand].filter((e) => !TOPIC_EXPAND.has(e));
  if (unknown.length > 0) return fail(badRequest(`Invalid expand value(s): ${unknown.join(', ')}.`));
  const entities: Models.AvailableTopic[] = TOPIC_CATALOG.map((t) => ({
    id: t.id,
    requiresCurrentUser: false,
    requiresCurrentUserOrPermission: t.requiresCurrentUserOrPermission,
    requiresDivisionPermissions: false,
    ...(expand.has('description') ? { description: t.description } : {}),
    ...(expand.has('requiresPermissions') ? { requiresPermissions: [...t.requiresPermissions] } : {}),
    ...(expand.has('transports') ? { transports: ['Websocket'] } : {}),
    ...(expand.has('topicParameters') ? { topicParameters: ['id'] } : {}),
    ...(expand.has('visibility') ? { visibility: 'Public' } : {}),
    ...(expand.has('enforced') ? { enforced: true } : {}),
  }));
  const body: Models.AvailableTopicEntityListing = { entities };
  return ok(body);
}

export function notificationRoutes(): Route[] {
  const N = '/api/v2/notifications/channels';
  return [
    route('GET', '/api/v2/notifications/availabletopics', availableTopics),
    route('POST', N, channelCreate),
    route('GET', N, channelsGet),
    route('HEAD', `${N}/{channelId}`, (ctx) => withChannel(ctx, () => ({ status: 200 }))),
    route('GET', `${N}/{channelId}/subscriptions`, (ctx) => withChannel(ctx, (c) => ok(listTopics(c)))),
    route('PUT', `${N}/{channelId}/subscriptions`, subscribe(true)),
    route('POST', `${N}/{channelId}/subscriptions`, subscribe(false)),
    route('DELETE', `${N}/{channelId}/subscriptions`, (ctx) =>
      withChannel(ctx, (c) => {
        c.topics = new Set();
        return { status: 204 };
      }),
    ),
  ];
}
