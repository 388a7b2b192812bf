/**
 * One error type for every platform failure (house-style practice 2).
 *
 * The SDK rejects in several shapes (genesys-platform.md §6, checked in ApiClient.js v262):
 * - the parsed `ErrorBody` of a failed response;
 * - `undefined` when the failed response had an empty body (status lost);
 * - a plain string: a non-JSON body (HTML from a proxy), or — thrown synchronously — "Missing the
 *   required parameter ..." for a missing argument;
 * - an `AxiosError` without `response` for network, CORS, timeout and abort;
 * - `{status, headers, body, ...}` when `setReturnExtendedResponses(true)` is on.
 *
 * We do NOT turn on extended responses: it also changes the shape of every success (the typings
 * don't say so). Instead our HTTP client (http-client.ts) sees the raw response, builds the
 * ApiError with status and headers itself, and the SDK passes it through untouched (its catch
 * only rewrites errors that carry a `response`). `toApiError` still accepts every shape.
 */
import type { Models } from 'purecloud-platform-client-v2';

export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'usage' | 'aborted';

export interface ApiErrorInit {
  kind: ApiErrorKind;
  /** HTTP status; 0 when there was no response or the SDK lost it. */
  status: number;
  /** The platform's error code (`bad.request`, `not.authorized`, ...) or one of ours (`network`, `timeout`, ...). */
  code: string;
  message: string;
  contextId?: string;
  retryAfterMs?: number;
  details?: Models.Detail[];
  body?: Models.ErrorBody;
  /** HTTP method and URL of the request, when known. */
  method?: string;
  url?: string;
  /** False when we know the request never left the browser (aborted while queued, argument missing). */
  sent?: boolean;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly code: string;
  readonly contextId?: string;
  readonly retryAfterMs?: number;
  readonly details?: Models.Detail[];
  readonly body?: Models.ErrorBody;
  readonly method?: string;
  readonly url?: string;
  readonly sent: boolean;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.sent = init.sent ?? init.kind !== 'usage';
    // Optional fields are only set when known, so `toEqual`/spread copies stay clean.
    if (init.contextId !== undefined) this.contextId = init.contextId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.details !== undefined) this.details = init.details;
    if (init.body !== undefined) this.body = init.body;
    if (init.method !== undefined) this.method = init.method.toUpperCase();
    if (init.url !== undefined) this.url = init.url;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

// ---------------------------------------------------------------------------------------------
// Headers

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}

/** Reads a header from axios' AxiosHeaders, a plain object or a Fetch `Headers`, case-insensitively. */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const lower = name.toLowerCase();
  const h = headers as { get?: unknown } & Record<string, unknown>;
  if (typeof h.get === 'function') {
    const v: unknown = (h.get as (n: string) => unknown).call(headers, name);
    if (v !== undefined && v !== null && v !== false) return str(v);
  }
  for (const key of Object.keys(h)) {
    if (key.toLowerCase() === lower) {
      const v = h[key];
      if (Array.isArray(v)) return v.length ? str(v[0]) : undefined;
      if (v !== undefined && v !== null) return str(v);
    }
  }
  return undefined;
}

/**
 * `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds
 * from `now`, never negative; undefined when absent or unparseable. [M]: which form Genesys sends.
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (/^-\d/.test(v)) return 0;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** `inin-ratelimit-reset`: seconds until the token's window resets [M: unit per Genesys docs]. */
export function parseRateLimitReset(value: string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (!/^\d+(\.\d+)?$/.test(v)) return undefined;
  return Math.round(Number(v) * 1000);
}

export interface RateLimitHeaders {
  count?: number;
  allowed?: number;
  resetMs?: number;
}

/** `inin-ratelimit-count/allowed/reset` [H that they exist; M whether CORS lets the browser read them]. */
export function readRateLimitHeaders(headers: unknown): RateLimitHeaders {
  const int = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s.trim()) ? Number(s.trim()) : undefined);
  const out: RateLimitHeaders = {};
  const count = int(readHeader(headers, 'inin-ratelimit-count'));
  const allowed = int(readHeader(headers, 'inin-ratelimit-allowed'));
  const resetMs = parseRateLimitReset(readHeader(headers, 'inin-ratelimit-reset'));
  if (count !== undefined) out.count = count;
  if (allowed !== undefined) out.allowed = allowed;
  if (resetMs !== undefined) out.resetMs = resetMs;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

export interface ErrorContext {
  method?: string;
  url?: string;
  now?: number;
}

const USAGE_PREFIX = 'Missing the required parameter';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function asErrorBody(v: unknown): Models.ErrorBody | undefined {
  if (!isObject(v)) return undefined;
  if (typeof v.message === 'string' || typeof v.code === 'string' || typeof v.contextId === 'string') return v;
  return undefined;
}

/** Builds the ApiError for an HTTP response that failed (status >= 400). */
export function fromHttpResponse(status: number, headers: unknown, data: unknown, ctx: ErrorContext = {}): ApiError {
  let parsed: unknown = data;
  if (typeof data === 'string' && data.trim().startsWith('{')) {
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = data;
    }
  }
  const body = asErrorBody(parsed);
  const now = ctx.now ?? Date.now();
  let retryAfterMs = parseRetryAfter(readHeader(headers, 'retry-after'), now);
  if (retryAfterMs === undefined && status === 429) {
    // The reset of the token's window explains a 429 only when the token's count is used up (or the
    // count is not readable): a 429 under the count came from another limit, so back off instead.
    const rl = readRateLimitHeaders(headers);
    const exhausted = rl.count === undefined || rl.allowed === undefined || rl.count >= rl.allowed;
    if (exhausted) retryAfterMs = rl.resetMs;
  }
  const text = typeof parsed === 'string' && parsed.trim() !== '' ? parsed.trim().slice(0, 200) : undefined;
  return new ApiError({
    kind: 'http',
    status,
    code: body?.code ?? (status === 429 ? 'too.many.requests' : `http.${status}`),
    message: body?.message ?? text ?? `The platform answered ${status} without an explanation.`,
    contextId: body?.contextId ?? readHeader(headers, 'inin-correlation-id'),
    retryAfterMs,
    details: body?.details,
    body,
    method: ctx.method,
    url: ctx.url,
  });
}

interface AxiosLikeError {
  isAxiosError: true;
  code?: string;
  message: string;
  config?: { method?: string; url?: string };
  response?: { status: number; headers?: unknown; data?: unknown };
}

function isAxiosLike(e: unknown): e is AxiosLikeError {
  return isObject(e) && e.isAxiosError === true;
}

function isAbortLike(e: unknown): boolean {
  return isObject(e) && (e.name === 'AbortError' || e.name === 'CanceledError' || e.code === 'ERR_CANCELED');
}

/**
 * Normalises anything the SDK (or our HTTP client) can reject or throw with into an ApiError.
 * Idempotent: an ApiError comes back as is.
 */
export function toApiError(e: unknown, ctx: ErrorContext = {}): ApiError {
  if (e instanceof ApiError) return e;

  if (isAxiosLike(e)) {
    const c = { ...ctx, method: ctx.method ?? e.config?.method, url: ctx.url ?? e.config?.url };
    if (e.response) return fromHttpResponse(e.response.status, e.response.headers, e.response.data, c);
    if (e.code === 'ERR_CANCELED') return new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'The request was cancelled.', ...c });
    if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT')
      return new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'The platform did not answer in time.', ...c });
    return new ApiError({
      kind: 'network',
      status: 0,
      code: 'network',
      message: 'The platform could not be reached (network or CORS failure).',
      ...c,
    });
  }

  if (isAbortLike(e)) return new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'The request was cancelled.', ...ctx });

  if (typeof e === 'string') {
    if (e.startsWith(USAGE_PREFIX)) return new ApiError({ kind: 'usage', status: 0, code: 'usage', message: e, sent: false, ...ctx });
    // A non-JSON error body (e.g. an HTML page from a proxy); the status was lost by the SDK.
    return new ApiError({ kind: 'http', status: 0, code: 'http.unknown', message: e.trim().slice(0, 200) || 'Empty error response.', ...ctx });
  }

  if (e === undefined || e === null || e === '')
    return new ApiError({
      kind: 'http',
      status: 0,
      code: 'http.empty',
      message: 'The platform returned an error without a body.',
      ...ctx,
    });

  if (isObject(e)) {
    // Extended response: {status, statusText, headers, body, text, error}.
    if (typeof e.status === 'number' && 'headers' in e && 'body' in e) return fromHttpResponse(e.status, e.headers, e.body, ctx);
    const body = asErrorBody(e);
    if (body && !(e instanceof Error)) {
      const status = typeof body.status === 'number' ? body.status : 0;
      return fromHttpResponse(status, undefined, body, ctx);
    }
  }

  const message = e instanceof Error ? e.message : str(e);
  return new ApiError({ kind: 'usage', status: 0, code: 'unexpected', message, sent: false, ...ctx });
}

// ---------------------------------------------------------------------------------------------
// Classification (reliability-checklist #15–17)

const FINAL_STATUSES = new Set([400, 403, 404, 422]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Final: retrying cannot help (400/403/404/422, or a programming error). 401 is not final: sign in again. */
export function isFinal(err: ApiError): boolean {
  return err.kind === 'usage' || (err.kind === 'http' && FINAL_STATUSES.has(err.status));
}

/**
 * The failure is transient (429, 408, 5xx, network, timeout). For a non-idempotent write this does
 * NOT mean "send again": check `isUnknownOutcome` first and re-read.
 */
export function isRetryable(err: ApiError): boolean {
  if (err.kind === 'network' || err.kind === 'timeout') return true;
  if (err.kind !== 'http') return false;
  return err.status === 429 || err.status === 408 || err.status >= 500;
}

export function isUnauthorized(err: ApiError): boolean {
  return err.kind === 'http' && err.status === 401;
}

/**
 * The request may have been applied although we saw no success: timeout, dropped connection,
 * cancelled in flight, a gateway timeout, a 5xx without a platform error body, or an error whose
 * status the SDK lost. Only meaningful for writes: a safe method (GET) never returns true.
 * After an unknown outcome the caller re-reads before any retry (genesys-platform.md §1).
 */
export function isUnknownOutcome(err: ApiError): boolean {
  if (err.method && SAFE_METHODS.has(err.method)) return false;
  if (!err.sent) return false;
  switch (err.kind) {
    case 'timeout':
    case 'network':
    case 'aborted':
      return true;
    case 'usage':
      return false;
    case 'http':
      if (err.status === 0) return true;
      if (err.status === 504) return true;
      return err.status >= 500 && !err.body?.code;
  }
}
