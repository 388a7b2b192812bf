import { delay, http, HttpResponse } from 'msw';
import { ApiError, isUnknownOutcome } from './api-error.ts';
import { configureClient, getPlatform, getRateLimiter, onUnauthorized, resetClientForTests, setAccessToken } from './client.ts';
import { backoffMs, isIdempotentRequest } from './http-client.ts';
import { getConversation, getMe, getTokenMe, postCommunicationWrapup, queryConversationDetails } from './api.ts';
import { RateLimiter } from './rate-limiter.ts';
import { instantClock, recordingServer, SIM } from './test-support.ts';

const rec = recordingServer();
const { server, seen } = rec;
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let t: ReturnType<typeof instantClock>;
beforeEach(() => {
  seen.length = 0;
  t = instantClock();
  rec.useClock(t.now);
  configureClient({ kind: 'sim', baseUrl: SIM }, { clock: t.clock, random: () => 0, limiterOptions: { clock: t.clock } });
  setAccessToken('tok');
});
afterEach(() => {
  server.resetHandlers();
  resetClientForTests();
});

const CONV = `${SIM}/api/v2/conversations/c1`;
const WRAPUP = `${SIM}/api/v2/conversations/calls/c1/participants/p1/communications/m1/wrapup`;
const QUERY = `${SIM}/api/v2/analytics/conversations/details/query`;
const write = () => postCommunicationWrapup('calls', 'c1', 'p1', 'm1', { code: 'w1' });

function sequence(...responses: (() => Response | Promise<Response>)[]) {
  let i = 0;
  return () => {
    const r = responses[Math.min(i, responses.length - 1)]!;
    i += 1;
    return r();
  };
}

const err = (status: number, body?: object, headers?: Record<string, string>) => () =>
  body ? HttpResponse.json(body, { status, headers }) : new HttpResponse(null, { status, headers });

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected a rejection');
}

describe('policy helpers', () => {
  it('backs off 1 s doubling, capped at 60 s, with up to +50% jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffMs(a, () => 0))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(backoffMs(1, () => 1)).toBe(1500);
    expect(backoffMs(7, () => 1)).toBe(60000);
  });

  it('treats GETs and the analytics query as idempotent, every other write not', () => {
    expect(isIdempotentRequest('GET', CONV)).toBe(true);
    expect(isIdempotentRequest('post', `${QUERY}?x=1`)).toBe(true);
    expect(isIdempotentRequest('POST', WRAPUP)).toBe(false);
    expect(isIdempotentRequest('PATCH', `${SIM}/api/v2/conversations/calls/c1/participants/p1`)).toBe(false);
    expect(isIdempotentRequest('POST', `${SIM}/api/v2/analytics/conversations/details/jobs`)).toBe(false);
    expect(isIdempotentRequest('DELETE', `${SIM}/api/v2/tokens/me`)).toBe(false);
  });
});

describe('PlatformHttpClient through the real SDK (MSW, jsdom XHR adapter)', () => {
  it('returns the body and sends the bearer token', async () => {
    server.use(http.get(CONV, () => HttpResponse.json({ id: 'c1', participants: [] })));
    await expect(getConversation('c1')).resolves.toEqual({ id: 'c1', participants: [] });
    expect(seen[0]?.auth).toBe('Bearer tok');
  });

  it('keeps status, code, contextId and Retry-After that the SDK alone would drop', async () => {
    server.use(http.get(CONV, err(404, { message: 'Not here', code: 'not.found', status: 404, contextId: 'ctx-9' })));
    const e = await rejection(getConversation('c1'));
    expect(e).toMatchObject({ kind: 'http', status: 404, code: 'not.found', message: 'Not here', contextId: 'ctx-9', method: 'GET' });
    expect(seen).toHaveLength(1); // final: not retried
  });

  it('reports an empty error body with its status', async () => {
    server.use(http.get(CONV, err(403)));
    expect(await rejection(getConversation('c1'))).toMatchObject({ kind: 'http', status: 403, code: 'http.403' });
  });

  it('retries a GET on 5xx with backoff, then succeeds', async () => {
    server.use(
      http.get(
        CONV,
        sequence(err(503), err(502), () => HttpResponse.json({ id: 'c1' })),
      ),
    );
    await expect(getConversation('c1')).resolves.toEqual({ id: 'c1' });
    expect(seen).toHaveLength(3);
    expect(t.delays).toEqual([1000, 2000]);
  });

  it('gives up after 4 attempts', async () => {
    server.use(http.get(CONV, err(500, { message: 'boom', code: 'internal.server.error' })));
    expect(await rejection(getConversation('c1'))).toMatchObject({ status: 500 });
    expect(seen).toHaveLength(4);
  });

  it('on 429 pauses the whole limiter for Retry-After seconds, then retries', async () => {
    server.use(
      http.get(
        CONV,
        sequence(err(429, { message: 'slow', code: 'too.many.requests' }, { 'Retry-After': '7' }), () => HttpResponse.json({ id: 'c1' })),
      ),
    );
    await expect(getConversation('c1')).resolves.toEqual({ id: 'c1' });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(7000);
  });

  it('on 429 honours Retry-After as an HTTP date', async () => {
    const until = new Date(t.now() + 5000).toUTCString();
    server.use(
      http.get(
        CONV,
        sequence(err(429, undefined, { 'Retry-After': until }), () => HttpResponse.json({ id: 'c1' })),
      ),
    );
    await getConversation('c1');
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(5000);
  });

  it('on 429 without Retry-After backs off from 1 s, pausing everyone', async () => {
    server.use(
      http.get(
        CONV,
        sequence(err(429), err(429), () => HttpResponse.json({ id: 'c1' })),
      ),
    );
    await getConversation('c1');
    expect(seen.map((s) => s.at - seen[0]!.at)).toEqual([0, 1000, 3000]);
  });

  it('429s without Retry-After in a row, even on writes that are never retried, pause everyone 1 s, 2 s, 4 s; an answer ends the series', async () => {
    server.use(
      http.post(
        WRAPUP,
        sequence(err(429), err(429), err(429), () => new HttpResponse(null, { status: 202 }), err(429)),
      ),
    );
    const pauses: number[] = [];
    for (let i = 0; i < 5; i++) {
      await write().catch(() => undefined);
      pauses.push((getRateLimiter().getState().pausedUntil ?? t.now()) - t.now());
    }
    expect(pauses).toEqual([1000, 2000, 4000, 0, 1000]);
    expect(seen.map((s) => s.at - seen[0]!.at)).toEqual([0, 1000, 3000, 7000, 7000]);
  });

  it('does not wait out a Retry-After over 180 s: rejects and leaves the limiter paused', async () => {
    server.use(http.get(CONV, err(429, undefined, { 'Retry-After': '600' })));
    const e = await rejection(getConversation('c1'));
    expect(e).toMatchObject({ status: 429, retryAfterMs: 600_000 });
    expect(seen).toHaveLength(1);
    expect(getRateLimiter().getState().pausedUntil).toBe(t.now() + 600_000);
  });

  it("a login's token check skips an earlier pause, but waits out a 429 of its own", async () => {
    getRateLimiter().pauseUntil(t.now() + 400_000);
    const TOKEN = `${SIM}/api/v2/tokens/me`;
    server.use(
      http.get(
        TOKEN,
        sequence(err(429, undefined, { 'Retry-After': '3' }), () => HttpResponse.json({ organization: { id: 'o' } })),
      ),
    );
    const { getPlatform } = await import('./client.ts');
    const start = t.now();
    await expect(getPlatform().http.muteUnauthorized(() => getTokenMe())).resolves.toMatchObject({ organization: { id: 'o' } });
    expect(seen.map((s) => s.at - start)).toEqual([0, 400_000]);
  });

  it("a login's token check waits out a pause of up to 180 s like every call", async () => {
    getRateLimiter().pauseUntil(t.now() + 5_000);
    server.use(http.get(`${SIM}/api/v2/tokens/me`, () => HttpResponse.json({})));
    const { getPlatform } = await import('./client.ts');
    const start = t.now();
    await getPlatform().http.muteUnauthorized(() => getTokenMe());
    expect(seen[0]!.at - start).toBe(5_000);
  });

  it('outside a login the token check waits for the pause like every call', async () => {
    getRateLimiter().pauseUntil(t.now() + 5_000);
    server.use(http.get(`${SIM}/api/v2/tokens/me`, () => HttpResponse.json({})));
    const start = t.now();
    await getTokenMe();
    expect(seen[0]!.at - start).toBe(5_000);
  });

  it('retries the analytics details query (a read sent as POST)', async () => {
    server.use(
      http.post(
        QUERY,
        sequence(err(503), () => HttpResponse.json({ totalHits: 0 })),
      ),
    );
    await expect(queryConversationDetails({ interval: 'a/b' })).resolves.toEqual({ totalHits: 0 });
    expect(seen.map((s) => s.method)).toEqual(['POST', 'POST']);
  });

  it('never retries the wrap-up write: a 503 without body is an unknown outcome', async () => {
    server.use(http.post(WRAPUP, err(503)));
    const e = await rejection(write());
    expect(seen).toHaveLength(1);
    expect(e).toMatchObject({ status: 503, method: 'POST' });
    expect(isUnknownOutcome(e)).toBe(true);
  });

  it('never retries the wrap-up write on 429, but pauses the limiter for everyone', async () => {
    server.use(http.post(WRAPUP, err(429, undefined, { 'Retry-After': '30' })));
    const e = await rejection(write());
    expect(seen).toHaveLength(1);
    expect(e.retryAfterMs).toBe(30_000);
    expect(getRateLimiter().getState().pausedUntil).toBe(t.now() + 30_000);
    expect(isUnknownOutcome(e)).toBe(false);
  });

  it('a network failure: GET retried, write not retried and marked unknown', async () => {
    server.use(
      http.get(
        CONV,
        sequence(
          () => HttpResponse.error(),
          () => HttpResponse.json({ id: 'c1' }),
        ),
      ),
    );
    await expect(getConversation('c1')).resolves.toEqual({ id: 'c1' });
    server.use(http.post(WRAPUP, () => HttpResponse.error()));
    seen.length = 0;
    const e = await rejection(write());
    expect(e.kind).toBe('network');
    expect(seen).toHaveLength(1);
    expect(isUnknownOutcome(e)).toBe(true);
  });

  it('a timeout on the write is an unknown outcome, sent once', async () => {
    configureClient({ kind: 'sim', baseUrl: SIM }, { timeoutMs: 50, clock: t.clock, limiterOptions: { clock: t.clock } });
    setAccessToken('tok');
    server.use(http.post(WRAPUP, async () => (await delay('infinite'), new HttpResponse(null))));
    const e = await rejection(write());
    expect(e.kind).toBe('timeout');
    expect(isUnknownOutcome(e)).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('on 401 tells the listeners once and rejects without retrying', async () => {
    const events: number[] = [];
    onUnauthorized((ev) => events.push(ev.error.status));
    server.use(http.get(`${SIM}/api/v2/users/me`, err(401, { message: 'expired', code: 'bad.credentials', status: 401 })));
    const e = await rejection(getMe());
    expect(e).toMatchObject({ status: 401, code: 'bad.credentials' });
    expect(events).toEqual([401]);
    expect(seen).toHaveLength(1);
  });

  it('a call cancelled while queued never reaches the network', async () => {
    const limiter = new RateLimiter({ budgetPerMinute: 1, clock: t.clock });
    configureClient({ kind: 'sim', baseUrl: SIM }, { limiter, clock: t.clock });
    setAccessToken('tok');
    server.use(http.get(CONV, () => HttpResponse.json({ id: 'c1' })));
    await getConversation('c1');
    const ctrl = new AbortController();
    const p = getConversation('c1', { signal: ctrl.signal });
    await Promise.resolve();
    expect(limiter.getState().queued).toBe(1);
    ctrl.abort();
    expect(await rejection(p)).toMatchObject({ kind: 'aborted', sent: false });
    expect(seen).toHaveLength(1);
  });

  it('a write cancelled in flight is an unknown outcome (it may have been applied)', async () => {
    server.use(http.post(WRAPUP, async () => (await delay('infinite'), new HttpResponse(null))));
    const ctrl = new AbortController();
    const p = postCommunicationWrapup('calls', 'c1', 'p1', 'm1', { code: 'w1' }, { signal: ctrl.signal });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    ctrl.abort();
    const e = await rejection(p);
    expect(e).toMatchObject({ kind: 'aborted', sent: true });
    expect(isUnknownOutcome(e)).toBe(true);
  });

  it('rejects a missing argument as a usage error without a request', async () => {
    expect(await rejection(getConversation(''))).toMatchObject({ kind: 'usage', sent: false });
    expect(seen).toHaveLength(0);
  });

  it('counts every attempt against the shared budget', async () => {
    server.use(
      http.get(
        CONV,
        sequence(err(503), () => HttpResponse.json({ id: 'c1' })),
      ),
    );
    server.use(http.post(WRAPUP, () => new HttpResponse(null, { status: 202 })));
    await getConversation('c1');
    await write();
    expect(getRateLimiter().getState().sentInWindow).toBe(3);
  });

  it('holds everything when inin-ratelimit-count reaches the allowance', async () => {
    server.use(
      http.get(CONV, () =>
        HttpResponse.json({ id: 'c1' }, { headers: { 'inin-ratelimit-count': '300', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '12' } }),
      ),
    );
    await getConversation('c1');
    expect(getRateLimiter().getState().pausedUntil).toBe(t.now() + 12_000);
  });
});

describe('whenIdle: sign-out waits for the calls on the wire', () => {
  it('resolves only once the request on the wire has answered; at once when none is', async () => {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let arrived = false;
    server.use(
      http.get(`${SIM}/api/v2/users/me`, async () => {
        arrived = true;
        await answered;
        return HttpResponse.json({ id: 'u1' });
      }),
    );
    const call = getMe();
    await vi.waitFor(() => expect(arrived).toBe(true));
    let idle = false;
    const waiting = getPlatform()
      .http.whenIdle(60_000)
      .then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(idle).toBe(false);
    answer();
    await call;
    await waiting;
    expect(idle).toBe(true);
    await expect(getPlatform().http.whenIdle(60_000)).resolves.toBeUndefined();
  });

  it('gives up after maxMs when a call hangs', async () => {
    let arrived = false;
    server.use(
      http.get(`${SIM}/api/v2/users/me`, async () => {
        arrived = true;
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const call = getMe({ signal: controller.signal }).catch(() => undefined);
    await vi.waitFor(() => expect(arrived).toBe(true));
    const started = Date.now();
    await getPlatform().http.whenIdle(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    controller.abort();
    await call;
  });
});
