/**
 * The simulated org without a socket: `createInProcessSim()` builds the same state and answers
 * requests through the same pipeline as the HTTP server (`dispatch.ts`), on a clock the caller
 * chooses. Unit tests give it their virtual clock and hand its `fetch` to the app's HTTP client, so
 * the app's real retry and rate-limit code meets the sim's real rules, limits and faults, in virtual
 * time. Connection faults (`drop`, lost responses) reject like a failed `fetch` does.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { systemClock, type SimClock } from './clock.ts';
import { createDispatcher, type SimResponse } from './dispatch.ts';
import { defaultOptions, mergeOptions, type FaultOptions, type SimOptions } from './options.ts';
import { SimState, type TokenRecord } from './state.ts';

/** Options for an in-process sim: any SimOptions, faults given partially (like `startSim`). */
export type InProcessOptions = Partial<Omit<SimOptions, 'faults'>> & { faults?: Partial<FaultOptions> };

/** The part of `fetch`'s init this transport reads. */
export interface InProcessInit {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: string | null;
  signal?: AbortSignal | null;
}

export interface InProcessSim {
  /** A base URL to point clients at (never resolved: only the path and query reach the sim). */
  readonly url: string;
  readonly state: SimState;
  readonly options: SimOptions;
  /** One request through the sim's pipeline. */
  dispatch(req: { method: string; url: string; headers?: Record<string, string>; body?: string }): Promise<SimResponse>;
  /** `fetch` over `dispatch`: a Response, or a TypeError for a dropped or cut connection. A plain function (hand it on as is). */
  fetch: (url: string, init?: InProcessInit) => Promise<Response>;
  reset(options?: InProcessOptions): void;
  setFaults(faults: Partial<FaultOptions>): void;
  mintToken(email: string, ttlSeconds?: number, clientId?: string): string;
  tokenRecord(token: string): TokenRecord | undefined;
  /** Cancels pending waits and notification timers. */
  close(): void;
}

/** The control helpers `startSim` and `createInProcessSim` share (the same as the control API's). */
export function simControls(state: SimState) {
  return {
    reset(next: InProcessOptions = {}) {
      state.rebuild(mergeOptions({ ...state.options }, next));
    },
    setFaults(faults: Partial<FaultOptions>) {
      state.setFaults({ ...state.options.faults, ...faults });
    },
    mintToken(email: string, ttlSeconds?: number, clientId = 'wrapup-desk-demo') {
      const user = state.userByEmail(email);
      if (!user) throw new Error(`no user ${email} in the simulated org`);
      return state.mintToken(user, clientId, 'control', state.clock.now(), ttlSeconds === undefined ? {} : { ttlSeconds }).token;
    },
    tokenRecord(token: string) {
      return state.tokens.get(token);
    },
  };
}

function lowerHeaders(h: InProcessInit['headers']): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  if (!h) return out;
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** Statuses whose Response may not carry a body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

export function createInProcessSim(options: InProcessOptions = {}, clock: SimClock = systemClock): InProcessSim {
  const opts = mergeOptions({ ...defaultOptions, port: 0 }, options);
  const state = new SimState(opts, clock);
  const dispatcher = createDispatcher(state);
  const dispatch: InProcessSim['dispatch'] = (req) =>
    dispatcher.dispatch({
      method: req.method.toUpperCase(),
      url: req.url,
      headers: lowerHeaders(req.headers),
      body: req.body ?? '',
      socket: { localPort: undefined },
    });

  const fetchLike = (url: string, init: InProcessInit = {}): Promise<Response> => {
    const u = new URL(url, 'http://in-process.sim');
    const signal = init.signal ?? undefined;
    const aborted = () => (signal?.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError'));
    if (signal?.aborted) return Promise.reject(aborted());
    const answer = dispatcher
      .dispatch({
        method: (init.method ?? 'GET').toUpperCase(),
        url: `${u.pathname}${u.search}`,
        headers: lowerHeaders(init.headers),
        body: init.body ?? '',
        socket: { localPort: undefined },
      })
      .then((r) => {
        if (r.kind !== 'reply') throw new TypeError(`fetch failed (the sim ${r.kind === 'drop' ? 'dropped the connection' : 'cut the response'})`);
        const headers = new Headers();
        for (const [k, v] of Object.entries(r.headers)) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
        return new Response(NULL_BODY.has(r.status) ? null : (r.body ?? ''), { status: r.status, headers });
      });
    if (!signal) return answer;
    // Like a real server, the sim goes on processing an aborted request; only the caller stops waiting.
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(aborted());
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };

  return {
    url: 'http://in-process.sim',
    get state() {
      return state;
    },
    get options() {
      return state.options;
    },
    dispatch,
    fetch: fetchLike,
    ...simControls(state),
    close: () => {
      dispatcher.close();
      state.notifications.shutdown();
    },
  };
}
