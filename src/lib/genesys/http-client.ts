/**
 * The HTTP client every SDK call goes through, installed with `apiClient.setHttpClient(...)`.
 *
 * Why a subclass of the SDK's DefaultHttpClient (genesys-platform.md §6): the SDK never retries a
 * 429 or 5xx and only hands callers the parsed body. Here, per attempt:
 *   1. wait for the shared RateLimiter (one budget for the token, checklist #12);
 *   2. send with axios (the SDK's own instance and config);
 *   3. read Retry-After / inin-ratelimit-* (when CORS exposes them);
 *   4. on failure build an ApiError ourselves. The SDK passes it through unchanged because it only
 *      rewrites errors that carry a `response` (ApiClient.callApi, v262), so callers get the
 *      status, headers and contextId that the SDK would otherwise drop.
 *
 * Retry policy (checklist #13–15): only idempotent requests (GET/HEAD and the analytics details
 * query, a read expressed as POST) are retried, at most `maxAttempts` attempts in all.
 *   - 429: the whole limiter pauses until Retry-After (or inin-ratelimit-reset); without either,
 *     back off with jitter (1 s doubling, capped 60 s). A wait longer than `maxAutoWaitMs` (180 s)
 *     is not waited out silently: the call fails with the ApiError, the limiter stays paused and
 *     its listeners show until when.
 *   - 5xx, network, timeout: back off with jitter, only this request waits.
 *   - Anything else is returned at once.
 * Writes (the wrap-up POST, participant PATCH, everything else) are NEVER retried here: their
 * outcome may be unknown and the caller must re-read first (checklist #16). A 429 on a write still
 * pauses the limiter.
 *
 * 401: reject with ApiError 401 and tell `onUnauthorized` listeners (the auth feature), without
 * retrying (checklist #17).
 */
import type { HttpRequestOptions } from 'purecloud-platform-client-v2';
import { DefaultHttpClient } from './sdk.ts';
import { ApiError, fromHttpResponse, readHeader, readRateLimitHeaders, toApiError, isRetryable } from './api-error.ts';
import { sendWithFetch, type FetchLike } from './fetch-transport.ts';
import { systemClock, type Clock, type RateLimiter } from './rate-limiter.ts';

export interface CallOptions {
  /** Cancels the call: while queued it leaves the limiter; in flight axios aborts it. */
  signal?: AbortSignal;
  /** Overrides the default policy (idempotent requests only). Never set it for a wrap-up write. */
  retry?: boolean;
  /** This call's timeout per attempt (default: the client's). Wrap-up writes set theirs on purpose (late-apply.ts). */
  timeoutMs?: number;
  /**
   * Told about every response that arrives for this call (each attempt, success or error) with the
   * platform headers the browser let the app read. A cross-origin response shows only what its CORS
   * `Access-Control-Expose-Headers` lists, so a missing `inin-ratelimit-count` means "hidden from this
   * origin" (or not sent). Used by the platform check; a listener that throws is ignored.
   */
  onResponse?: (seen: ResponseSeen) => void;
}

/** The response headers `onResponse` reports, lower case. */
export const OBSERVED_HEADERS = ['retry-after', 'inin-ratelimit-count', 'inin-ratelimit-allowed', 'inin-ratelimit-reset', 'inin-correlation-id'] as const;
export type ObservedHeader = (typeof OBSERVED_HEADERS)[number];

export interface ResponseSeen {
  status: number;
  /** Each of OBSERVED_HEADERS that the browser could read on this response. */
  headers: Partial<Record<ObservedHeader, string>>;
}

/** What `onResponse` is told for a response with this status and these (axios, plain or Fetch) headers. */
export function responseSeen(status: number, headers: unknown): ResponseSeen {
  const out: Partial<Record<ObservedHeader, string>> = {};
  for (const name of OBSERVED_HEADERS) {
    const v = readHeader(headers, name);
    if (v !== undefined) out[name] = v;
  }
  return { status, headers: out };
}

export interface UnauthorizedEvent {
  method: string;
  url: string;
  error: ApiError;
}

export interface PlatformHttpClientOptions {
  limiter: RateLimiter;
  /** Axios timeout per attempt; the SDK's default is 16 s. */
  timeoutMs?: number;
  maxAttempts?: number;
  /** A Retry-After longer than this is not waited out automatically (checklist #14). */
  maxAutoWaitMs?: number;
  clock?: Clock;
  random?: () => number;
  /**
   * Sends each attempt with this `fetch`-like function instead of the SDK's axios instance. Unit
   * tests pass the in-process sim's (genesys-sim/src/in-process.ts) to run this client for real
   * against the sim without sockets.
   */
  transport?: FetchLike;
  /**
   * The clock of the per-attempt timeout (default: the wall clock). An in-process platform that
   * runs on a virtual clock needs its timeouts on that clock too, or a slow answer never times out.
   */
  timeoutClock?: Clock;
}

export const DEFAULT_MAX_ATTEMPTS = 4;
export const DEFAULT_MAX_AUTO_WAIT_MS = 180_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 60_000;

/** Jittered exponential backoff: 1 s, 2 s, 4 s ... capped at 60 s, each up to +50%, never over the cap. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.min(BACKOFF_CAP_MS, Math.round(base * (1 + 0.5 * random())));
}

const IDEMPOTENT_POSTS = [/\/api\/v2\/analytics\/conversations\/details\/query$/];

/** The default policy: reads are retried, writes never. */
export function isIdempotentRequest(method: string, url: string): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return true;
  if (m !== 'POST') return false;
  const path = url.split('?')[0] ?? url;
  return IDEMPOTENT_POSTS.some((re) => re.test(path));
}

function isPlatformApiUrl(url: string): boolean {
  return /\/api\/v2\//.test(url);
}

interface AxiosResponseLike {
  status: number;
  headers: unknown;
  data: unknown;
}

type AxiosInstanceLike = { request(config: unknown): Promise<AxiosResponseLike> };

export class PlatformHttpClient extends DefaultHttpClient {
  readonly limiter: RateLimiter;
  private readonly maxAttempts: number;
  private readonly maxAutoWaitMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly transport: FetchLike | undefined;
  private readonly timeoutClock: Clock;
  private pending: CallOptions | undefined;
  private readonly unauthorizedListeners = new Set<(e: UnauthorizedEvent) => void>();
  private muted = 0;
  /** Requests on the wire now, and who waits for none to be (`whenIdle`). */
  private onWire = 0;
  private idleWaiters = new Set<() => void>();
  /**
   * 429s of the token since its last answer that was not a 429 (any caller). A 429 without
   * Retry-After pauses everyone for backoffMs(this): 1 s, 2 s, 4 s ... 60 s, also for writes,
   * which are never retried here and so never reach a second attempt of their own (checklist #13).
   */
  private throttled = 0;

  constructor(options: PlatformHttpClientOptions) {
    super(options.timeoutMs ?? 16_000);
    this.limiter = options.limiter;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.maxAutoWaitMs = options.maxAutoWaitMs ?? DEFAULT_MAX_AUTO_WAIT_MS;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.transport = options.transport;
    this.timeoutClock = options.timeoutClock ?? systemClock;
  }

  /**
   * Runs `fn` (one SDK method call) with per-call options. The SDK builds and hands the request to
   * `request()` synchronously inside the API method (ApiClient.callApi runs its promise executor
   * at once), so the options are picked up by exactly that request and cleared afterwards.
   */
  withCallOptions<T>(options: CallOptions, fn: () => T): T {
    const previous = this.pending;
    this.pending = options;
    try {
      return fn();
    } finally {
      this.pending = previous;
    }
  }

  onUnauthorized(listener: (e: UnauthorizedEvent) => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  /**
   * Resolves once no request of this client is on the wire, or after `maxMs` at the latest. Sign-out
   * revokes the token only after the page's last calls answered: a call that meets a revoked token
   * gets a 401 the user did not cause (and a page error the browser logs).
   */
  whenIdle(maxMs: number): Promise<void> {
    if (this.onWire === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.idleWaiters.delete(done);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      this.idleWaiters.add(done);
    });
  }

  /** While a login is checking a possibly stale token, a 401 is expected and not announced. */
  async muteUnauthorized<T>(fn: () => Promise<T>): Promise<T> {
    this.muted += 1;
    try {
      return await fn();
    } finally {
      this.muted -= 1;
    }
  }

  override request(options: HttpRequestOptions): Promise<AxiosResponseLike> {
    const call = this.pending ?? {};
    this.pending = undefined; // one request per SDK call
    const method = options.method.toUpperCase();
    const retry = call.retry ?? isIdempotentRequest(method, options.url);
    return this.run(options, method, call.signal, retry, this.gateFor(method, options.url), call.timeoutMs ?? this.timeout, call.onResponse);
  }

  /**
   * How a request passes the limiter. A sign-in must not sit out a long rate-limit pause
   * (checklist #6: "Sign in again" would stay disabled until the pause ends):
   * - `open`: the login host (the PKCE code exchange at `<login>/oauth/token`) is no API call of any
   *   token, so the token's budget and pauses do not apply;
   * - `skip-pause`: a login (muted) checks its NEW token with GET /api/v2/tokens/me while a pause
   *   longer than `maxAutoWaitMs` (180 s: the one a job pauses and asks about) holds everything:
   *   served at once, still counted in the window. A shorter pause is waited out like any other
   *   call (checklist #13): which limit a 429 came from (per token, or wider) cannot be told;
   * - `limited`: everything else.
   */
  private gateFor(method: string, url: string): 'open' | 'skip-pause' | 'limited' {
    if (!isPlatformApiUrl(url)) return 'open';
    const loginCheck = this.muted > 0 && method === 'GET' && /\/api\/v2\/tokens\/me$/.test(url.split('?')[0] ?? '');
    const pausedUntil = this.limiter.getState().pausedUntil;
    if (loginCheck && pausedUntil !== null && pausedUntil - this.clock.now() > this.maxAutoWaitMs) return 'skip-pause';
    return 'limited';
  }

  private async run(
    options: HttpRequestOptions,
    method: string,
    signal: AbortSignal | undefined,
    retry: boolean,
    gate: 'open' | 'skip-pause' | 'limited',
    timeoutMs: number,
    onResponse?: (seen: ResponseSeen) => void,
  ) {
    const ctx = { method, url: options.url };
    for (let attempt = 1; ; attempt++) {
      let release: () => void;
      try {
        release = gate === 'open' ? () => undefined : await this.limiter.acquire(signal, { ignorePause: gate === 'skip-pause' });
      } catch {
        // Aborted (or the limiter disposed) while queued: nothing left the browser.
        throw new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'The request was cancelled before it was sent.', sent: false, ...ctx });
      }

      let error: ApiError;
      try {
        this.onWire += 1;
        let response: AxiosResponseLike;
        try {
          response = await this.send(options, signal, ctx, timeoutMs, onResponse);
        } finally {
          this.onWire -= 1;
          if (this.onWire === 0) for (const wake of [...this.idleWaiters]) wake();
        }
        this.noteRateLimit(response.headers);
        if (gate !== 'open') this.throttled = 0;
        return response;
      } catch (e) {
        error = this.toError(e, ctx);
      } finally {
        release();
      }

      if (error.kind === 'http' && error.status === 401) {
        if (this.muted === 0 && isPlatformApiUrl(options.url)) {
          for (const l of this.unauthorizedListeners) l({ method, url: options.url, error });
        }
        throw error;
      }

      let waitMs = backoffMs(attempt, this.random);
      if (gate !== 'open' && error.kind === 'http') this.throttled = error.status === 429 ? this.throttled + 1 : 0;
      if (error.kind === 'http' && error.status === 429) {
        // The token is over its limit for every caller: the whole queue waits.
        waitMs = error.retryAfterMs ?? (gate === 'open' ? waitMs : backoffMs(Math.max(attempt, this.throttled), this.random));
        if (gate !== 'open') {
          this.limiter.pauseUntil(this.clock.now() + waitMs);
          if (gate === 'skip-pause') gate = 'limited'; // this token's own pause holds it
        }
      }

      if (!retry || attempt >= this.maxAttempts || !isRetryable(error)) throw error;
      if (error.status === 429 && gate !== 'open') {
        if (waitMs > this.maxAutoWaitMs) throw error;
        continue; // acquire() waits for the pause
      }
      await this.sleep(waitMs, signal, ctx);
    }
  }

  /**
   * One attempt with axios. The timeout is ours as well as axios': axios' XHR timeout depends on
   * the adapter (MSW's XHR interception never fires it), an AbortController works everywhere.
   * Wall-clock time on purpose (`timeoutClock`, default the wall clock): the injectable `clock`
   * only drives waits between attempts.
   */
  private send(
    options: HttpRequestOptions,
    signal: AbortSignal | undefined,
    ctx: { method: string; url: string },
    timeoutMs: number,
    onResponse?: (seen: ResponseSeen) => void,
  ): Promise<AxiosResponseLike> {
    const config = this.toAxiosConfig(options) as Record<string, unknown>;
    config.timeout = timeoutMs;
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = this.timeoutClock.setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, timeoutMs);
    const onAbort = () => ctrl.abort();
    if (signal?.aborted) ctrl.abort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    config.signal = ctrl.signal;
    const tell = (r: { status: number; headers: unknown } | undefined) => {
      if (!onResponse || !r || typeof r.status !== 'number') return;
      try {
        onResponse(responseSeen(r.status, r.headers));
      } catch {
        // an observer never changes the call's outcome
      }
    };
    const attempt: Promise<AxiosResponseLike> = this.transport
      ? sendWithFetch(this.transport, config as unknown as Parameters<typeof sendWithFetch>[1], ctrl.signal)
      : (this._axiosInstance as AxiosInstanceLike).request(config);
    return attempt
      .then((r) => {
        tell(r);
        return r;
      })
      .catch((e: unknown) => {
        tell((e as { response?: AxiosResponseLike } | null)?.response);
        if (timedOut) throw new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'The platform did not answer in time.', ...ctx });
        throw e;
      })
      .finally(() => {
        this.timeoutClock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });
  }

  private toError(e: unknown, ctx: { method: string; url: string }): ApiError {
    const r = (e as { response?: AxiosResponseLike } | null)?.response;
    if (r && typeof r.status === 'number') {
      this.noteRateLimit(r.headers);
      return fromHttpResponse(r.status, r.headers, r.data, { ...ctx, now: this.clock.now() });
    }
    return toApiError(e, ctx);
  }

  /**
   * When the platform says the token's count has reached its allowance (other tabs share it), hold
   * everything until its reset instead of walking into 429s. [M]: depends on CORS exposing them.
   */
  private noteRateLimit(headers: unknown): void {
    const rl = readRateLimitHeaders(headers);
    if (rl.count !== undefined && rl.allowed !== undefined && rl.resetMs !== undefined && rl.count >= rl.allowed) {
      this.limiter.pauseUntil(this.clock.now() + rl.resetMs);
    }
  }

  private sleep(ms: number, signal: AbortSignal | undefined, ctx: { method: string; url: string }): Promise<void> {
    return new Promise((resolve, reject) => {
      const abort = () => {
        this.clock.clearTimeout(handle);
        reject(new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'The request was cancelled.', sent: false, ...ctx }));
      };
      const handle = this.clock.setTimeout(() => {
        signal?.removeEventListener('abort', abort);
        resolve();
      }, ms);
      if (signal) {
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
      }
    });
  }
}
