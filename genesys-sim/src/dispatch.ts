/**
 * The sim's request pipeline without sockets: CORS, OAuth pages, /api/v2 (auth → limits → faults →
 * handler → latency), control API. The HTTP server (`server.ts`) and the in-process transport
 * (`in-process.ts`) both answer through `dispatch`, so tests that skip the network still meet the
 * same routes, rules, limits and faults. Waits (latency, slow faults) run on the state's clock.
 */
import { randomUUID } from 'node:crypto';
import { apiRoutes, errorReply, faultWriteEntry } from './api.ts';
import { controlRoutes } from './control.ts';
import { authRequired, badCredentials, errorBody, missingPermissions, notFound, refusal, tooManyRequests, type ApiError } from './errors.ts';
import {
  corsHeaders as corsFor,
  matchRoute,
  preflight,
  renderReply,
  routePermissions,
  type Ctx,
  type RenderedReply,
  type Reply,
  type Route,
  type SimIncoming,
} from './http.ts';
import { LOGIN_CSS, authorizeGet, authorizeLoginPost, logoutGet, tokenPost } from './oauth.ts';
import type { SimState } from './state.ts';

export interface SimRequest extends SimIncoming {
  method: string;
  /** Path and query, as in the request line (`/api/v2/...?...`). */
  url: string;
  /** The body as text; null when it was larger than MAX_BODY (413 on /api/v2). */
  body: string | null;
}

/**
 * What the sim does with the request: answer it, or one of the connection faults: `drop` (the
 * connection is destroyed before anything is processed) and `cut` (processed, a write applied, then
 * the connection is closed mid-response; see `server.ts` for why a few bytes are sent first).
 */
export type SimResponse = ({ kind: 'reply' } & RenderedReply) | { kind: 'drop' } | { kind: 'cut' };

export interface SimDispatcher {
  dispatch(req: SimRequest): Promise<SimResponse>;
  /** Cancels every pending wait (latency, slow faults): their requests are never answered. */
  close(): void;
}

export function createDispatcher(state: SimState): SimDispatcher {
  const api = apiRoutes();
  const control = controlRoutes({ reset: (o) => state.rebuild(o) });
  const timers = new Set<unknown>();
  const corsHeaders = (req: SimIncoming): Record<string, string> => corsFor(req, state.options.exposeRateHeaders);

  const sleep = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const t = state.clock.setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        });

  const reply = (r: Reply, extraHeaders: Record<string, string> = {}): SimResponse => {
    const withBody: Reply = r.apiError ? { ...r, json: errorBody(r.apiError) } : r;
    return { kind: 'reply', ...renderReply({ ...withBody, headers: { ...extraHeaders, ...(withBody.headers ?? {}) } }) };
  };

  async function handleApi(req: SimRequest, url: URL, now: number): Promise<SimResponse> {
    const method = req.method;
    const path = url.pathname;
    const baseHeaders: Record<string, string> = { ...corsHeaders(req), 'inin-correlation-id': randomUUID() };
    const bodyText = method === 'GET' || method === 'HEAD' ? '' : req.body;
    const authz = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authz)?.[1] ?? null;
    let userId: string | null = null;
    const log = (status: number, fault: string | null): void => state.logRequest(token, userId, { at: now, method, path, status, fault });
    const finish = async (r: Reply, fault: string | null = null, headers: Record<string, string> = {}): Promise<SimResponse> => {
      await sleep(state.options.latencyMs);
      log(r.status, fault);
      return reply(r, { ...baseHeaders, ...headers });
    };
    const fail = (e: ApiError, fault: string | null = null, headers: Record<string, string> = {}): Promise<SimResponse> =>
      finish(errorReply(e), fault, headers);

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
      // Thrown only when on, so that the seeds of older fault settings keep their dice.
      const refuseDie = faults.rateRefuse > 0 ? rng.next() : 1;
      // The dice are always thrown (the same stream with or without a cap); past maxFaults none hits.
      const capped = faults.maxFaults !== null && state.faultsInjected >= faults.maxFaults;
      if (capped) for (const k of Object.keys(dice) as (keyof typeof dice)[]) dice[k] = 1;
      const refuse = !capped && refuseDie < faults.rateRefuse;
      const hits = [
        dice.drop < faults.rateDrop,
        dice.r429 < faults.rate429,
        dice.r429ra < faults.rate429RetryAfter,
        dice.r5xx < faults.rate5xx,
        dice.r5xxEmpty < faults.rate5xxEmpty,
        refuse,
        dice.slow < faults.rateSlow,
        dice.lost < faults.rateLostResponse,
      ];
      if (hits.some(Boolean)) state.faultsInjected++;
      const faultWrite = (fault: string, status: number): void => {
        const base = faultWriteEntry(ctx, match.route);
        if (base) state.logWrite({ ...base, outcome: 'fault', status, errorCode: null, responseLost: false, fault });
      };
      if (dice.drop < faults.rateDrop) {
        faultWrite('drop', 0);
        log(0, 'drop');
        return { kind: 'drop' };
      }
      if (dice.r429 < faults.rate429) {
        faultWrite('429-no-retry-after', 429);
        return fail(tooManyRequests(rate.limit), '429-no-retry-after', rateHeaders);
      }
      if (dice.r429ra < faults.rate429RetryAfter) {
        faultWrite('429-retry-after', 429);
        const retryAfter =
          faults.retryAfterFormat === 'date' ? new Date(now + faults.retryAfterSeconds * 1000).toUTCString() : String(faults.retryAfterSeconds);
        return fail(tooManyRequests(rate.limit), '429-retry-after', { ...rateHeaders, 'Retry-After': retryAfter });
      }
      if (dice.r5xx < faults.rate5xx) {
        faultWrite('5xx', faults.status5xx);
        return fail(
          {
            status: faults.status5xx,
            code: faults.status5xx === 503 ? 'service.unavailable' : 'internal.server.error',
            message: 'The service is currently unavailable.',
          },
          '5xx',
          rateHeaders,
        );
      }
      if (dice.r5xxEmpty < faults.rate5xxEmpty) {
        faultWrite('5xx-empty', faults.status5xx);
        return finish({ status: faults.status5xx }, '5xx-empty', rateHeaders);
      }
      if (refuse) {
        faultWrite('refuse', faults.refuseStatus);
        return fail(refusal(faults.refuseStatus), 'refuse', rateHeaders);
      }
      const slow = dice.slow < faults.rateSlow;
      if (slow) await sleep(faults.slowMs);
      // A slow request is processed when its wait ends, at that time.
      const at = slow ? state.clock.now() : now;
      const handled = slow ? { ...ctx, now: at } : ctx;
      if (dice.lost < faults.rateLostResponse) {
        const r = await match.route.handler(handled);
        if (handled.writeLog) handled.writeLog.responseLost = true;
        await sleep(state.options.latencyMs);
        log(0, `lost-response(${r.status})`);
        return { kind: 'cut' };
      }
      const r = await match.route.handler(handled);
      return finish(r, slow ? 'slow' : null, rateHeaders);
    }
    const r = await match.route.handler(ctx);
    return finish(r, null, rateHeaders);
  }

  async function handleControl(req: SimRequest, url: URL, now: number): Promise<SimResponse> {
    const cors = corsHeaders(req);
    if (!state.options.control) return reply(errorReply(notFound()), cors);
    const method = req.method;
    const bodyText = method === 'GET' ? '' : (req.body ?? '');
    const match = matchRoute(control, method, url.pathname);
    if (!match) return reply(errorReply(notFound()), cors);
    const ctx: Ctx = { req, method, url, path: url.pathname, params: match.params, query: url.searchParams, bodyText, now, state };
    return reply(await match.route.handler(ctx), cors);
  }

  async function handleLogin(req: SimRequest, url: URL, now: number): Promise<SimResponse> {
    const method = req.method;
    const path = url.pathname;
    const bodyText = method === 'POST' ? (req.body ?? '') : '';
    const ctx: Ctx = { req, method, url, path, params: {}, query: url.searchParams, bodyText, now, state };
    if (method === 'POST' && path === '/login/oauth/token') {
      const r = tokenPost(ctx);
      await sleep(state.options.latencyMs);
      return reply(r, corsHeaders(req));
    }
    if (method === 'GET' && path === '/login/oauth/authorize') return reply(authorizeGet(ctx));
    if (method === 'POST' && path === '/login/oauth/authorize/login') return reply(authorizeLoginPost(ctx));
    if (method === 'GET' && path === '/login/logout') return reply(logoutGet(ctx));
    if (method === 'GET' && path === '/login/sim.css')
      return reply({ status: 200, text: LOGIN_CSS, contentType: 'text/css; charset=UTF-8', headers: { 'Cache-Control': 'max-age=3600' } });
    return reply({ status: 404, text: 'Not found' });
  }

  async function handle(req: SimRequest): Promise<SimResponse> {
    const now = state.clock.now();
    const url = new URL(req.url || '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method;
    state.tick(now);
    const isApi = path === '/api/v2' || path.startsWith('/api/v2/');
    const isControl = path.startsWith('/__sim/');
    const corsPath = isApi || isControl || path === '/login/oauth/token';
    if (method === 'OPTIONS') return reply(corsPath ? preflight(req, state.options.exposeRateHeaders) : { status: 204 });
    if (path === '/__sim/health' && (method === 'GET' || method === 'HEAD')) return reply({ status: 200, json: { ok: true } }, corsHeaders(req));
    if (path === '/favicon.ico') return reply({ status: 204 });
    if (isControl) return handleControl(req, url, now);
    if (path.startsWith('/login/')) return handleLogin(req, url, now);
    if (isApi) return handleApi(req, url, now);
    return reply(errorReply(notFound()), corsHeaders(req));
  }

  return {
    dispatch: (req) =>
      handle(req).catch((err: unknown) => {
        console.error('genesys-sim: internal error', err);
        return reply(errorReply({ status: 500, code: 'internal.server.error', message: 'The server encountered an unexpected error.' }), corsHeaders(req));
      }),
    close: () => {
      for (const t of timers) state.clock.clearTimeout(t);
      timers.clear();
    },
  };
}
