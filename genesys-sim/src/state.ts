/** Runtime state of one simulated org: the generated data plus tokens, sessions, jobs, logs, limits and faults. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';
import type { DetailsJob } from './analytics.ts';
import { generateArrivingConversation, generateOrg } from './generate.ts';
import type { SimConversation, SimOrg, SimUser } from './model.ts';
import { systemClock, type SimClock } from './clock.ts';
import { NotificationHub } from './notifications.ts';
import type { SimOptions } from './options.ts';
import { createRng, type Rng } from './prng.ts';
import { lowerBound } from './analytics.ts';
import { analyticsValidUntil, renderAnalyticsConversation } from './render.ts';
import { expireAcw, findTimedAcw, type Target, type WrapupListener } from './rules.ts';

export type Grant = 'implicit' | 'pkce' | 'control';

export interface TokenRecord {
  token: string;
  userId: string;
  clientId: string;
  grant: Grant;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  sessionId?: string;
  authCode?: string;
}

export interface LoginSession {
  id: string;
  userId: string;
  createdAt: number;
}

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  userId: string;
  sessionId: string;
  expiresAt: number;
  used: boolean;
}

export interface WriteLogEntry {
  seq: number;
  time: string;
  at: number;
  via: 'post' | 'patch' | 'agent';
  media: string;
  conversationId: string;
  participantId: string;
  communicationId: string | null;
  code: string | null;
  notes: string | null;
  userId: string | null;
  userEmail: string | null;
  /** applied: the wrap-up was stored; refused: a rule said no; fault: an injected fault answered before processing. */
  outcome: 'applied' | 'refused' | 'fault';
  status: number;
  errorCode: string | null;
  /** The write was applied but the connection was dropped before the response (injected fault). */
  responseLost: boolean;
  fault: string | null;
}

/** One `POST /api/v2/chats/users/{userId}/messages` that was accepted (`GET /__sim/chats`). */
export interface ChatLogEntry {
  seq: number;
  /** The message id answered to the sender (ChatSendMessageResponse.id). */
  id: string;
  at: number;
  time: string;
  fromUserId: string;
  fromEmail: string;
  toUserId: string;
  toEmail: string;
  message: string;
  mentions?: string[];
  threadId?: string;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  /** 0 when the connection was dropped without a response. */
  status: number;
  fault: string | null;
}

export interface TokenRequestLog {
  token: string;
  userId: string | null;
  entries: RequestLogEntry[];
}

export class SimState {
  options: SimOptions;
  org!: SimOrg;
  tokens = new Map<string, TokenRecord>();
  sessions = new Map<string, LoginSession>();
  authCodes = new Map<string, AuthCodeRecord>();
  jobs = new Map<string, DetailsJob>();
  writeLog: WriteLogEntry[] = [];
  chatLog: ChatLogEntry[] = [];
  requestLog = new Map<string, TokenRequestLog>();
  private rateWindows = new Map<string, number[]>();
  faultRng!: Rng;
  /** Dice of notificationDropRate: its own stream (seeded from faults.seed) so drops never shift the API fault dice. */
  notificationRng!: Rng;
  /** /api/v2 calls counted for the 401-after-N fault since it was set. */
  faultCalls = 0;
  /** Dice faults injected since the faults were set (for `faults.maxFaults`). */
  faultsInjected = 0;
  /** Notification channels, their sockets and pending events. */
  readonly notifications: NotificationHub = new NotificationHub(this);
  /** Every path that sets a wrap-up (app writes, control agent wrap-ups, ACW timeouts) passes this to applyWrapup. */
  readonly onWrapupApplied: WrapupListener = (target, wrapup, at, by) => {
    this.notifications.publishWrapup(target, wrapup, at, by);
    this.notifications.publishConversation(target.conversation);
  };
  private timedAcw: Target[] = [];
  private analyticsCache = new Map<string, { version: number; lag: number; validUntil: number; view: Models.AnalyticsConversation }>();
  buildMs = 0;
  /** Page drift: arrival time of the last conversation added (or when the rate was last seen to change). */
  private driftFrom = 0;
  private driftRate = 0;
  private driftRng!: Rng;
  /** Conversations added by page drift since the last rebuild. */
  driftAdded = 0;

  /** The options the sim was started with: `POST /__sim/reset` starts from these, not from the current ones. */
  readonly startOptions: SimOptions;

  /**
   * `clock`: where "now" and every wait of this org come from (the wall clock for the HTTP server, a
   * test's virtual clock for `in-process.ts`).
   */
  constructor(
    options: SimOptions,
    readonly clock: SimClock = systemClock,
  ) {
    this.startOptions = structuredClone(options);
    this.options = options;
    this.rebuild(options);
  }

  /** Regenerate the org from options and forget every token, session, job, log and notification channel. */
  rebuild(options: SimOptions): void {
    const t0 = performance.now();
    this.options = options;
    this.org = generateOrg({
      seed: options.seed,
      conversations: options.conversations,
      days: options.days,
      agents: options.agents,
      now: options.now ?? this.clock.now(),
    });
    this.tokens.clear();
    this.sessions.clear();
    this.authCodes.clear();
    this.jobs.clear();
    this.writeLog = [];
    this.chatLog = [];
    this.requestLog.clear();
    this.rateWindows.clear();
    this.analyticsCache.clear();
    this.notifications.reset();
    this.timedAcw = findTimedAcw(this.org);
    this.driftRng = createRng((options.seed ^ 0x64726966) >>> 0);
    this.driftFrom = this.clock.now();
    this.driftRate = options.pageDriftPerMinute;
    this.driftAdded = 0;
    this.setFaults(options.faults);
    this.buildMs = performance.now() - t0;
  }

  setFaults(faults: SimOptions['faults']): void {
    this.options = { ...this.options, faults };
    this.faultRng = createRng(faults.seed);
    this.notificationRng = createRng((faults.seed ^ 0x6e6f7469) >>> 0);
    this.faultCalls = 0;
    this.faultsInjected = 0;
  }

  /**
   * A conversation changed outside a wrap-up (a communication ended, after-call work started or was
   * left without a code): analytics views are rebuilt and the user conversation topics fire.
   */
  conversationChanged(c: SimConversation): void {
    c.version++;
    this.notifications.publishConversation(c);
  }

  /** A communication whose time-boxed after-call work just started: it times out like the seeded ones. */
  trackAcw(target: Target): void {
    if (!this.timedAcw.some((t) => t.comm === target.comm)) this.timedAcw.push(target);
  }

  /** Advance simulated time: time-boxed ACW that ran out gets ININ-WRAP-UP-TIMEOUT. */
  tick(now: number): void {
    if (this.timedAcw.length > 0) this.timedAcw = expireAcw(this.timedAcw, now, this.onWrapupApplied);
  }

  /**
   * Page drift (--page-drift-per-minute): add the conversations that arrived since the last call, one
   * every 60000/rate ms, each starting at its arrival time. Called lazily by the analytics routes and
   * the ground truth. A changed rate starts counting from now (no backlog); at most MAX_DRIFT_BATCH
   * per call.
   */
  applyDrift(now: number): number {
    const rate = this.options.pageDriftPerMinute;
    if (rate !== this.driftRate || rate <= 0) {
      this.driftRate = rate;
      this.driftFrom = now;
      return 0;
    }
    const every = 60_000 / rate;
    let n = Math.floor((now - this.driftFrom) / every);
    if (n <= 0) return 0;
    if (n > MAX_DRIFT_BATCH) {
      this.driftFrom = now - MAX_DRIFT_BATCH * every;
      n = MAX_DRIFT_BATCH;
    }
    const list = this.org.conversations;
    for (let i = 1; i <= n; i++) {
      const arrival = Math.floor(this.driftFrom + i * every);
      const c = generateArrivingConversation(this.driftRng, this.org, arrival);
      // Sorted by start then id, like the generated list.
      let at = lowerBound(list, c.start);
      while (at < list.length && list[at]?.start === c.start && (list[at]?.id ?? '') < c.id) at++;
      list.splice(at, 0, c);
      this.org.conversationsById.set(c.id, c);
    }
    this.driftFrom += n * every;
    this.driftAdded += n;
    return n;
  }

  analyticsView(c: SimConversation, now: number): Models.AnalyticsConversation {
    const lag = this.options.analyticsLagMs;
    const cached = this.analyticsCache.get(c.id);
    if (cached && cached.version === c.version && cached.lag === lag && now < cached.validUntil) return cached.view;
    const view = renderAnalyticsConversation(c, now, lag);
    this.analyticsCache.set(c.id, { version: c.version, lag, validUntil: analyticsValidUntil(c, now, lag), view });
    return view;
  }

  userByEmail(email: string): SimUser | undefined {
    return this.org.usersByEmail.get(email.trim().toLowerCase());
  }

  mintToken(
    user: SimUser,
    clientId: string,
    grant: Grant,
    now: number,
    extra: { sessionId?: string; authCode?: string; ttlSeconds?: number } = {},
  ): TokenRecord {
    const ttl = extra.ttlSeconds ?? this.options.tokenTtl;
    const rec: TokenRecord = {
      token: randomBytes(32).toString('base64url'),
      userId: user.id,
      clientId,
      grant,
      issuedAt: now,
      expiresAt: now + ttl * 1000,
      revoked: false,
      ...(extra.sessionId ? { sessionId: extra.sessionId } : {}),
      ...(extra.authCode ? { authCode: extra.authCode } : {}),
    };
    this.tokens.set(rec.token, rec);
    return rec;
  }

  /** A live token record (not revoked, not expired), or undefined. */
  liveToken(token: string, now: number): TokenRecord | undefined {
    const rec = this.tokens.get(token);
    if (!rec || rec.revoked || rec.expiresAt <= now) return undefined;
    return rec;
  }

  /** The rolling 60 s window of one bucket, without the calls that left it. */
  private rateWindow(key: string, now: number): number[] {
    const list = this.rateWindows.get(key) ?? [];
    let drop = 0;
    while (drop < list.length && (list[drop] ?? 0) <= now - 60_000) drop++;
    if (drop > 0) list.splice(0, drop);
    this.rateWindows.set(key, list);
    return list;
  }

  /**
   * Rolling 60 s windows: `rateLimit` per user + OAuth client (all their tokens share it) or per
   * token (`rateLimitScope`), and `userRateLimit` per user across clients. Returns whether the call
   * is allowed and the headers' values (of the app limit, or of the user limit when that one refused).
   * Only accepted calls enter the windows.
   */
  rateCheck(token: TokenRecord, now: number): { allowed: boolean; count: number; limit: number; resetSeconds: number; which: 'app' | 'user' | null } {
    const { rateLimit, rateLimitScope, userRateLimit } = this.options;
    const app = this.rateWindow(rateLimitScope === 'token' ? `token:${token.token}` : `user-client:${token.userId}|${token.clientId}`, now);
    const usr = this.rateWindow(`user:${token.userId}`, now);
    const resetFor = (list: number[]): number => Math.max(1, Math.ceil(((list[0] ?? now) + 60_000 - now) / 1000));
    if (rateLimit > 0 && app.length >= rateLimit) return { allowed: false, count: app.length, limit: rateLimit, resetSeconds: resetFor(app), which: 'app' };
    if (userRateLimit > 0 && usr.length >= userRateLimit)
      return { allowed: false, count: usr.length, limit: userRateLimit, resetSeconds: resetFor(usr), which: 'user' };
    app.push(now);
    usr.push(now);
    return { allowed: true, count: app.length, limit: rateLimit, resetSeconds: resetFor(app), which: null };
  }

  /** Revoke a token (every path: DELETE tokens/me, logout, control revoke, faults): its notification channels end with it. */
  revokeToken(rec: TokenRecord): boolean {
    const was = rec.revoked;
    rec.revoked = true;
    this.notifications.tokenEnded(rec.token, 'The access token was revoked');
    return !was;
  }

  logRequest(token: string | null, userId: string | null, entry: RequestLogEntry): void {
    const key = token ?? '(none)';
    let log = this.requestLog.get(key);
    if (!log) {
      log = { token: key, userId, entries: [] };
      this.requestLog.set(key, log);
    }
    log.entries.push(entry);
  }

  logChat(entry: Omit<ChatLogEntry, 'seq' | 'time' | 'id'>): ChatLogEntry {
    const full: ChatLogEntry = { seq: this.chatLog.length + 1, id: randomUUID(), time: new Date(entry.at).toISOString(), ...entry };
    this.chatLog.push(full);
    return full;
  }

  logWrite(entry: Omit<WriteLogEntry, 'seq' | 'time'>): WriteLogEntry {
    const full: WriteLogEntry = { seq: this.writeLog.length + 1, time: new Date(entry.at).toISOString(), ...entry };
    this.writeLog.push(full);
    return full;
  }
}

/** Most conversations one applyDrift call adds (a sim left idle for hours does not build a huge backlog at once). */
export const MAX_DRIFT_BATCH = 5000;

/** Highest number of requests inside any window of windowMs (sorted timestamps). */
export function maxInWindow(times: readonly number[], windowMs = 60_000): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] ?? 0) - (times[lo] ?? 0) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
