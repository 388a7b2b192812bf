/** The HTTP core: CORS, OAuth pages, /api/v2 pipeline (auth → limits → faults → handler → latency), control API, channel WebSockets. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { apiRoutes, errorReply, faultWriteEntry } from './api.ts';
import { controlRoutes } from './control.ts';
import { authRequired, badCredentials, errorBody, missingPermissions, notFound, tooManyRequests, type ApiError } from './errors.ts';
import { corsHeaders as corsFor, matchRoute, preflight, readBody, routePermissions, send, type Ctx, type Reply, type Route } from './http.ts';
import { LOGIN_CSS, authorizeGet, authorizeLoginPost, logoutGet, tokenPost } from './oauth.ts';
import type { SimState } from './state.ts';

export interface SimServer {
  server: Server;
  close(): Promise<void>;
}

export function createSimServer(state: SimState): SimServer {
  const api = apiRoutes();
  const control = controlRoutes({ reset: (o) => state.rebuild(o) });
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  const corsHeaders = (req: IncomingMessage): Record<string, string> => corsFor(req, state.options.exposeRateHeaders);

  const sleep = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        });

  const write = (res: ServerResponse, reply: Reply, extraHeaders: Record<string, string> = {}): void => {
    if (closing || res.destroyed || res.headersSent) return;
    const r: Reply = reply.apiError ? { ...reply, json: errorBody(reply.apiError) } : reply;
    send(res, { ...r, headers: { ...extraHeaders, ...(r.headers ?? {}) } });
  };

  const drop = (req: IncomingMessage, res: ServerResponse): void => {
    res.socket?.destroy();
    req.socket.destroy();
  };
  /**
   * A response lost after the server began answering: the first bytes of a status line, then the
   * connection closes. Closing with zero bytes would look to Chromium like a stale keep-alive
   * connection, and Chromium then resends the request (POST included) by itself on another
   * connection, up to twice: one lost-response fault would apply the write three times.
   */
  const cut = (req: IncomingMessage, res: ServerResponse): void => {
    const socket = res.socket;
    if (!socket) return drop(req, res);
    socket.end('HTTP/1.1 2', () => socket.destroy());
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, now: number): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const baseHeaders: Record<string, string> = { ...corsHeaders(req), 'inin-correlation-id': randomUUID() };
    const bodyText = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    const authz = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authz)?.[1] ?? null;
    let userId: string | null = null;
    const log = (status: number, fault: string | null): void => state.logRequest(token, userId, { at: now, method, path, status, fault });
    const finish = async (reply: Reply, fault: string | null = null, headers: Record<string, string> = {}): Promise<void> => {
      await sleep(state.options.latencyMs);
      log(reply.status, fault);
      write(res, reply, { ...baseHeaders, ...headers });
    };
    const fail = (e: ApiError, fault: string | null = null, headers: Record<string, string> = {}): Promise<void> => finish(errorReply(e), fault, headers);

    if (bodyText === null) return fail({ status: 413, code: 'request.entity.too.large', message: 'The request is too large.' });
    if (!token) return fail(authRequired());
    const match = matchRoute(api, method, path);
    const faults = state.options.faults;
    const inScope = (r: Route | undefined): boolean =>
      (faults.scope === 'all' || r?.write === true) && (faults.conversations === null || faults.conversations.some((id) => path.includes(`/${id}`)));

    if (faults.unauthorizedAfter !== null && inScope(match?.route)) {
      state.faultCalls++;
      if (state.faultCalls > faults.unauthorizedAfter) {
        const rec = state.tokens.get(token);
        if (rec) state.revokeToken(rec);
        state.options = { ...state.options, faults: { ...faults, unauthorizedAfter: null } };
        return fail(badCredentials(), '401-after-n');
      }
    }
    const rec = state.liveToken(token, now);
    if (!rec) return fail(badCredentials());
    const user = state.org.usersById.get(rec.userId);
    if (!user) return fail(badCredentials());
    userId = user.id;

    const rate = state.rateCheck(rec, now);
    const rateHeaders: Record<string, string> = {
      'inin-ratelimit-count': String(rate.count),
      'inin-ratelimit-allowed': String(rate.limit),
      'inin-ratelimit-reset': String(rate.resetSeconds),
    };
    if (!rate.allowed) return fail(tooManyRequests(rate.limit), null, { ...rateHeaders, 'Retry-After': String(rate.resetSeconds) });
    if (!match) return fail(notFound(), null, rateHeaders);
    const ctx: Ctx = { req, method, url, path, params: match.params, query: url.searchParams, bodyText, now, state, auth: { token: rec, user } };
    const needed = routePermissions(match.route);
    if (needed && !needed.some((p) => user.permissions.includes(p)) && !(match.route.permissionExempt?.(ctx) ?? false)) {
      return fail(missingPermissions(needed), null, rateHeaders);
    }

    if (inScope(match.route)) {
      const rng = state.faultRng;
      const dice = { drop: rng.next(), r429: rng.next(), r5xx: rng.next(), r5xxEmpty: rng.next(), slow: rng.next(), lost: rng.next(), r429ra: rng.next() };
      const faultWrite = (fault: string, status: number): void => {
        const base = faultWriteEntry(ctx, match.route);
        if (base) state.logWrite({ ...base, outcome: 'fault', status, errorCode: null, responseLost: false, fault });
      };
      if (dice.drop < faults.rateDrop) {
        faultWrite('drop', 0);
        log(0, 'drop');
        drop(req, res);
        return;
      }
      if (dice.r429 < faults.rate429) {
        faultWrite('429-no-retry-after', 429);
        return fail(tooManyRequests(rate.limit), '429-no-retry-after', rateHeaders);
      }
      if (dice.r429ra < faults.rate429RetryAfter) {
        faultWrite('429-retry-after', 429);
        const retryAfter = faults.retryAfterFormat === 'date' ? new Date(now + faults.retryAfterSeconds * 1000).toUTCString() : String(faults.retryAfterSeconds);
        return fail(tooManyRequests(rate.limit), '429-retry-after', { ...rateHeaders, 'Retry-After': retryAfter });
      }
      if (dice.r5xx < faults.rate5xx) {
        faultWrite('5xx', faults.status5xx);
        return fail({ status: faults.status5xx, code: faults.status5xx === 503 ? 'service.unavailable' : 'internal.server.error', message: 'The service is currently unavailable.' }, '5xx', rateHeaders);
      }
      if (dice.r5xxEmpty < faults.rate5xxEmpty) {
        faultWrite('5xx-empty', faults.status5xx);
        return finish({ status: faults.status5xx }, '5xx-empty', rateHeaders);
      }
      if (dice.slow < faults.rateSlow) await sleep(faults.slowMs);
      if (dice.lost < faults.rateLostResponse) {
        const reply = await match.route.handler(ctx);
        if (ctx.writeLog) ctx.writeLog.responseLost = true;
        await sleep(state.options.latencyMs);
        log(0, `lost-response(${reply.status})`);
        cut(req, res);
        return;
      }
      const reply = await match.route.handler(ctx);
      return finish(reply, dice.slow < faults.rateSlow ? 'slow' : null, rateHeaders);
    }
    const reply = await match.route.handler(ctx);
    return finish(reply, null, rateHeaders);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, now: number): Promise<void> {
    const cors = corsHeaders(req);
    if (!state.options.control) return write(res, errorReply(notFound()), cors);
    const method = req.method ?? 'GET';
    const bodyText = method === 'GET' ? '' : ((await readBody(req)) ?? '');
    const match = matchRoute(control, method, url.pathname);
    if (!match) return write(res, errorReply(notFound()), cors);
    const ctx: Ctx = { req, method, url, path: url.pathname, params: match.params, query: url.searchParams, bodyText, now, state };
    write(res, await match.route.handler(ctx), cors);
  }

  async function handleLogin(req: IncomingMessage, res: ServerResponse, url: URL, now: number): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const bodyText = method === 'POST' ? ((await readBody(req)) ?? '') : '';
    const ctx: Ctx = { req, method, url, path, params: {}, query: url.searchParams, bodyText, now, state };
    if (method === 'POST' && path === '/login/oauth/token') {
      const reply = tokenPost(ctx);
      await sleep(state.options.latencyMs);
      return write(res, reply, corsHeaders(req));
    }
    if (method === 'GET' && path === '/login/oauth/authorize') return write(res, authorizeGet(ctx));
    if (method === 'POST' && path === '/login/oauth/authorize/login') return write(res, authorizeLoginPost(ctx));
    if (method === 'GET' && path === '/login/logout') return write(res, logoutGet(ctx));
    if (method === 'GET' && path === '/login/sim.css') return write(res, { status: 200, text: LOGIN_CSS, contentType: 'text/css; charset=UTF-8', headers: { 'Cache-Control': 'max-age=3600' } });
    return write(res, { status: 404, text: 'Not found' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const now = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    state.tick(now);
    const isApi = path === '/api/v2' || path.startsWith('/api/v2/');
    const isControl = path.startsWith('/__sim/');
    const corsPath = isApi || isControl || path === '/login/oauth/token';
    if (method === 'OPTIONS') return write(res, corsPath ? preflight(req, state.options.exposeRateHeaders) : { status: 204 });
    if (path === '/__sim/health' && (method === 'GET' || method === 'HEAD')) return write(res, { status: 200, json: { ok: true } }, corsHeaders(req));
    if (path === '/favicon.ico') return write(res, { status: 204 });
    if (isControl) return handleControl(req, res, url, now);
    if (path.startsWith('/login/')) return handleLogin(req, res, url, now);
    if (isApi) return handleApi(req, res, url, now);
    return write(res, errorReply(notFound()), corsHeaders(req));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('genesys-sim: internal error', err);
      write(res, errorReply({ status: 500, code: 'internal.server.error', message: 'The server encountered an unexpected error.' }), corsHeaders(req));
    });
  });
  server.keepAliveTimeout = 5000;
  // Notification channels: `GET /channels/{id}` with `Upgrade: websocket` (anything else upgraded is refused with 404).
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => state.notifications.upgrade(req, socket, head));

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        state.notifications.shutdown();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
