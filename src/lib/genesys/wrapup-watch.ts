/**
 * A wrap-up watch over the platform's Notifications API (the browser side of the streaming
 * channel): a bulk job learns at once when an agent codes a conversation it is about to write.
 *
 * How it works (Genesys Cloud Notifications; mirrored by the simulated org):
 * - `POST /api/v2/notifications/channels` → `{id, connectUri, expires}`; the socket at `connectUri`
 *   (`wss://streaming.<region host>/channels/<id>`) carries JSON text messages
 *   `{topicName, version, eventBody}`. Channels expire after 24 h; 1,000 topics per channel.
 * - `PUT .../channels/{id}/subscriptions` with `[{id: topic}]` replaces the topic list and answers
 *   each topic's verdict ('Permitted' | 'Rejected'); 404 when the channel is gone.
 * - Topic per conversation: `v2.detail.events.conversation.<id>.wrapup`, body
 *   `WrapupDetailEventTopicWrapupEvent` (`sessionId` is the communication id, `wrapupCode` the code id).
 * - The platform sends a heartbeat every 30 s, answers `{"message":"ping"}` with a pong, and
 *   sends `v2.system.socket_closing` before it closes the socket.
 *
 * - Other topics ride on the same channel (`follow`): the agent's own `v2.users.{id}.conversations`
 *   for "My missing wrap-ups". Their messages go to `onEvent` listeners as they came; coverage
 *   (below) is about the wrap-up topics only.
 *
 * Coverage is what callers rely on: a conversation is covered from the moment the PUT that
 * confirmed its topic returned while the socket was open, and only as long as that same socket
 * stays open and healthy. Any break resets everything; the caller then falls back to its own
 * re-checks until coverage is back.
 *
 * Nothing here logs (the channel id in `connectUri` lets anyone open the socket; the e2e suite
 * also fails on console output). REST calls go through api.ts, hence the shared rate limiter.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { createNotificationChannel, putChannelSubscriptions } from './api.ts';
import { backoffMs as defaultBackoffMs } from './http-client.ts';
import { loadedClient } from './client-loader.ts';

export interface WrapupEvent {
  conversationId: string;
  /** '' when the event does not say (every field of the platform's event body is optional). */
  participantId: string;
  /** The event's `sessionId` [M: = the communication id]; '' when the event does not say. */
  communicationId: string;
  /** '' when the event does not say. */
  code: string;
  notes?: string;
  eventTime: number;
  receivedAt: number;
}

export type WatchStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'unavailable';

/** One message on a followed topic (see `follow`), as the platform sent it. */
export interface TopicEvent {
  topicName: string;
  eventBody: unknown;
  receivedAt: number;
}

export interface WrapupWatch {
  /** The conversations to watch (replaces the previous set). At most MAX_WATCHED (900) — extra ids are ignored, the caller keeps the set small. */
  watch(conversationIds: Iterable<string>): void;
  /** ms timestamp (the injected clock, default Date.now) since when this conversation's topic has been confirmed 'Permitted' by the platform AND the socket has been open and healthy without a break; null when not covered. Any socket close, heartbeat timeout, socket_closing, or a later re-subscribe that drops the topic resets it. */
  coveredSince(conversationId: string): number | null;
  onWrapup(listener: (e: WrapupEvent) => void): () => void;
  /**
   * Other topics on the same channel (e.g. the signed-in user's `v2.users.{id}.conversations`):
   * replaces that set (at most MAX_FOLLOWED). They go out with the watched conversations' topics in
   * the same PUT, so one channel serves both.
   */
  follow(topics: Iterable<string>): void;
  /** Every message on a followed topic. */
  onEvent(listener: (e: TopicEvent) => void): () => void;
  /** The platform's verdict on a followed topic after the last PUT: 'Permitted', a rejection reason, or null (not answered yet). */
  followVerdict(topic: string): string | null;
  onStatus(listener: (s: WatchStatus) => void): () => void;
  status(): WatchStatus;
  close(): void;
}

/** Below the platform's 1,000 topics per channel, with room to spare. */
export const MAX_WATCHED = 900;
/** Followed topics besides the watched conversations (900 + 50 stays under the 1,000 per channel). */
export const MAX_FOLLOWED = 50;
/** Topic names are sent as given: letters, digits, dots, hyphens and underscores only. */
const TOPIC_NAME = /^v2\.[A-Za-z0-9._-]{1,250}$/;

/** The part of the browser's WebSocket the watch uses (a fake in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WrapupWatchDeps {
  createChannel: () => Promise<Models.Channel>;
  /** Replaces the channel's topics; resolves with the platform's verdict per topic. */
  putSubscriptions: (channelId: string, topics: string[]) => Promise<Models.ChannelTopic[]>;
  /** Default: `globalThis.WebSocket`, looked up when a socket is opened. */
  WebSocket: WebSocketConstructor | undefined;
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** No message of any kind for this long: the socket counts as dead and is reopened. */
  heartbeatTimeoutMs: number;
  /**
   * Coverage holds only while the socket was heard from this recently: a half-open socket (sleep,
   * NAT timeout, network switch) delivers nothing and closes only at `heartbeatTimeoutMs`. Default
   * 10 s, the same bound as an observation without notifications (the runner's `maxStaleMs`).
   */
  freshMs: number;
  /** While conversations are watched, a ping goes out after this long without a message (the platform answers with a pong). */
  pingEveryMs: number;
  /** Changes to the watched set within this long go out as one PUT. */
  debounceMs: number;
  /** Wait before reconnect attempt n (1-based). Default: 1 s doubling to 60 s, up to +50% jitter. */
  backoffMs: (attempt: number) => number;
  random: () => number;
  /**
   * Changes whenever the access token does. A channel ends with the token that made it
   * (docs/genesys-platform.md §8 row 12): after signing in again the watch makes a new channel
   * instead of opening a socket to one the platform has closed.
   */
  tokenGeneration: () => number;
}

/** What the watch knows, for a status panel or debugging. Holds no channel id or URL. */
export interface WrapupWatchDebug {
  status: WatchStatus;
  watched: number;
  covered: number;
  /** Conversation id → why its topic is not covered after the last PUT (platform's reason or ours). */
  rejected: Record<string, string>;
  /** Followed topics and the platform's verdict on each ('Permitted', a reason, or 'pending'). */
  followed: Record<string, string>;
  /** Why the watch gave up (status 'unavailable'). */
  unavailableReason?: string;
  /** The last reason the socket was dropped. */
  lastBreak?: string;
}

const TOPIC_PREFIX = 'v2.detail.events.conversation.';
const TOPIC_SUFFIX = '.wrapup';
const WRAPUP_TOPIC = /^v2\.detail\.events\.conversation\.([^.]+)\.wrapup$/;
/** Conversation ids are UUIDs; anything that could break the topic syntax is never sent. */
const CONVERSATION_ID = /^[A-Za-z0-9-]{1,128}$/;
const SOCKET_CLOSING = 'v2.system.socket_closing';
const PING = JSON.stringify({ message: 'ping' });
/** A channel this close to its `expires` is not reused. */
const EXPIRY_MARGIN_MS = 60_000;
const CONNECTING = 0;
const OPEN = 1;

export function wrapupTopic(conversationId: string): string {
  return `${TOPIC_PREFIX}${conversationId}${TOPIC_SUFFIX}`;
}

const debugViews = new WeakMap<WrapupWatch, () => WrapupWatchDebug>();

/** Debug view of a watch made by `createWrapupWatch` (undefined for anything else). */
export function describeWrapupWatch(watch: WrapupWatch): WrapupWatchDebug | undefined {
  return debugViews.get(watch)?.();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function httpStatusOf(e: unknown): number {
  return isRecord(e) && typeof e.status === 'number' ? e.status : 0;
}

function retryAfterOf(e: unknown): number {
  return isRecord(e) && typeof e.retryAfterMs === 'number' && e.retryAfterMs > 0 ? e.retryAfterMs : 0;
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

function eventTimeOf(v: unknown, fallback: number): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  return fallback;
}

/** The wrap-up event in one socket message, or undefined for anything else. */
function parseWrapup(msg: Record<string, unknown>, receivedAt: number): WrapupEvent | undefined {
  const topic = msg.topicName;
  if (typeof topic !== 'string') return undefined;
  const m = WRAPUP_TOPIC.exec(topic);
  const body = msg.eventBody;
  if (!m || !isRecord(body)) return undefined;
  const { conversationId, participantId, sessionId, wrapupCode, wrapupNotes, eventTime } = body;
  // A body naming another conversation than its topic is not trusted; one naming none belongs to
  // the topic's. An incomplete event is still passed on: the conversation was wrapped up, and the
  // listener must not write it on an old observation (it reads it again).
  if (conversationId !== undefined && conversationId !== m[1]) return undefined;
  return {
    conversationId: m[1]!,
    participantId: nonEmpty(participantId) ? participantId : '',
    communicationId: nonEmpty(sessionId) ? sessionId : '',
    code: nonEmpty(wrapupCode) ? wrapupCode : '',
    ...(typeof wrapupNotes === 'string' ? { notes: wrapupNotes } : {}),
    eventTime: eventTimeOf(eventTime, receivedAt),
    receivedAt,
  };
}

export function createWrapupWatch(given: Partial<WrapupWatchDeps> = {}): WrapupWatch {
  // An explicit `undefined` means "the default", not "none".
  const deps = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<WrapupWatchDeps>;
  const random = deps.random ?? Math.random;
  const d: WrapupWatchDeps = {
    createChannel: () => createNotificationChannel(),
    putSubscriptions: (channelId, topics) => putChannelSubscriptions(channelId, topics),
    now: () => Date.now(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    heartbeatTimeoutMs: 75_000,
    freshMs: 10_000,
    pingEveryMs: 4_000,
    debounceMs: 200,
    backoffMs: (attempt) => defaultBackoffMs(attempt, random),
    tokenGeneration: () => loadedClient()?.tokenGeneration() ?? 0,
    ...deps,
    WebSocket: deps.WebSocket,
    random,
  };

  let status: WatchStatus = 'idle';
  /** The watched conversation ids, in the caller's order, unique, capped. */
  let desired: string[] = [];
  /** Followed topics (`follow`), unique, capped; and the platform's verdict on each after the last PUT. */
  let followed: string[] = [];
  const followVerdicts = new Map<string, string>();
  let channel: { id: string; connectUri: string; expiresAt?: number; tokenGeneration: number } | null = null;
  let ws: WebSocketLike | null = null;
  let socketOpen = false;
  /** When the current socket last opened or delivered a message (d.now()). */
  let lastHeardAt = 0;
  /** A PUT was confirmed on the current socket: its channel is worth reopening after a break. */
  let socketProven = false;
  /** Bumped on every break, give-up and close: callbacks of an older epoch do nothing. */
  let epoch = 0;
  let attempt = 0;
  let putFailures = 0;
  let putInFlight = false;
  let needsPut = false;
  const covered = new Map<string, number>();
  const rejected = new Map<string, string>();
  let unavailableReason: string | undefined;
  let lastBreak: string | undefined;

  let debounceTimer: unknown;
  let pingTimer: unknown;
  let deadTimer: unknown;
  let reconnectTimer: unknown;
  let putRetryTimer: unknown;

  const wrapupListeners = new Set<(e: WrapupEvent) => void>();
  const eventListeners = new Set<(e: TopicEvent) => void>();
  const statusListeners = new Set<(s: WatchStatus) => void>();

  function clear(handle: unknown): undefined {
    if (handle !== undefined) d.clearTimeout(handle);
    return undefined;
  }

  function clearTimers(): void {
    debounceTimer = clear(debounceTimer);
    pingTimer = clear(pingTimer);
    deadTimer = clear(deadTimer);
    reconnectTimer = clear(reconnectTimer);
    putRetryTimer = clear(putRetryTimer);
  }

  function setStatus(next: WatchStatus): void {
    if (status === next) return;
    status = next;
    for (const l of [...statusListeners]) {
      try {
        l(next);
      } catch {
        // A listener's failure is its own; the others still hear.
      }
    }
  }

  /**
   * Drops the socket without hearing from it again. A socket still connecting is closed once it
   * opens: closing it earlier makes the browser log an error, and the e2e suite fails on those.
   */
  function disposeSocket(): void {
    const sock = ws;
    ws = null;
    socketOpen = false;
    socketProven = false;
    if (!sock) return;
    sock.onmessage = null;
    sock.onclose = null;
    sock.onerror = null;
    sock.onopen = null;
    try {
      if (sock.readyState === CONNECTING) {
        sock.onopen = () => {
          try {
            sock.close(1000);
          } catch {
            // nothing more to do
          }
        };
        sock.onerror = () => undefined;
      } else if (sock.readyState === OPEN) {
        sock.close(1000);
      }
    } catch {
      // already closing
    }
  }

  /** Stops everything that runs (socket, timers); pending callbacks are turned stale. */
  function halt(): void {
    epoch += 1;
    disposeSocket();
    clearTimers();
    covered.clear();
  }

  function giveUp(reason: string): void {
    halt();
    channel = null;
    unavailableReason = reason;
    setStatus('unavailable');
  }

  function scheduleReconnect(minMs = 0): void {
    attempt += 1;
    const ms = Math.max(d.backoffMs(attempt), minMs);
    reconnectTimer = clear(reconnectTimer);
    reconnectTimer = d.setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, ms);
  }

  /** Socket closed, failed, went quiet, or the platform announced its closing: all coverage ends. */
  function breakSocket(reason: string, dropChannel = false): void {
    // A socket that never got a PUT confirmed ("closes immediately again"): its channel is
    // presumed gone (expired, removed by the platform), the next attempt creates a new one.
    const keepChannel = socketProven && !dropChannel;
    halt();
    if (!keepChannel) channel = null;
    needsPut = true;
    lastBreak = reason;
    setStatus('reconnecting');
    scheduleReconnect();
  }

  function channelUsable(): boolean {
    if (!channel) return false;
    if (channel.tokenGeneration !== d.tokenGeneration()) return false; // made with another token: gone
    return channel.expiresAt === undefined || d.now() < channel.expiresAt - EXPIRY_MARGIN_MS;
  }

  function connect(): void {
    if (channelUsable()) {
      openSocket();
      return;
    }
    channel = null;
    const my = epoch;
    const tokenAtCreate = d.tokenGeneration();
    let pending: Promise<Models.Channel>;
    try {
      pending = d.createChannel();
    } catch (e) {
      pending = Promise.reject(e instanceof Error ? e : new Error('createChannel failed'));
    }
    pending.then(
      (ch) => {
        if (my !== epoch) return;
        if (!isRecord(ch) || !nonEmpty(ch.id) || !nonEmpty(ch.connectUri)) {
          setStatus('reconnecting');
          scheduleReconnect();
          return;
        }
        if (!/^wss?:\/\//i.test(ch.connectUri)) {
          giveUp('The channel has no WebSocket address.');
          return;
        }
        const expiresAt = typeof ch.expires === 'string' ? Date.parse(ch.expires) : Number.NaN;
        channel = { id: ch.id, connectUri: ch.connectUri, tokenGeneration: tokenAtCreate, ...(Number.isNaN(expiresAt) ? {} : { expiresAt }) };
        openSocket();
      },
      (e: unknown) => {
        if (my !== epoch) return;
        const s = httpStatusOf(e);
        if (s === 400 || s === 403 || s === 404) {
          giveUp(`Notification channels are not available (HTTP ${s}).`);
          return;
        }
        // 401 (the app restores the session), 429, 5xx, network: try again later.
        setStatus('reconnecting');
        scheduleReconnect(retryAfterOf(e));
      },
    );
  }

  function openSocket(): void {
    const target = channel;
    if (!target) return;
    const Ctor = d.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (typeof Ctor !== 'function') {
      giveUp('This browser has no WebSocket.');
      return;
    }
    let sock: WebSocketLike;
    try {
      sock = new (Ctor as WebSocketConstructor)(target.connectUri);
    } catch {
      breakSocket('The socket could not be opened.', true);
      return;
    }
    ws = sock;
    socketOpen = false;
    socketProven = false;
    const my = epoch;
    const live = () => my === epoch && ws === sock;
    sock.onopen = () => {
      if (!live()) return;
      socketOpen = true;
      lastHeardAt = d.now();
      armQuiet();
      // Coverage needs a PUT confirmed on this socket, even if the channel kept its topics.
      needsPut = true;
      debounceTimer = clear(debounceTimer);
      sendIfNeeded();
    };
    sock.onmessage = (ev) => {
      if (!live()) return;
      lastHeardAt = d.now();
      armQuiet();
      handleMessage(ev.data);
    };
    sock.onclose = () => {
      if (live()) breakSocket('The socket closed.');
    };
    sock.onerror = () => {
      if (live()) breakSocket('The socket failed.');
    };
    armQuiet(); // also bounds how long opening may take
  }

  /**
   * (Re)starts the quiet timers: a ping after `pingEveryMs` of silence while anything is watched
   * (each pong re-arms it, so a watched socket is heard from every few seconds and coverage stays
   * fresh), otherwise at half the heartbeat timeout; a break after the whole heartbeat timeout.
   */
  function armQuiet(): void {
    pingTimer = clear(pingTimer);
    deadTimer = clear(deadTimer);
    const ping = (): void => {
      pingTimer = undefined;
      if (!socketOpen || !ws) return;
      try {
        ws.send(PING);
      } catch {
        // the close event will follow
      }
      // No answer yet: ask again at the same pace until the dead timer decides.
      if (desired.length > 0) pingTimer = d.setTimeout(ping, d.pingEveryMs);
    };
    pingTimer = d.setTimeout(ping, desired.length > 0 ? Math.min(d.pingEveryMs, d.heartbeatTimeoutMs / 2) : d.heartbeatTimeoutMs / 2);
    deadTimer = d.setTimeout(() => {
      deadTimer = undefined;
      breakSocket('No message within the heartbeat timeout.');
    }, d.heartbeatTimeoutMs);
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!isRecord(msg)) return;
    if (msg.topicName === SOCKET_CLOSING) {
      breakSocket('The platform is closing the socket.');
      return;
    }
    if (typeof msg.topicName === 'string' && followed.includes(msg.topicName)) {
      const event: TopicEvent = { topicName: msg.topicName, eventBody: msg.eventBody, receivedAt: d.now() };
      for (const l of [...eventListeners]) {
        try {
          l(event);
        } catch {
          // A listener's failure is its own; the others still hear.
        }
      }
      return;
    }
    const event = parseWrapup(msg, d.now());
    if (!event) return;
    for (const l of [...wrapupListeners]) {
      try {
        l(event);
      } catch {
        // A listener's failure is its own; the others still hear.
      }
    }
  }

  /** One PUT of the whole list at a time; a change made meanwhile goes out after it. */
  function sendIfNeeded(): void {
    if (!socketOpen || !channel || putInFlight || !needsPut || putRetryTimer !== undefined) return;
    needsPut = false;
    debounceTimer = clear(debounceTimer);
    const ids = desired.slice();
    const others = followed.slice();
    const my = epoch;
    putInFlight = true;
    let pending: Promise<Models.ChannelTopic[]>;
    try {
      pending = d.putSubscriptions(channel.id, [...others, ...ids.map(wrapupTopic)]);
    } catch (e) {
      pending = Promise.reject(e instanceof Error ? e : new Error('putSubscriptions failed'));
    }
    pending.then(
      (entities) => {
        putInFlight = false;
        if (my === epoch) {
          confirmFollowed(others, entities);
          confirm(ids, entities);
        }
        sendIfNeeded();
      },
      (e: unknown) => {
        putInFlight = false;
        if (my !== epoch) {
          sendIfNeeded();
          return;
        }
        const s = httpStatusOf(e);
        if (s === 404) {
          breakSocket('The channel is gone.', true);
          return;
        }
        if (s === 400 || s === 403) {
          giveUp(`The platform refused the subscriptions (HTTP ${s}).`);
          return;
        }
        // 401 (the app restores the session), 429, 5xx, network: the same list again later.
        needsPut = true;
        putFailures += 1;
        putRetryTimer = d.setTimeout(
          () => {
            putRetryTimer = undefined;
            sendIfNeeded();
          },
          Math.max(d.backoffMs(putFailures), retryAfterOf(e)),
        );
      },
    );
  }

  /** The platform's verdict on each followed topic that was sent (kept for `followVerdict`). */
  function confirmFollowed(sent: string[], entities: unknown): void {
    followVerdicts.clear();
    const byTopic = new Map<string, Record<string, unknown>>();
    for (const e of Array.isArray(entities) ? (entities as unknown[]) : []) if (isRecord(e) && typeof e.id === 'string') byTopic.set(e.id, e);
    for (const topic of sent) {
      const v = byTopic.get(topic);
      if (v?.state === 'Permitted') followVerdicts.set(topic, 'Permitted');
      else if (v) followVerdicts.set(topic, nonEmpty(v.rejectionReason) ? v.rejectionReason : nonEmpty(v.state) ? v.state : 'Rejected');
      else followVerdicts.set(topic, 'Not confirmed by the platform.');
    }
  }

  /** Applies the platform's verdicts: the topics it permitted are covered from now on. */
  function confirm(sent: string[], entities: unknown): void {
    const at = d.now();
    const verdicts = new Map<string, Record<string, unknown>>();
    for (const e of Array.isArray(entities) ? (entities as unknown[]) : []) {
      if (!isRecord(e) || typeof e.id !== 'string') continue;
      const m = WRAPUP_TOPIC.exec(e.id);
      if (m?.[1]) verdicts.set(m[1], e);
    }
    const sentSet = new Set(sent);
    for (const id of [...covered.keys()]) {
      if (!sentSet.has(id) || verdicts.get(id)?.state !== 'Permitted') covered.delete(id);
    }
    for (const id of [...rejected.keys()]) if (!sentSet.has(id)) rejected.delete(id);
    for (const id of sent) {
      const v = verdicts.get(id);
      if (v?.state === 'Permitted') {
        rejected.delete(id);
        if (!covered.has(id)) covered.set(id, at);
      } else if (v) {
        const perms = Array.isArray(v.missingPermissions) ? v.missingPermissions.filter((p): p is string => typeof p === 'string') : [];
        const reason = nonEmpty(v.rejectionReason) ? v.rejectionReason : nonEmpty(v.state) ? v.state : 'Rejected';
        rejected.set(id, `${reason}${perms.length ? ` (missing: ${perms.join(', ')})` : ''}`);
      } else {
        rejected.set(id, 'Not confirmed by the platform.');
      }
    }
    socketProven = true;
    attempt = 0;
    putFailures = 0;
    setStatus('live');
  }

  function normalize(ids: Iterable<string>): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      if (out.length >= MAX_WATCHED) break;
      if (typeof id !== 'string' || !CONVERSATION_ID.test(id) || seen.has(id)) continue;
      seen.add(id);
      out.push(id);
    }
    return out;
  }

  /** The watched set or the followed topics changed: connect when idle, else one PUT soon. */
  function changed(): void {
    if (status === 'unavailable') return;
    if (status === 'idle') {
      if (desired.length === 0 && followed.length === 0) return;
      setStatus('connecting');
      connect();
      return;
    }
    debounceTimer ??= d.setTimeout(() => {
      debounceTimer = undefined;
      sendIfNeeded();
    }, d.debounceMs);
  }

  const watch: WrapupWatch = {
    watch(conversationIds) {
      const next = normalize(conversationIds);
      const current = new Set(desired);
      const same = next.length === current.size && next.every((id) => current.has(id));
      if (same) return;
      desired = next;
      needsPut = true;
      // A conversation taken off the list is not vouched for, even before the PUT drops its topic.
      const kept = new Set(next);
      for (const id of [...covered.keys()]) if (!kept.has(id)) covered.delete(id);
      changed();
    },
    follow(topics) {
      const next: string[] = [];
      for (const topic of topics) {
        if (next.length >= MAX_FOLLOWED) break;
        if (typeof topic === 'string' && TOPIC_NAME.test(topic) && !WRAPUP_TOPIC.test(topic) && !next.includes(topic)) next.push(topic);
      }
      if (next.length === followed.length && next.every((t) => followed.includes(t))) return;
      followed = next;
      for (const topic of [...followVerdicts.keys()]) if (!next.includes(topic)) followVerdicts.delete(topic);
      needsPut = true;
      changed();
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    followVerdict(topic) {
      return followVerdicts.get(topic) ?? null;
    },
    coveredSince(conversationId) {
      const since = covered.get(conversationId);
      if (since === undefined) return null;
      // Not heard from lately: events may have stopped without the socket closing (yet).
      return d.now() - lastHeardAt <= d.freshMs ? since : null;
    },
    onWrapup(listener) {
      wrapupListeners.add(listener);
      return () => wrapupListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    status() {
      return status;
    },
    close() {
      halt();
      channel = null;
      desired = [];
      followed = [];
      followVerdicts.clear();
      needsPut = false;
      attempt = 0;
      putFailures = 0;
      rejected.clear();
      unavailableReason = undefined;
      lastBreak = undefined;
      setStatus('idle');
      wrapupListeners.clear();
      eventListeners.clear();
      statusListeners.clear();
    },
  };

  debugViews.set(watch, () => ({
    status,
    watched: desired.length,
    covered: covered.size,
    rejected: Object.fromEntries(rejected),
    followed: Object.fromEntries(followed.map((t) => [t, followVerdicts.get(t) ?? 'pending'])),
    ...(unavailableReason !== undefined ? { unavailableReason } : {}),
    ...(lastBreak !== undefined ? { lastBreak } : {}),
  }));

  return watch;
}
