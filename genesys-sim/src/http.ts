/** Tiny HTTP plumbing: replies, routing by pattern, body reading, CORS. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from './errors.ts';
import type { SimUser } from './model.ts';
import type { SimState, TokenRecord } from './state.ts';

export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  json?: unknown;
  html?: string;
  text?: string;
  contentType?: string;
  /** Rendered as the platform's ErrorBody (fresh contextId) by the server. */
  apiError?: ApiError;
}

/**
 * What handlers may read of the request beyond the parsed fields: a node `IncomingMessage` satisfies
 * it, and so does the in-process request (`in-process.ts`, no socket: `localPort` undefined).
 */
export interface SimIncoming {
  headers: IncomingHttpHeaders;
  socket: { localPort?: number | undefined };
}

export interface Ctx {
  req: SimIncoming;
  method: string;
  url: URL;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  bodyText: string;
  now: number;
  state: SimState;
  auth?: { token: TokenRecord; user: SimUser };
  /** Set by write handlers so the pipeline can mark the entry when the response is lost. */
  writeLog?: { responseLost: boolean };
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: Handler;
  /** Wrap-up writes (fault scope 'writes', write log). */
  write?: boolean;
  /** Permission required (checked before the handler); a list = any one of them. */
  permission?: string | readonly string[];
  /** The caller needs no permission when this holds (e.g. reading its own participant). */
  permissionExempt?: (ctx: Ctx) => boolean;
}

export function route(
  method: string,
  pattern: string,
  handler: Handler,
  extra: { write?: boolean; permission?: string | readonly string[]; permissionExempt?: (ctx: Ctx) => boolean } = {},
): Route {
  const keys: string[] = [];
  const source = pattern
    .split('/')
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (m?.[1]) {
        keys.push(m[1]);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method, pattern, regex: new RegExp(`^${source}$`), keys, handler, ...extra };
}

/** The permissions a route asks for (any one of them), or null when it needs none. */
export function routePermissions(r: Route): readonly string[] | null {
  if (r.permission === undefined) return null;
  return typeof r.permission === 'string' ? [r.permission] : r.permission;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** First route whose pattern and method match; `pathMatched` tells whether only the method was wrong. */
export function matchRoute(routes: readonly Route[], method: string, path: string): Match | undefined {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    let ok = true;
    r.keys.forEach((k, i) => {
      try {
        params[k] = decodeURIComponent(m[i + 1] ?? '');
      } catch {
        ok = false;
      }
    });
    if (ok) return { route: r, params };
  }
  return undefined;
}

export const MAX_BODY = 1_048_576;

export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export const EXPOSE_HEADERS = 'Retry-After, inin-ratelimit-count, inin-ratelimit-allowed, inin-ratelimit-reset, inin-correlation-id';
/** With `exposeRateHeaders: false`: the rate headers may still be sent, but a browser cannot read them. */
export const EXPOSE_HEADERS_WITHOUT_RATE = 'inin-correlation-id';

export function corsHeaders(req: Pick<SimIncoming, 'headers'>, exposeRateHeaders = true): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Expose-Headers': exposeRateHeaders ? EXPOSE_HEADERS : EXPOSE_HEADERS_WITHOUT_RATE,
  };
}

export function preflight(req: Pick<SimIncoming, 'headers'>, exposeRateHeaders = true): Reply {
  const requested = req.headers['access-control-request-headers'];
  return {
    status: 204,
    headers: {
      ...corsHeaders(req, exposeRateHeaders),
      'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': typeof requested === 'string' && requested !== '' ? requested : 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    },
  };
}

/** A reply as bytes on the wire: status, headers (with Content-Type and Content-Length) and body text. */
export interface RenderedReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string | undefined;
}

export function renderReply(reply: Reply): RenderedReply {
  const headers: Record<string, string | string[]> = { ...(reply.headers ?? {}) };
  let body: string | undefined;
  if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers['Content-Type'] = 'application/json; charset=UTF-8';
  } else if (reply.html !== undefined) {
    body = reply.html;
    headers['Content-Type'] = 'text/html; charset=UTF-8';
  } else if (reply.text !== undefined) {
    body = reply.text;
    headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=UTF-8';
  }
  headers['Content-Length'] = String(body === undefined ? 0 : Buffer.byteLength(body));
  return { status: reply.status, headers, body };
}

export function send(res: ServerResponse, reply: RenderedReply): void {
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
