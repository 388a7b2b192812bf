/**
 * The one request limiter for the whole access token (reliability-checklist #12–13).
 *
 * Genesys allows about 300 requests per minute per token, shared by every call of that token
 * (worklist paging, bulk writes, other tabs) [M]. Every SDK call passes through `acquire()` (the
 * HTTP client does it), so the budget holds for the app as a whole, not per feature.
 *
 * - Sliding window: a request is counted when it is let through; at most `budgetPerMinute`
 *   requests are let through in any `windowMs` interval.
 * - Concurrency cap: at most `maxConcurrent` requests between `acquire()` and `release()`.
 * - `pauseUntil(t)`: after a 429 nothing is let through before `t` (the whole queue waits).
 * - FIFO: waiters are served strictly in arrival order; an aborted waiter leaves the queue. The one
 *   exception: a waiter that may ignore a pause (a login checking its new token) is served during it.
 *
 * Time comes from an injectable clock so tests drive it with fake timers.
 */

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Looks the globals up at call time, so `vi.useFakeTimers()` applies even after construction. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export const PLATFORM_LIMIT_PER_MINUTE = 300;
/** 90% of the platform's limit leaves room for other tabs and the SDK's own token check. */
export const DEFAULT_BUDGET_PER_MINUTE = Math.floor(PLATFORM_LIMIT_PER_MINUTE * 0.9);
/** Browsers open about 6 connections per host over HTTP/1.1; more in flight only queues in the browser. */
export const DEFAULT_MAX_CONCURRENT = 6;

/**
 * Sends and pauses seen by every tab of this origin, so the budget holds across tabs and across a
 * reload (the platform counts per token, not per page). Not a secret: only times are kept.
 * Tabs read and write it without a lock, so two tabs can each take the last slot at the same
 * instant; the 10% headroom of the default budget absorbs that.
 */
export interface SharedSendLog {
  /** Send times (ours included) after `since`, ascending. */
  sends(since: number): number[];
  /** False when the send could not be stored (storage full or blocked). */
  record(at: number): boolean;
  pausedUntil(): number;
  /** False when the pause could not be stored. */
  recordPause(until: number): boolean;
  /** Another tab wrote to the log. */
  subscribe?(listener: () => void): () => void;
}

export interface RateLimiterOptions {
  /** Requests let through per window. Default: `budgetFraction` × `limitPerMinute` = 270. */
  budgetPerMinute?: number;
  /** The platform's limit for the token (the sim's may differ); used when `budgetPerMinute` is absent. */
  limitPerMinute?: number;
  /** Share of `limitPerMinute` this app may use (default 0.9). */
  budgetFraction?: number;
  maxConcurrent?: number;
  windowMs?: number;
  clock?: Clock;
  /** Share the window with other tabs and with the page after a reload. */
  shared?: SharedSendLog;
}

export interface LimiterState {
  /** Waiting in the queue. */
  queued: number;
  /** Let through and not yet released. */
  inFlight: number;
  /** Epoch ms until which nothing is sent, or null when not paused. */
  pausedUntil: number | null;
  /** Requests let through in the current window (at the time of this snapshot). */
  sentInWindow: number;
  budgetPerMinute: number;
  maxConcurrent: number;
  /**
   * False once the shared window could not be written (storage full or blocked): from then on this
   * tab counts only what it knows itself (its own sends and what other tabs had stored until then),
   * so other tabs and a reload no longer see this tab's sends. True without a shared log.
   */
  sharedWindow: boolean;
}

export type Release = () => void;

interface Waiter {
  resolve: (release: Release) => void;
  reject: (reason: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  ignorePause: boolean;
}

export interface AcquireOptions {
  /**
   * Served during a pause (still within the window and the concurrency cap). Only for a login
   * checking its NEW token during a long pause (PlatformHttpClient decides): otherwise signing in
   * again would wait out a Retry-After the job has already asked the user about.
   */
  ignorePause?: boolean;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** Requests per window the app lets through: `fraction` of the platform's limit, at least 1. */
export function budgetFrom(limitPerMinute = PLATFORM_LIMIT_PER_MINUTE, fraction = 0.9): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`budgetFraction must be in (0, 1], got ${fraction}`);
  return Math.max(1, Math.floor(limitPerMinute * fraction));
}

function positiveInt(n: number, what: string): number {
  if (!Number.isFinite(n) || n < 1) throw new RangeError(`${what} must be a positive number, got ${n}`);
  return Math.floor(n);
}

export class RateLimiter {
  private readonly clock: Clock;
  private readonly windowMs: number;
  private budget: number;
  private concurrency: number;
  /** Times requests were let through, ascending; only those inside the window are kept. */
  private sends: number[] = [];
  private queue: Waiter[] = [];
  private inFlight = 0;
  private pausedUntilMs = 0;
  private timer: unknown = null;
  private readonly listeners = new Set<(s: LimiterState) => void>();
  private snapshot: LimiterState;
  private readonly shared: SharedSendLog | undefined;
  /** The shared log could not be written: keep this tab's own window instead of reading a stale one. */
  private sharedLost = false;

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.shared = options.shared;
    options.shared?.subscribe?.(() => this.pump());
    this.windowMs = positiveInt(options.windowMs ?? 60_000, 'windowMs');
    this.budget = positiveInt(options.budgetPerMinute ?? budgetFrom(options.limitPerMinute, options.budgetFraction), 'budgetPerMinute');
    this.concurrency = positiveInt(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT, 'maxConcurrent');
    this.syncShared(this.clock.now());
    this.snapshot = this.computeState();
  }

  /** Waits for a slot. Call the returned function exactly once when the request has finished. */
  acquire(signal?: AbortSignal, options: AcquireOptions = {}): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined, ignorePause: options.ignorePause === true };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(abortReason(signal));
            this.pump();
          }
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Nothing is let through before `epochMs`. A later pause extends, an earlier one never shortens. */
  pauseUntil(epochMs: number): void {
    this.syncShared(this.clock.now());
    if (!(epochMs > this.pausedUntilMs)) return;
    this.pausedUntilMs = epochMs;
    if (this.shared && !this.sharedLost && !this.shared.recordPause(epochMs)) this.loseShared();
    this.pump();
  }

  /** Sets the budget from the platform's limit, e.g. after the sim reports its own. */
  setLimit(limitPerMinute: number, budgetFraction?: number): void {
    this.setBudget(budgetFrom(limitPerMinute, budgetFraction));
  }

  setBudget(perMinute: number): void {
    this.budget = positiveInt(perMinute, 'budgetPerMinute');
    this.pump();
  }

  setMaxConcurrent(n: number): void {
    this.concurrency = positiveInt(n, 'maxConcurrent');
    this.pump();
  }

  getState(): LimiterState {
    return this.snapshot;
  }

  /**
   * Earliest epoch ms at which `acquire()` could let one more request through at once, judged by
   * the window and any pause (not by concurrency or waiters: see `getState()`). `now` when it
   * could now. Added for the bulk runner, which only hands a request over when it will not wait in
   * the queue, so that "pause" and "stop" are exact (nothing of the job is left queued).
   */
  readyAt(): number {
    const now = this.clock.now();
    this.syncShared(now);
    const cutoff = now - this.windowMs;
    const inWindow = this.sends.filter((t) => t > cutoff);
    let at = Math.max(now, this.pausedUntilMs);
    if (inWindow.length >= this.budget) at = Math.max(at, inWindow[inWindow.length - this.budget]! + this.windowMs);
    return at;
  }

  /** The listener gets a new snapshot object on every change (fits `useSyncExternalStore`). */
  subscribe(listener: (s: LimiterState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rejects every waiter and stops the timer (sign-out, reconfiguration, tests). */
  dispose(reason: Error = new DOMException('The limiter was disposed.', 'AbortError')): void {
    const waiting = this.queue;
    this.queue = [];
    for (const w of waiting) {
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.reject(reason);
    }
    this.clearTimer();
    this.emit();
  }

  private pump(): void {
    const now = this.clock.now();
    this.syncShared(now);
    this.prune(now);
    this.clearTimer();
    let wakeAt: number | null = null;
    while (this.queue.length > 0) {
      // During a pause only waiters that may ignore it are served (in their order).
      const next = now < this.pausedUntilMs ? this.queue.findIndex((w) => w.ignorePause) : 0;
      if (next < 0) {
        wakeAt = this.pausedUntilMs;
        break;
      }
      if (this.inFlight >= this.concurrency) break; // a release pumps again
      if (this.sends.length >= this.budget) {
        // The oldest send that must leave the window before one more fits.
        wakeAt = this.sends[this.sends.length - this.budget]! + this.windowMs;
        break;
      }
      const w = this.queue.splice(next, 1)[0]!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      this.sends.push(now);
      if (this.shared && !this.sharedLost && !this.shared.record(now)) this.loseShared();
      this.inFlight += 1;
      w.resolve(this.makeRelease());
    }
    // Also wake when a pause ends with nobody waiting, so listeners see it end.
    if (wakeAt === null && now < this.pausedUntilMs) wakeAt = this.pausedUntilMs;
    if (wakeAt !== null) {
      this.timer = this.clock.setTimeout(
        () => {
          this.timer = null;
          this.pump();
        },
        Math.max(0, wakeAt - now),
      );
    }
    this.emit();
  }

  private makeRelease(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight -= 1;
      this.pump();
    };
  }

  /**
   * With a shared log, the window is what every tab sent; a pause set by any tab holds here too.
   * Once the log cannot be written, its window is stale (it lacks this tab's sends): this tab keeps
   * its own window then; a pause read from it can still only lengthen ours.
   */
  private syncShared(now: number): void {
    if (!this.shared) return;
    if (!this.sharedLost) this.sends = this.shared.sends(now - this.windowMs);
    this.pausedUntilMs = Math.max(this.pausedUntilMs, this.shared.pausedUntil());
  }

  private loseShared(): void {
    this.sharedLost = true;
    console.warn('Rate limiter: the shared request window (localStorage) cannot be written; this tab now counts only its own requests.');
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.sends.length && this.sends[drop]! <= cutoff) drop += 1;
    if (drop > 0) this.sends.splice(0, drop);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private computeState(): LimiterState {
    const now = this.clock.now();
    const cutoff = now - this.windowMs;
    return {
      queued: this.queue.length,
      inFlight: this.inFlight,
      pausedUntil: this.pausedUntilMs > now ? this.pausedUntilMs : null,
      sentInWindow: this.sends.filter((t) => t > cutoff).length,
      budgetPerMinute: this.budget,
      maxConcurrent: this.concurrency,
      sharedWindow: !this.sharedLost,
    };
  }

  private emit(): void {
    const next = this.computeState();
    const prev = this.snapshot;
    if (
      prev.queued === next.queued &&
      prev.inFlight === next.inFlight &&
      prev.pausedUntil === next.pausedUntil &&
      prev.sentInWindow === next.sentInWindow &&
      prev.budgetPerMinute === next.budgetPerMinute &&
      prev.maxConcurrent === next.maxConcurrent &&
      prev.sharedWindow === next.sharedWindow
    )
      return;
    this.snapshot = next;
    for (const l of this.listeners) l(next);
  }
}
