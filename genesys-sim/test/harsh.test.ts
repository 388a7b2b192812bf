/** Issue 12: the platform's harsher sides, each a switch (genesys-platform.md §8), and the [H] facts. */
import fc from 'fast-check';
import type { Models } from 'purecloud-platform-client-v2';
import { generateArrivingConversation, generateOrg } from '../src/generate.ts';
import { isSystemCode } from '../src/model.ts';
import { createRng } from '../src/prng.ts';
import { defaultOptions, mergeOptions, parseArgs, profiles, OptionsError } from '../src/options.ts';
import { SECOND_SUPERVISOR_EMAIL, WRAPUP_NOT_ALLOWED, wrapupTopic, type NotificationsSummary, type RunningSim, type StartOptions } from '../src/index.ts';
import type { SimComm, SimConversation, SimParticipant } from '../src/model.ts';
import { DAY, SUPERVISOR, call, intervalDays, isErrorBody, mediaPath, withSim } from './helpers.ts';
import { connectWs, openWs, type TestWs } from './ws-client.ts';

const QUERY = '/api/v2/analytics/conversations/details/query';
const JOBS = '/api/v2/analytics/conversations/details/jobs';
const CHANNELS = '/api/v2/notifications/channels';
const HOUR = 3_600_000;
const agentFilter = [{ type: 'and', predicates: [{ dimension: 'purpose', value: 'agent' }] }];

let sim: RunningSim | undefined;
const sockets: TestWs[] = [];
async function start(options: StartOptions = {}): Promise<RunningSim> {
  sim = await withSim(options);
  return sim;
}
afterEach(async () => {
  vi.useRealTimers();
  for (const s of sockets.splice(0)) s.destroy();
  await sim?.close();
  sim = undefined;
});

type QueryRes = Models.AnalyticsConversationQueryResponse;

/** Every page of a sync details query (pageSize 100). */
async function queryAll(s: RunningSim, token: string, body: Record<string, unknown>): Promise<Models.AnalyticsConversation[]> {
  const out: Models.AnalyticsConversation[] = [];
  for (let page = 1; ; page++) {
    const r = await call<QueryRes>(s, 'POST', QUERY, { token, body: { ...body, paging: { pageSize: 100, pageNumber: page } } });
    expect(r.status).toBe(200);
    const list = r.body.conversations ?? [];
    out.push(...list);
    if (list.length < 100) return out;
  }
}

const iso = (t: number): string => new Date(t).toISOString();

describe('options: every new key, the harsh profile and overrides', () => {
  it('defaults', () => {
    expect(defaultOptions).toMatchObject({
      intervalSemantics: 'day',
      maxIntervalDaysUnfiltered: 7,
      maxIntervalDays: 31,
      pageDriftPerMinute: 0,
      rateLimitScope: 'user-client',
      userRateLimit: 3000,
      exposeRateHeaders: true,
      wrapupPolicy: 'permissive',
      wrapupWindowDays: 7,
      patchPolicy: 'same',
      wrapupEvents: 'all',
      socketClosingLeadMs: 60_000,
      profile: null,
    });
  });

  it('parses every new flag', () => {
    const o = parseArgs([
      '--interval-semantics',
      'exact',
      '--max-interval-days-unfiltered',
      '3',
      '--max-interval-days',
      '10',
      '--page-drift-per-minute',
      '12.5',
      '--rate-limit-scope',
      'token',
      '--user-rate-limit',
      '50',
      '--expose-rate-headers',
      'false',
      '--wrapup-policy',
      'during-acw',
      '--patch-policy',
      'strict',
      '--wrapup-events',
      'agent-only',
      '--socket-closing-lead-ms',
      '5000',
    ]);
    expect(o).toMatchObject({
      intervalSemantics: 'exact',
      maxIntervalDaysUnfiltered: 3,
      maxIntervalDays: 10,
      pageDriftPerMinute: 12.5,
      rateLimitScope: 'token',
      userRateLimit: 50,
      exposeRateHeaders: false,
      wrapupPolicy: 'during-acw',
      patchPolicy: 'strict',
      wrapupEvents: 'agent-only',
      socketClosingLeadMs: 5000,
      profile: null,
    });
    expect(() => parseArgs(['--interval-semantics', 'week'])).toThrow(/day, exact/);
    expect(() => parseArgs(['--rate-limit-scope', 'org'])).toThrow(/user-client, token/);
    expect(() => parseArgs(['--patch-policy', 'lax'])).toThrow(/same, permissive, during-acw, strict/);
    expect(() => parseArgs(['--wrapup-events', 'some'])).toThrow(/all, agent-only/);
    expect(() => parseArgs(['--expose-rate-headers', 'maybe'])).toThrow(/true or false/);
    expect(() => parseArgs(['--page-drift-per-minute', '-1'])).toThrow(OptionsError);
    expect(() => parseArgs(['--profile', 'gentle'])).toThrow(/harsh/);
  });

  it('--profile harsh sets every unknown to its harsher side; explicit flags win whatever their order', () => {
    const harsh = parseArgs(['--profile', 'harsh']);
    expect(harsh).toMatchObject({
      profile: 'harsh',
      intervalSemantics: 'day',
      pageDriftPerMinute: 60,
      rateLimitScope: 'user-client',
      exposeRateHeaders: false,
      wrapupPolicy: 'during-acw',
      patchPolicy: 'strict',
      wrapupEvents: 'agent-only',
      notificationDropRate: 0.05,
      analyticsLagMs: 10_000,
      maxPageSize: 100,
    });
    expect(harsh).toMatchObject(profiles.harsh);
    expect(defaultOptions.maxPageSize).toBe(200);
    expect(parseArgs(['--profile', 'harsh', '--max-page-size', '200']).maxPageSize).toBe(200);
    const before = parseArgs(['--wrapup-policy', 'permissive', '--analytics-lag-ms', '0', '--profile', 'harsh']);
    const after = parseArgs(['--profile', 'harsh', '--wrapup-policy', 'permissive', '--analytics-lag-ms', '0']);
    for (const o of [before, after]) {
      expect(o).toMatchObject({ profile: 'harsh', wrapupPolicy: 'permissive', analyticsLagMs: 0, patchPolicy: 'strict', pageDriftPerMinute: 60 });
    }
    expect(mergeOptions(defaultOptions, { exposeRateHeaders: true, profile: 'harsh' })).toMatchObject({ exposeRateHeaders: true, wrapupEvents: 'agent-only' });
    expect(mergeOptions(defaultOptions, { profile: null })).toEqual(defaultOptions);
  });

  it('the same keys for startSim, POST /__sim/reset and POST /__sim/options (profile + override)', async () => {
    const s = await start({ profile: 'harsh', pageDriftPerMinute: 0 });
    expect(s.options).toMatchObject({ profile: 'harsh', pageDriftPerMinute: 0, wrapupPolicy: 'during-acw' });
    const opts = await call<Record<string, unknown>>(s, 'POST', '/__sim/options', {
      body: { wrapupEvents: 'all', profile: 'harsh', socketClosingLeadMs: 1234 },
    });
    expect(opts.status).toBe(200);
    expect(opts.body).toMatchObject({ profile: 'harsh', wrapupEvents: 'all', socketClosingLeadMs: 1234, exposeRateHeaders: false, pageDriftPerMinute: 60 });
    const reset = await call<{ options: Record<string, unknown> }>(s, 'POST', '/__sim/reset', {
      body: { intervalSemantics: 'exact', maxIntervalDaysUnfiltered: 2, rateLimitScope: 'token', userRateLimit: 9, patchPolicy: 'permissive' },
    });
    expect(reset.body.options).toMatchObject({
      profile: 'harsh',
      intervalSemantics: 'exact',
      maxIntervalDaysUnfiltered: 2,
      rateLimitScope: 'token',
      userRateLimit: 9,
      patchPolicy: 'permissive',
      pageDriftPerMinute: 0,
    });
    expect((await call(s, 'POST', '/__sim/options', { body: { wrapupPolicy: 'sometimes' } })).status).toBe(400);
  });
});

describe('analytics: interval semantics, interval limits, jobs', () => {
  // Mid-afternoon UTC: "the last 4 hours" is 11:00–15:00, and this morning is 00:00–11:00.
  const NOW = Date.parse('2026-12-02T15:00:00.000Z');
  const DAY_START = Date.parse('2026-12-02T00:00:00.000Z');
  const last4h = `${iso(NOW - 4 * HOUR)}/${iso(NOW)}`;

  it('day: "last 4 hours" also returns this morning (started on a UTC day the interval touches); exact: only inside; truth: started inside', async () => {
    const s = await start({ now: NOW, days: 2, conversations: 400 });
    const token = s.mintToken(SUPERVISOR);
    const startOf = (c: Models.AnalyticsConversation): number => Date.parse(c.conversationStart ?? '');

    const day = await queryAll(s, token, { interval: last4h });
    expect(day.some((c) => startOf(c) < NOW - 4 * HOUR)).toBe(true); // this morning's
    expect(day.every((c) => startOf(c) >= DAY_START && startOf(c) < DAY_START + DAY)).toBe(true); // never yesterday's
    const expectedDay = s.state.org.conversations.filter((c) => c.start >= DAY_START && c.start < DAY_START + DAY);
    expect(day.map((c) => c.conversationId).sort()).toEqual(expectedDay.map((c) => c.id).sort());
    const first = await call<QueryRes>(s, 'POST', QUERY, { token, body: { interval: last4h } });
    expect(first.body.totalHits).toBe(expectedDay.length);

    await call(s, 'POST', '/__sim/options', { body: { intervalSemantics: 'exact' } });
    const exact = await queryAll(s, token, { interval: last4h });
    expect(exact.length).toBeGreaterThan(0);
    expect(exact.length).toBeLessThan(day.length);
    expect(exact.every((c) => startOf(c) >= NOW - 4 * HOUR && startOf(c) < NOW)).toBe(true);

    // The ground truth answers for the window the app shows, whatever the semantics.
    for (const semantics of ['day', 'exact']) {
      await call(s, 'POST', '/__sim/options', { body: { intervalSemantics: semantics } });
      const truth = await call<{
        conversations: number;
        selection: string;
        intervalSemantics: string;
        syncQueryConversations: number;
        start: string;
        end: string;
      }>(s, 'POST', '/__sim/truth', { body: { interval: last4h } });
      const inside = s.state.org.conversations.filter((c) => c.start >= NOW - 4 * HOUR && c.start < NOW && c.participants.some((p) => p.purpose === 'agent'));
      expect(truth.body).toMatchObject({
        conversations: inside.length,
        selection: 'started-inside',
        intervalSemantics: semantics,
        start: iso(NOW - 4 * HOUR),
        end: iso(NOW),
      });
      expect(truth.body.syncQueryConversations).toBe(semantics === 'day' ? expectedDay.length : exact.length);
    }
  });

  it('an interval ending exactly at midnight does not touch the next day', async () => {
    const s = await start({ now: NOW, days: 2, conversations: 300 });
    const token = s.mintToken(SUPERVISOR);
    const yesterday = await queryAll(s, token, { interval: `${iso(DAY_START - 2 * HOUR)}/${iso(DAY_START)}` });
    expect(yesterday.length).toBeGreaterThan(0);
    expect(yesterday.every((c) => Date.parse(c.conversationStart ?? '') < DAY_START)).toBe(true);
  });

  it('without any filter at most maxIntervalDaysUnfiltered (7) days: 8 days → 400 ErrorBody; with a filter 8 days are served, 32 are not', async () => {
    const s = await start();
    const token = s.mintToken(SUPERVISOR);
    const unfiltered = await call<Models.ErrorBody>(s, 'POST', QUERY, { token, body: { interval: intervalDays(8) } });
    expect(unfiltered.status).toBe(400);
    expect(isErrorBody(unfiltered.body) && unfiltered.body.code).toBe('bad.request');
    expect(unfiltered.body.message).toMatch(/7 days/);
    expect(unfiltered.body.contextId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call(s, 'POST', QUERY, { token, body: { interval: intervalDays(6) } })).status).toBe(200);
    const seg = await call<QueryRes>(s, 'POST', QUERY, { token, body: { interval: intervalDays(8), segmentFilters: agentFilter } });
    expect(seg.status).toBe(200);
    expect(seg.body.totalHits).toBeGreaterThan(0);
    const conv = await call(s, 'POST', QUERY, {
      token,
      body: { interval: intervalDays(8), conversationFilters: [{ type: 'and', predicates: [{ dimension: 'originatingDirection', value: 'inbound' }] }] },
    });
    expect(conv.status).toBe(200);
    const long = await call<Models.ErrorBody>(s, 'POST', QUERY, { token, body: { interval: intervalDays(32), segmentFilters: agentFilter } });
    expect([long.status, long.body.code]).toEqual([400, 'bad.request']);
    await call(s, 'POST', '/__sim/options', { body: { maxIntervalDaysUnfiltered: 0 } });
    expect((await call(s, 'POST', QUERY, { token, body: { interval: intervalDays(8) } })).status).toBe(200);
    // Jobs have neither limit.
    expect((await call(s, 'POST', JOBS, { token, body: { interval: intervalDays(60) } })).status).toBe(202);
  });

  it('jobs: any activity in the interval (started before its end, not ended before its start), whatever intervalSemantics; status 202 until FULFILLED, then 200', async () => {
    const s = await start({ now: NOW, days: 2, conversations: 400, jobDelayMs: 300 });
    const token = s.mintToken(SUPERVISOR);
    const org = s.state.org;
    const long = org.conversations.find((c) => c.end !== undefined && c.end - c.start > 10 * 60_000 && c.start < NOW - 6 * HOUR)!;
    const t1 = long.start + 5 * 60_000;
    const t2 = t1 + 2 * HOUR;
    const expected = org.conversations.filter((c) => c.start < t2 && (c.end === undefined || c.end >= t1)).map((c) => c.id);
    expect(expected).toContain(long.id); // started before the interval, still going at its start

    for (const semantics of ['exact', 'day']) {
      await call(s, 'POST', '/__sim/options', { body: { intervalSemantics: semantics } });
      const job = await call<{ jobId: string }>(s, 'POST', JOBS, { token, body: { interval: `${iso(t1)}/${iso(t2)}` } });
      expect(job.status).toBe(202);
      const statuses: Array<[number, string | undefined]> = [];
      for (;;) {
        const st = await call<Models.AsyncQueryStatus>(s, 'GET', `${JOBS}/${job.body.jobId}`, { token });
        statuses.push([st.status, st.body.state]);
        if (st.body.state === 'FULFILLED') break;
        await new Promise((r) => setTimeout(r, 40));
      }
      expect(statuses[0]).toEqual([202, 'QUEUED']);
      for (const [status, state] of statuses) expect(status).toBe(state === 'FULFILLED' ? 200 : 202);
      const results = await call<Models.AnalyticsConversationAsyncQueryResponse>(s, 'GET', `${JOBS}/${job.body.jobId}/results`, { token });
      expect(results.body.cursor).toBeUndefined();
      expect((results.body.conversations ?? []).map((c) => c.conversationId)).toEqual(expected);
    }
    // The sync query (exact) would not have the long conversation: it started before the interval.
    await call(s, 'POST', '/__sim/options', { body: { intervalSemantics: 'exact' } });
    const sync = await queryAll(s, token, { interval: `${iso(t1)}/${iso(t2)}` });
    expect(sync.map((c) => c.conversationId)).not.toContain(long.id);
  });
});

describe('page drift (simulated time: Date is faked, so arrivals are exact)', () => {
  const T0 = Date.parse('2026-12-02T15:00:00.000Z');

  async function drifting(rate: number): Promise<{ s: RunningSim; token: string; interval: string }> {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const s = await start({ conversations: 200, pageDriftPerMinute: rate });
    return { s, token: s.mintToken(SUPERVISOR), interval: `${iso(T0 - 2 * DAY)}/${iso(T0 + HOUR)}` };
  }

  it('order desc: new conversations shift every page by their number, totalHits moves with them', async () => {
    const { s, token, interval } = await drifting(600); // one every 100 ms
    const page = (n: number) => call<QueryRes>(s, 'POST', QUERY, { token, body: { interval, order: 'desc', paging: { pageSize: 10, pageNumber: n } } });
    const p1 = await page(1);
    const hits = p1.body.totalHits ?? 0;
    vi.setSystemTime(T0 + 400); // 4 arrive
    const p2 = await page(2);
    expect(p2.body.totalHits).toBe(hits + 4);
    // Page 2 now starts with what was the 7th item of page 1 (10 - 4 + 1): items 7–10 are read twice.
    expect(p2.body.conversations?.[0]?.conversationId).toBe(p1.body.conversations?.[6]?.conversationId);
    const again = await page(1);
    const fresh = (again.body.conversations ?? []).slice(0, 4);
    const newIds = new Set(fresh.map((c) => c.conversationId));
    expect(fresh.every((c) => !(p1.body.conversations ?? []).some((o) => o.conversationId === c.conversationId))).toBe(true);
    expect(fresh.map((c) => c.conversationStart)).toEqual([T0 + 400, T0 + 300, T0 + 200, T0 + 100].map(iso));
    // Each has an agent participant; some of them are coded, some not (over more arrivals).
    for (const c of fresh) expect(c.participants?.some((p) => p.purpose === 'agent')).toBe(true);
    expect(newIds.size).toBe(4);
  });

  it('order asc: new conversations land at the end; page 1 does not move; truth sees them; some miss a wrap-up and some are coded', async () => {
    const { s, token, interval } = await drifting(1); // one a minute
    const body = { interval, order: 'asc', segmentFilters: agentFilter };
    const before = await queryAll(s, token, body);
    const truth0 = await call<{ conversations: number; driftAdded: number }>(s, 'POST', '/__sim/truth', { body: { interval } });
    vi.setSystemTime(T0 + 30 * 60_000); // 30 arrive
    const after = await queryAll(s, token, body);
    expect(after.length).toBe(before.length + 30);
    expect(after.slice(0, before.length).map((c) => c.conversationId)).toEqual(before.map((c) => c.conversationId));
    const added = after.slice(before.length);
    expect(added.map((c) => c.conversationStart)).toEqual(Array.from({ length: 30 }, (_, i) => iso(T0 + (i + 1) * 60_000)));
    const truth = await call<{ conversations: number; driftAdded: number }>(s, 'POST', '/__sim/truth', { body: { interval } });
    expect(truth.body.conversations).toBe(truth0.body.conversations + 30);
    expect(truth.body.driftAdded).toBe(30);
    const comms = added.flatMap((c) =>
      s.state.org.conversationsById
        .get(c.conversationId ?? '')!
        .participants.filter((p) => p.purpose === 'agent')
        .map((p) => p.comms[0]!),
    );
    expect(comms.some((c) => c.wrapup === undefined && c.state === 'disconnected')).toBe(true);
    expect(comms.some((c) => c.wrapup !== undefined)).toBe(true);
    expect(added.every((c) => c.participants?.some((p) => p.purpose === 'agent'))).toBe(true);
  });

  it('arriving conversations: start at their arrival, never chat, an agent participant with queue and user, times ordered, no deleted codes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 40 }), (seed, n) => {
        const org = generateOrg({ seed, conversations: 20, days: 3, agents: 6, now: T0 });
        const rng = createRng(seed);
        for (let i = 0; i < n; i++) {
          const arrival = T0 + i * 1000;
          const c = generateArrivingConversation(rng, org, arrival);
          expect(c.start).toBe(arrival);
          expect(c.media).not.toBe('chat');
          if (c.end !== undefined) expect(c.end).toBeGreaterThanOrEqual(c.start);
          const agents = c.participants.filter((p) => p.purpose === 'agent');
          expect(agents.length).toBeGreaterThan(0);
          for (const p of c.participants) {
            expect(p.startTime).toBeGreaterThanOrEqual(c.start);
            for (const m of p.comms) {
              for (const seg of m.segments) {
                expect(seg.start).toBeGreaterThanOrEqual(c.start);
                if (seg.end !== undefined) expect(seg.end).toBeGreaterThanOrEqual(seg.start);
              }
              if (p.purpose !== 'agent') continue;
              expect(p.queueId && p.userId).toBeTruthy();
              expect(m.state).toBe('disconnected');
              if (m.acwStart !== undefined) expect(m.acwStart).toBeGreaterThanOrEqual(m.disconnectedTime ?? 0);
              if (m.wrapup && !isSystemCode(m.wrapup.code)) {
                expect(org.codesById.get(m.wrapup.code)?.deleted).toBe(false);
                expect(Date.parse(m.wrapup.endTime ?? '')).toBeGreaterThanOrEqual(m.disconnectedTime ?? 0);
              }
            }
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it('rate 0: nothing arrives; a rate set at run time counts from then (no backlog)', async () => {
    const { s, token, interval } = await drifting(0);
    const hits = async () => (await call<QueryRes>(s, 'POST', QUERY, { token, body: { interval } })).body.totalHits;
    const h0 = await hits();
    vi.setSystemTime(T0 + 10 * 60_000);
    expect(await hits()).toBe(h0);
    await call(s, 'POST', '/__sim/options', { body: { pageDriftPerMinute: 1 } });
    expect(await hits()).toBe(h0);
    vi.setSystemTime(T0 + 13 * 60_000);
    expect(await hits()).toBe((h0 ?? 0) + 3);
  });
});

describe('rate limits', () => {
  const me = '/api/v2/users/me';

  it('user-client (default): two tokens of one user and OAuth client share the limit; another client or user has its own', async () => {
    const s = await start({ rateLimit: 3 });
    const a = s.mintToken(SUPERVISOR);
    const b = s.mintToken(SUPERVISOR); // a second tab / browser
    expect((await call(s, 'GET', me, { token: a })).status).toBe(200);
    expect((await call(s, 'GET', me, { token: a })).status).toBe(200);
    expect((await call(s, 'GET', me, { token: b })).status).toBe(200);
    const limited = await call<Models.ErrorBody>(s, 'GET', me, { token: b });
    expect([limited.status, limited.body.code]).toEqual([429, 'too.many.requests']);
    expect(limited.headers.get('inin-ratelimit-allowed')).toBe('3');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(s, 'GET', me, { token: a })).status).toBe(429);
    expect((await call(s, 'GET', me, { token: s.mintToken(SUPERVISOR, undefined, 'wrapup-desk-pkce') })).status).toBe(200);
    expect((await call(s, 'GET', me, { token: s.mintToken(SECOND_SUPERVISOR_EMAIL) })).status).toBe(200);
  });

  it('token: each token has its own window', async () => {
    const s = await start({ rateLimit: 3, rateLimitScope: 'token' });
    const a = s.mintToken(SUPERVISOR);
    const b = s.mintToken(SUPERVISOR);
    for (let i = 0; i < 3; i++) expect((await call(s, 'GET', me, { token: a })).status).toBe(200);
    expect((await call(s, 'GET', me, { token: a })).status).toBe(429);
    expect((await call(s, 'GET', me, { token: b })).status).toBe(200);
  });

  it('userRateLimit: one user across all OAuth clients; 429 like the other; other users unaffected', async () => {
    const s = await start({ rateLimit: 1000, userRateLimit: 4 });
    const demo = s.mintToken(SUPERVISOR);
    const pkce = s.mintToken(SUPERVISOR, undefined, 'wrapup-desk-pkce');
    for (const t of [demo, demo, pkce, pkce]) expect((await call(s, 'GET', me, { token: t })).status).toBe(200);
    const limited = await call<Models.ErrorBody>(s, 'GET', me, { token: s.mintToken(SUPERVISOR, undefined, 'wrapup-desk-implicit') });
    expect([limited.status, limited.body.code]).toEqual([429, 'too.many.requests']);
    expect(limited.headers.get('inin-ratelimit-allowed')).toBe('4');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await call(s, 'GET', me, { token: s.mintToken(SECOND_SUPERVISOR_EMAIL) })).status).toBe(200);
  });

  it('exposeRateHeaders: the CORS expose list names Retry-After and inin-ratelimit-* or leaves them out (they are still sent)', async () => {
    const s = await start({ rateLimit: 1 });
    const token = s.mintToken(SUPERVISOR);
    const origin = { Origin: 'http://127.0.0.1:5173' };
    const exposed = (r: { headers: Headers }) => (r.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
    const okRes = await call(s, 'GET', me, { token, headers: origin });
    expect(exposed(okRes)).toEqual(expect.arrayContaining(['retry-after', 'inin-ratelimit-count', 'inin-ratelimit-allowed', 'inin-ratelimit-reset']));
    await call(s, 'POST', '/__sim/options', { body: { exposeRateHeaders: false } });
    const limited = await call(s, 'GET', me, { token, headers: origin });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('access-control-allow-origin')).toBe(origin.Origin);
    expect(exposed(limited)).toEqual(['inin-correlation-id']);
    expect(limited.headers.get('retry-after')).not.toBeNull();
    expect(limited.headers.get('inin-ratelimit-count')).not.toBeNull();
    const pre = await fetch(`${s.url}${me}`, { method: 'OPTIONS', headers: { ...origin, 'Access-Control-Request-Method': 'GET' } });
    expect(pre.headers.get('access-control-expose-headers')).toBe('inin-correlation-id');
  });
});

describe('write policies for another user vs the participant’s own agent', () => {
  type Target = { conversation: SimConversation; participant: SimParticipant; comm: SimComm; code: string; post: string; patch: string; agentEmail: string };

  /** Disconnected, uncoded, writable agent participants whose ACW is pending (or not). */
  function targets(s: RunningSim, pendingAcw: boolean): Target[] {
    const out: Target[] = [];
    for (const conversation of s.state.org.conversations) {
      if (conversation.media === 'chat') continue;
      for (const participant of conversation.participants) {
        const comm = participant.comms[0];
        if (participant.purpose !== 'agent' || !participant.queueId || !participant.userId || !comm || comm.state !== 'disconnected' || comm.wrapup) continue;
        if ((comm.acwState === 'pending') !== pendingAcw) continue;
        const base = `/api/v2/conversations/${mediaPath(conversation.media)}/${conversation.id}/participants/${participant.id}`;
        out.push({
          conversation,
          participant,
          comm,
          code: s.state.org.queuesById.get(participant.queueId)!.codeIds[0]!,
          post: `${base}/communications/${comm.id}/wrapup`,
          patch: base,
          agentEmail: s.state.org.usersById.get(participant.userId)!.email,
        });
      }
    }
    return out;
  }

  async function write(s: RunningSim, via: 'post' | 'patch', t: Target, token: string) {
    return via === 'post'
      ? call<Models.ErrorBody>(s, 'POST', t.post, { token, body: { code: t.code } })
      : call<Models.ErrorBody>(s, 'PATCH', t.patch, { token, body: { wrapup: { code: t.code } } });
  }

  it('permissive: another supervisor may write after ACW (within the window)', async () => {
    const s = await start({ conversations: 200 });
    const [t] = targets(s, false);
    expect((await write(s, 'post', t!, s.mintToken(SUPERVISOR))).status).toBe(202);
  });

  it('during-acw: another user only while ACW is pending (400 conversation.participant.wrapup.not.allowed otherwise); the own agent always', async () => {
    const s = await start({ conversations: 200, wrapupPolicy: 'during-acw' });
    const sup = s.mintToken(SUPERVISOR);
    const [p1, p2] = targets(s, true);
    const [d1, d2, d3] = targets(s, false);
    expect((await write(s, 'post', p1!, sup)).status).toBe(202);
    expect((await write(s, 'patch', p2!, sup)).status).toBe(202); // patchPolicy same
    for (const via of ['post', 'patch'] as const) {
      const refused = await write(s, via, d1!, sup);
      expect([refused.status, refused.body.code]).toEqual([400, WRAPUP_NOT_ALLOWED]);
      expect(isErrorBody(refused.body)).toBe(true);
      expect(refused.body.contextId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await write(s, 'post', d2!, s.mintToken(d2!.agentEmail))).status).toBe(202);
    expect((await write(s, 'patch', d3!, s.mintToken(d3!.agentEmail))).status).toBe(202);
    const log = (await call<{ writes: Array<{ outcome: string; errorCode: string | null }> }>(s, 'GET', '/__sim/writes')).body.writes;
    expect(log.filter((w) => w.outcome === 'refused').map((w) => w.errorCode)).toEqual([WRAPUP_NOT_ALLOWED, WRAPUP_NOT_ALLOWED]);
  });

  it('strict: never another user (403 not.authorized), even during ACW; the own agent always', async () => {
    const s = await start({ conversations: 200, wrapupPolicy: 'strict' });
    const sup = s.mintToken(SUPERVISOR);
    const [p1] = targets(s, true);
    for (const via of ['post', 'patch'] as const) {
      const refused = await write(s, via, p1!, sup);
      expect([refused.status, refused.body.code]).toEqual([403, 'not.authorized']);
    }
    expect((await write(s, 'post', p1!, s.mintToken(p1!.agentEmail))).status).toBe(202);
  });

  it('patchPolicy overrides wrapupPolicy for PATCH only; same follows it', async () => {
    const s = await start({ conversations: 200, wrapupPolicy: 'permissive', patchPolicy: 'strict' });
    const sup = s.mintToken(SUPERVISOR);
    const [d1, d2, d3, d4] = targets(s, false);
    expect((await write(s, 'patch', d1!, sup)).status).toBe(403);
    expect((await write(s, 'post', d1!, sup)).status).toBe(202);
    expect((await write(s, 'patch', d2!, s.mintToken(d2!.agentEmail))).status).toBe(202);
    await call(s, 'POST', '/__sim/options', { body: { patchPolicy: 'during-acw' } });
    expect((await write(s, 'patch', d3!, sup)).body.code).toBe(WRAPUP_NOT_ALLOWED);
    const [p1] = targets(s, true);
    expect((await write(s, 'patch', p1!, sup)).status).toBe(202);
    await call(s, 'POST', '/__sim/options', { body: { patchPolicy: 'permissive', wrapupPolicy: 'strict' } });
    expect((await write(s, 'patch', d4!, sup)).status).toBe(202);
    expect((await write(s, 'post', d4!, sup)).status).toBe(403);
    await call(s, 'POST', '/__sim/options', { body: { patchPolicy: 'same' } });
    expect((await write(s, 'patch', d4!, sup)).status).toBe(403);
  });

  it('a second supervisor (another user of the org) gets a token by email from the control API and writes as itself', async () => {
    const s = await start({ conversations: 200 });
    const org = (await call<{ users: Array<{ email: string; kind: string; permissions: string[] }> }>(s, 'GET', '/__sim/org')).body;
    const supervisors = org.users.filter((u) => u.kind === 'supervisor');
    expect(supervisors.map((u) => u.email)).toEqual([SUPERVISOR, SECOND_SUPERVISOR_EMAIL]);
    expect(supervisors[1]!.permissions).toEqual(supervisors[0]!.permissions);
    const minted = await call<{ access_token: string; userId: string; email: string }>(s, 'POST', '/__sim/tokens', {
      body: { email: SECOND_SUPERVISOR_EMAIL },
    });
    expect(minted.body.email).toBe(SECOND_SUPERVISOR_EMAIL);
    const [t] = targets(s, false);
    expect((await call(s, 'POST', t!.post, { token: minted.body.access_token, body: { code: t!.code } })).status).toBe(202);
    const log = (await call<{ writes: Array<{ userEmail: string; outcome: string }> }>(s, 'GET', '/__sim/writes')).body.writes;
    expect(log.at(-1)).toMatchObject({ userEmail: SECOND_SUPERVISOR_EMAIL, outcome: 'applied' });
  });
});

describe('reads and tokens ([H] facts)', () => {
  it('conversation reads never carry the conversation-level state', async () => {
    const s = await start({ conversations: 60 });
    const token = s.mintToken(SUPERVISOR);
    for (const c of s.state.org.conversations.filter((x) => x.media !== 'chat').slice(0, 12)) {
      const full = await call<Record<string, unknown>>(s, 'GET', `/api/v2/conversations/${c.id}`, { token });
      expect(full.status).toBe(200);
      expect(full.body).not.toHaveProperty('state');
      expect(full.body).toHaveProperty('participants');
      const media = await call<Record<string, unknown>>(s, 'GET', `/api/v2/conversations/${mediaPath(c.media)}/${c.id}`, { token });
      expect(media.status).toBe(200);
      expect(media.body).not.toHaveProperty('state');
    }
  });

  it('DELETE /api/v2/tokens/me answers 200 and revokes the token', async () => {
    const s = await start();
    const token = s.mintToken(SUPERVISOR);
    const del = await call(s, 'DELETE', '/api/v2/tokens/me', { token });
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect((await call(s, 'GET', '/api/v2/tokens/me', { token })).status).toBe(401);
  });
});

describe('notification channels: lifetime, token, socket_closing lead, agent-only events', () => {
  async function channel(s: RunningSim, token: string): Promise<Required<Models.Channel>> {
    const r = await call<Required<Models.Channel>>(s, 'POST', CHANNELS, { token });
    expect(r.status).toBe(200);
    return r.body;
  }
  async function open(c: Models.Channel): Promise<TestWs> {
    const ws = await openWs(c.connectUri ?? '');
    sockets.push(ws);
    return ws;
  }
  const summary = async (s: RunningSim) => (await call<NotificationsSummary>(s, 'GET', '/__sim/notifications')).body.channels;
  const closingIndex = (ws: TestWs) => ws.log.indexOf('v2.system.socket_closing');

  it('resubscribing (PUT or POST) extends the 24 h lifetime', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-02T15:00:00.000Z') });
    const s = await start({ tokenTtl: 3 * 86_400 });
    const token = s.mintToken(SUPERVISOR);
    const c = await channel(s, token);
    expect(Date.parse(c.expires)).toBe(Date.now() + DAY);
    vi.setSystemTime(Date.now() + 5 * HOUR);
    const topic = [{ id: wrapupTopic(s.state.org.conversations[0]!.id) }];
    expect((await call(s, 'PUT', `${CHANNELS}/${c.id}/subscriptions`, { token, body: topic })).status).toBe(200);
    const listed = await call<Models.ChannelEntityListing>(s, 'GET', CHANNELS, { token });
    expect(listed.body.entities?.[0]?.expires).toBe(iso(Date.now() + DAY));
    vi.setSystemTime(Date.now() + 20 * HOUR); // 25 h after creation: alive thanks to the resubscription
    expect((await call(s, 'HEAD', `${CHANNELS}/${c.id}`, { token })).status).toBe(200);
    expect((await call(s, 'POST', `${CHANNELS}/${c.id}/subscriptions`, { token, body: topic })).status).toBe(200);
    expect((await summary(s))[0]?.expires).toBe(iso(Date.now() + DAY));
    vi.setSystemTime(Date.now() + DAY + 1);
    expect((await call(s, 'HEAD', `${CHANNELS}/${c.id}`, { token })).status).toBe(404);
  });

  it('a channel ends with the token that made it: revoked → socket_closing, close, channel gone', async () => {
    const s = await start();
    const token = s.mintToken(SUPERVISOR);
    const other = s.mintToken(SUPERVISOR);
    const c = await channel(s, token);
    const ws = await open(c);
    expect((await call(s, 'DELETE', '/api/v2/tokens/me', { token })).status).toBe(200);
    await ws.ended();
    expect(closingIndex(ws)).toBeGreaterThanOrEqual(0);
    expect(ws.log.indexOf('close 1000')).toBeGreaterThan(closingIndex(ws));
    expect((await connectWs(c.connectUri)).status).toBe(404);
    expect((await call(s, 'HEAD', `${CHANNELS}/${c.id}`, { token: other })).status).toBe(404);
    // The same through the control API's revoke.
    const c2 = await channel(s, other);
    const ws2 = await open(c2);
    await call(s, 'POST', '/__sim/revoke', { body: { token: other } });
    await ws2.ended();
    expect(closingIndex(ws2)).toBeGreaterThanOrEqual(0);
    expect(await summary(s)).toEqual([]);
  });

  it('socket_closing is planned socketClosingLeadMs before the end (channel expiry or token expiry, whichever first); an expiring token closes the socket', async () => {
    const s = await start({ socketClosingLeadMs: 1000 });
    const longToken = s.mintToken(SUPERVISOR, 3 * 86_400);
    const c1 = await channel(s, longToken);
    let [sum] = await summary(s);
    expect(sum?.endsAt).toBe(c1.expires); // the channel's 24 h come first
    expect(Date.parse(sum!.endsAt) - Date.parse(sum!.closingAt)).toBe(1000);
    await call(s, 'POST', '/__sim/options', { body: { socketClosingLeadMs: 60_000 } });
    [sum] = await summary(s);
    expect(Date.parse(sum!.endsAt) - Date.parse(sum!.closingAt)).toBe(60_000);

    await call(s, 'POST', '/__sim/options', { body: { socketClosingLeadMs: 1000 } });
    const shortToken = s.mintToken(SUPERVISOR, 3);
    const expiresAt = s.tokenRecord(shortToken)!.expiresAt;
    const c2 = await channel(s, shortToken);
    const ws = await open(c2);
    const sum2 = (await summary(s)).find((x) => x.id === c2.id)!;
    expect(sum2.endsAt).toBe(iso(expiresAt)); // the token ends first
    expect(sum2.closingAt).toBe(iso(expiresAt - 1000));
    const closing = await ws.message((m) => m.topicName === 'v2.system.socket_closing', 'socket_closing');
    expect(closing.eventBody.message).toEqual(expect.any(String));
    await ws.ended();
    expect(ws.topic('v2.system.socket_closing')).toHaveLength(1); // warned once, then only the close frame
    expect(ws.closeCode).toBe(1000);
    expect((await connectWs(c2.connectUri)).status).toBe(404);
    expect((await summary(s)).map((x) => x.id)).toEqual([c1.id]);
  });

  it('wrapupEvents agent-only: a write by another user fires no event; the own agent’s does; all: both do', async () => {
    const s = await start({ conversations: 200, notificationDelayMs: 10, wrapupEvents: 'agent-only' });
    const sup = s.mintToken(SUPERVISOR);
    const pick = s.state.org.conversations
      .flatMap((conversation) => {
        if (conversation.media === 'chat') return [];
        const participant = conversation.participants.find(
          (p) =>
            p.purpose === 'agent' && p.queueId && p.userId && p.comms[0]?.state === 'disconnected' && !p.comms[0].wrapup && p.comms[0].acwState !== 'pending',
        );
        return participant ? [{ conversation, participant, comm: participant.comms[0]! }] : [];
      })
      .slice(0, 3);
    const [a, b, c] = pick;
    const post = (t: typeof a, token: string) =>
      call(
        s,
        'POST',
        `/api/v2/conversations/${mediaPath(t!.conversation.media)}/${t!.conversation.id}/participants/${t!.participant.id}/communications/${t!.comm.id}/wrapup`,
        { token, body: { code: s.state.org.queuesById.get(t!.participant.queueId!)!.codeIds[0] } },
      );
    const ch = await channel(s, sup);
    await call(s, 'PUT', `${CHANNELS}/${ch.id}/subscriptions`, { token: sup, body: pick.map((t) => ({ id: wrapupTopic(t.conversation.id) })) });
    const ws = await open(ch);
    expect((await post(a, sup)).status).toBe(202); // another user: no event
    expect((await post(b, s.mintToken(s.state.org.usersById.get(b!.participant.userId!)!.email))).status).toBe(202); // own agent
    await ws.message((m) => m.topicName === wrapupTopic(b!.conversation.id), 'the agent’s event');
    expect(ws.topic(wrapupTopic(a!.conversation.id))).toHaveLength(0);
    expect((await summary(s))[0]).toMatchObject({ eventsSent: 1, eventsSuppressed: 1 });
    await call(s, 'POST', '/__sim/options', { body: { wrapupEvents: 'all' } });
    expect((await post(c, sup)).status).toBe(202);
    await ws.message((m) => m.topicName === wrapupTopic(c!.conversation.id), 'the supervisor’s event');
  });
});

describe("truth: acwGraceMs (the app's product rule for fresh after-call work)", () => {
  it('pending ACW younger than acwGraceMs counts as active, older stays missing; 0 keeps every pending ACW missing', async () => {
    const s = await withSim({ conversations: 400, seed: 7 });
    try {
      const now = Date.now();
      const interval = `${new Date(now - 8 * DAY).toISOString()}/${new Date(now + DAY).toISOString()}`;
      const fresh = s.state.org.conversations.flatMap((c) =>
        c.participants.flatMap((p) => p.comms.filter((m) => m.acwState === 'pending' && !m.wrapup && m.acwStart !== undefined && now - m.acwStart < 300_000)),
      );
      expect(fresh.length).toBeGreaterThan(0);
      type T = { totals: { missing: number; active: number } };
      const plain = (await call<T>(s, 'POST', '/__sim/truth', { body: { interval } })).body;
      const withGrace = (await call<T>(s, 'POST', '/__sim/truth', { body: { interval, acwGraceMs: 300_000 } })).body;
      expect(withGrace.totals.missing).toBeLessThan(plain.totals.missing);
      expect(withGrace.totals.missing + withGrace.totals.active).toBe(plain.totals.missing + plain.totals.active);
    } finally {
      await s.close();
    }
  });
});
