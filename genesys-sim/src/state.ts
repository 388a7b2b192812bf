/** Runtime state of one simulated org: the generated data plus tokens, sessions, jobs, logs, limits and faults. */
import { randomBytes } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';
import type { DetailsJob } from './analytics.ts';
import { generateOrg } from './generate.ts';
import type { SimConversation, SimOrg, SimUser } from './model.ts';
import { NotificationHub } from './notifications.ts';
import type { SimOptions } from './options.ts';
import { createRng, type Rng } from './prng.ts';
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
  requestLog = new Map<string, TokenRequestLog>();
  private rateWindows = new Map<string, number[]>();
  faultRng!: Rng;
  /** Dice of notificationDropRate: its own stream (seeded from faults.seed) so drops never shift the API fault dice. */
  notificationRng!: Rng;
  /** /api/v2 calls counted for the 401-after-N fault since it was set. */
  faultCalls = 0;
  /** Notification channels, their sockets and pending events. */
  readonly notifications: NotificationHub = new NotificationHub(this);
  /** Every path that sets a wrap-up (app writes, control agent wrap-ups, ACW timeouts) passes this to applyWrapup. */
  readonly onWrapupApplied: WrapupListener = (target, wrapup, at) => this.notifications.publishWrapup(target, wrapup, at);
  private timedAcw: Target[] = [];
  private analyticsCache = new Map<string, { version: number; lag: number; validUntil: number; view: Models.AnalyticsConversation }>();
  buildMs = 0;

  /** The options the sim was started with: `POST /__sim/reset` starts from these, not from the current ones. */
  readonly startOptions: SimOptions;

  constructor(options: SimOptions) {
    this.startOptions = structuredClone(options);
    this.options = options;
    this.rebuild(options);
  }

  /** Regenerate the org from options and forget every token, session, job, log and notification channel. */
  rebuild(options: SimOptions): void {
    const t0 = performance.now();
    this.options = options;
    this.org = generateOrg({ seed: options.seed, conversations: options.conversations, days: options.days, agents: options.agents, now: options.now ?? Date.now() });
    this.tokens.clear();
    this.sessions.clear();
    this.authCodes.clear();
    this.jobs.clear();
    this.writeLog = [];
    this.requestLog.clear();
    this.rateWindows.clear();
    this.analyticsCache.clear();
    this.notifications.reset();
    this.timedAcw = findTimedAcw(this.org);
    this.setFaults(options.faults);
    this.buildMs = performance.now() - t0;
  }

  setFaults(faults: SimOptions['faults']): void {
    this.options = { ...this.options, faults };
    this.faultRng = createRng(faults.seed);
    this.notificationRng = createRng((faults.seed ^ 0x6e6f7469) >>> 0);
    this.faultCalls = 0;
  }

  /** Advance simulated time: time-boxed ACW that ran out gets ININ-WRAP-UP-TIMEOUT. */
  tick(now: number): void {
    if (this.timedAcw.length > 0) this.timedAcw = expireAcw(this.timedAcw, now, this.onWrapupApplied);
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

  mintToken(user: SimUser, clientId: string, grant: Grant, now: number, extra: { sessionId?: string; authCode?: string; ttlSeconds?: number } = {}): TokenRecord {
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

  /**
   * Rolling 60 s window per token. Returns whether the call is allowed and the headers' values.
   * Only accepted calls enter the window.
   */
  rateCheck(token: string, now: number): { allowed: boolean; count: number; limit: number; resetSeconds: number } {
    const limit = this.options.rateLimit;
    const list = this.rateWindows.get(token) ?? [];
    let drop = 0;
    while (drop < list.length && (list[drop] ?? 0) <= now - 60_000) drop++;
    if (drop > 0) list.splice(0, drop);
    this.rateWindows.set(token, list);
    const resetFor = (): number => Math.max(1, Math.ceil(((list[0] ?? now) + 60_000 - now) / 1000));
    if (limit > 0 && list.length >= limit) return { allowed: false, count: list.length, limit, resetSeconds: resetFor() };
    list.push(now);
    return { allowed: true, count: list.length, limit, resetSeconds: resetFor() };
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

  logWrite(entry: Omit<WriteLogEntry, 'seq' | 'time'>): WriteLogEntry {
    const full: WriteLogEntry = { seq: this.writeLog.length + 1, time: new Date(entry.at).toISOString(), ...entry };
    this.writeLog.push(full);
    return full;
  }
}

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
