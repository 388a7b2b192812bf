/** HTTP behaviour: CORS, 404s, auth, rate limit, latency, faults, control API, analytics lag, ground truth. */
import type { Models } from 'purecloud-platform-client-v2';
import type { RunningSim } from '../src/index.ts';
import { SUPERVISOR, call, findAgent, intervalDays, isErrorBody, mediaPath, withSim } from './helpers.ts';

let sim: RunningSim;
let token: string;
beforeEach(async () => {
  sim = await withSim({ conversations: 150, rateLimit: 1000 });
  token = sim.mintToken(SUPERVISOR);
});
afterEach(async () => {
  await sim.close();
});

function writable() {
  const t = findAgent(sim, (p) => p.disconnected && !p.coded && p.media !== 'chat' && p.situation !== 'acw-running');
  const code = sim.state.org.queuesById.get(t.participant.queueId!)!.codeIds[0]!;
  const path = `/api/v2/conversations/${mediaPath(t.conversation.media)}/${t.conversation.id}/participants/${t.participant.id}/communications/${t.comm.id}/wrapup`;
  return { ...t, code, path };
}

describe('plumbing', () => {
  it('health is always up, even without --control; favicon is 204; control is 404 without --control', async () => {
    const plain = await withSim({ control: false });
    try {
      expect((await call(plain, 'GET', '/__sim/health')).body).toEqual({ ok: true });
      expect((await call(plain, 'GET', '/favicon.ico')).status).toBe(204);
      expect((await call(plain, 'POST', '/__sim/tokens', { body: { email: SUPERVISOR } })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('CORS: preflight reflects origin and headers, is not rate limited, and responses expose the rate headers', async () => {
    sim.state.options = { ...sim.state.options, rateLimit: 1 };
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${sim.url}/api/v2/users/me`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
      expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
      expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    }
    const res = await call(sim, 'GET', '/api/v2/tokens/me', { token, headers: { Origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(res.headers.get('access-control-expose-headers')).toContain('inin-ratelimit-reset');
    expect(res.headers.get('inin-correlation-id')).toBeTruthy();
  });

  it('unknown routes answer 404 not.found, including the wrap-up paths that do not exist and chat paths', async () => {
    const t = writable();
    const chat = findAgent(sim, (p) => p.media === 'chat');
    for (const [method, path] of [
      ['POST', `/api/v2/conversations/${t.conversation.id}/wrap-up`],
      ['POST', `/api/v2/conversations/${t.conversation.id}/wrapup`],
      ['GET', '/api/v2/conversations/wrapupcodes'],
      ['POST', `/api/v2/conversations/chats/${chat.conversation.id}/participants/${chat.participant.id}/communications/${chat.comm.id}/wrapup`],
      ['GET', `/api/v2/conversations/chats/${chat.conversation.id}`],
    ] as const) {
      const res = await call<Models.ErrorBody>(sim, method, path, { token, ...(method === 'POST' ? { body: { code: t.code } } : {}) });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not.found');
      expect(isErrorBody(res.body)).toBe(true);
    }
    // The generic GET still works for chat conversations (analytics shows them; the app says they cannot be written).
    const conv = await call<Models.Conversation>(sim, 'GET', `/api/v2/conversations/${chat.conversation.id}`, { token });
    expect(conv.body.participants.find((p) => p.id === chat.participant.id)?.chats?.[0]?.id).toBe(chat.comm.id);
  });

  it('401: no token, unknown token, expired token, revoked token (DELETE tokens/me); fresh contextId each time', async () => {
    const none = await call<Models.ErrorBody>(sim, 'GET', '/api/v2/users/me');
    expect([none.status, none.body.code]).toEqual([401, 'authentication.required']);
    const junk = await call<Models.ErrorBody>(sim, 'GET', '/api/v2/users/me', { token: 'junk' });
    const junk2 = await call<Models.ErrorBody>(sim, 'GET', '/api/v2/users/me', { token: 'junk' });
    expect([junk.status, junk.body.code]).toEqual([401, 'bad.credentials']);
    expect(junk.body.contextId).not.toBe(junk2.body.contextId);
    const short = sim.mintToken(SUPERVISOR, 1);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: short })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: short })).status).toBe(401);
    expect((await call(sim, 'DELETE', '/api/v2/tokens/me', { token })).status).toBe(200);
    expect((await call(sim, 'GET', '/api/v2/tokens/me', { token })).status).toBe(401);
  });

  it('rate limit (rateLimitScope token): rolling 60 s per token across all endpoints, 429 with Retry-After and inin-ratelimit-*', async () => {
    sim.state.options = { ...sim.state.options, rateLimit: 5, rateLimitScope: 'token' };
    const other = sim.mintToken(SUPERVISOR);
    const paths = ['/api/v2/users/me', '/api/v2/routing/queues', '/api/v2/tokens/me', '/api/v2/routing/wrapupcodes', '/api/v2/users'];
    for (const p of paths) expect((await call(sim, 'GET', p, { token })).status).toBe(200);
    const limited = await call<Models.ErrorBody>(sim, 'GET', '/api/v2/users/me', { token });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('too.many.requests');
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(limited.headers.get('inin-ratelimit-allowed')).toBe('5');
    expect(limited.headers.get('inin-ratelimit-count')).toBe('5');
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: other })).status).toBe(200);
    const log = await call<{ tokens: Array<{ token: string; total: number; maxInWindow: number; byStatus: Record<string, number> }> }>(
      sim,
      'GET',
      `/__sim/requests?token=${token}`,
    );
    expect(log.body.tokens[0]).toMatchObject({ total: 6, byStatus: { '200': 5, '429': 1 } });
  });

  it('latency delays every API response', async () => {
    sim.state.options = { ...sim.state.options, latencyMs: 150 };
    const t0 = performance.now();
    await call(sim, 'GET', '/api/v2/users/me', { token });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('analytics: pageSize over maxPageSize (200; harsh 100) is 400; empty result is {}; a write shows in analytics only after the lag', async () => {
    const QUERY = '/api/v2/analytics/conversations/details/query';
    const big = await call<Models.ErrorBody>(sim, 'POST', QUERY, { token, body: { interval: intervalDays(1), paging: { pageSize: 201, pageNumber: 1 } } });
    expect([big.status, big.body.code, big.body.message]).toEqual([400, 'bad.request', 'paging.pageSize must be at most 200.']);
    const two = await call<Models.AnalyticsConversationQueryResponse>(sim, 'POST', QUERY, {
      token,
      body: { interval: intervalDays(1), paging: { pageSize: 200, pageNumber: 1 } },
    });
    expect(two.status).toBe(200);
    const saved = sim.state.options;
    sim.state.options = { ...saved, maxPageSize: 100 };
    const refused = await call<Models.ErrorBody>(sim, 'POST', QUERY, { token, body: { interval: intervalDays(1), paging: { pageSize: 101, pageNumber: 1 } } });
    expect([refused.status, refused.body.details?.[0]?.fieldName]).toEqual([400, 'pageSize']);
    sim.state.options = saved;
    const malformed = await call(sim, 'POST', '/api/v2/analytics/conversations/details/query', { token, raw: '{nope' });
    expect(malformed.status).toBe(400);
    const empty = await call(sim, 'POST', '/api/v2/analytics/conversations/details/query', {
      token,
      body: { interval: '2019-01-01T00:00:00Z/2019-01-02T00:00:00Z' },
    });
    expect(empty.text).toBe('{}');

    sim.state.options = { ...sim.state.options, analyticsLagMs: 400 };
    const t = writable();
    const codeOf = async () => {
      const r = await call<Models.AnalyticsConversationWithoutAttributes>(sim, 'GET', `/api/v2/analytics/conversations/${t.conversation.id}/details`, {
        token,
      });
      return r.body.participants?.find((p) => p.participantId === t.participant.id)?.sessions?.[0]?.segments?.find((s) => s.wrapUpCode)?.wrapUpCode;
    };
    expect(await codeOf()).toBeUndefined();
    expect((await call(sim, 'POST', t.path, { token, body: { code: t.code } })).status).toBe(202);
    const live = await call<Models.Conversation>(sim, 'GET', `/api/v2/conversations/${t.conversation.id}`, { token });
    expect(live.body.participants.find((p) => p.id === t.participant.id)?.wrapup?.code).toBe(t.code);
    expect(await codeOf()).toBeUndefined();
    await new Promise((r) => setTimeout(r, 450));
    expect(await codeOf()).toBe(t.code);
  });

  it('ground truth matches what the analytics query reports (missing per agent participant)', async () => {
    const interval = intervalDays(8);
    const truth = await call<{
      totals: { agentParticipants: number; missing: number; coded: number; systemCoded: number; active: number };
      missing: Array<{ participantId: string }>;
    }>(sim, 'POST', '/__sim/truth', { body: { interval } });
    let missing = 0;
    let agents = 0;
    for (let page = 1; ; page++) {
      // A filter: an unfiltered query may span at most 7 days (maxIntervalDaysUnfiltered).
      const segmentFilters = [{ type: 'and', predicates: [{ dimension: 'purpose', value: 'agent' }] }];
      const r = await call<Models.AnalyticsConversationQueryResponse>(sim, 'POST', '/api/v2/analytics/conversations/details/query', {
        token,
        body: { interval, segmentFilters, paging: { pageSize: 100, pageNumber: page } },
      });
      for (const c of r.body.conversations ?? [])
        for (const p of c.participants ?? []) {
          if (p.purpose !== 'agent') continue;
          agents++;
          const segs = (p.sessions ?? []).flatMap((s) => s.segments ?? []);
          const ended = segs.every((s) => s.segmentType === 'wrapup' || s.segmentEnd !== undefined);
          if (ended && !segs.some((s) => s.wrapUpCode)) missing++;
        }
      if ((r.body.conversations ?? []).length < 100) break;
    }
    expect(agents).toBe(truth.body.totals.agentParticipants);
    expect(missing).toBe(truth.body.totals.missing);
    expect(truth.body.missing).toHaveLength(truth.body.totals.missing);
    const t = truth.body.totals;
    expect(t.missing + t.coded + t.systemCoded + t.active).toBe(t.agentParticipants);
  });
});

describe('faults and logs', () => {
  it('lost response: the write is applied, the connection drops, the write log says so', async () => {
    const t = writable();
    await call(sim, 'POST', '/__sim/faults', { body: { rateLostResponse: 1 } });
    await expect(call(sim, 'POST', t.path, { token, body: { code: t.code } })).rejects.toThrow();
    expect(t.comm.wrapup?.code).toBe(t.code);
    const log = await call<{ writes: Array<{ outcome: string; responseLost: boolean; communicationId: string; userEmail: string }> }>(
      sim,
      'GET',
      '/__sim/writes',
    );
    expect(log.body.writes).toEqual([expect.objectContaining({ outcome: 'applied', responseLost: true, communicationId: t.comm.id, userEmail: SUPERVISOR })]);
    // Reads are not faulted with scope=writes.
    expect((await call(sim, 'GET', `/api/v2/conversations/${t.conversation.id}`, { token })).status).toBe(200);
  });

  it('lost response: the client gets the start of a status line, then the connection closes (no silent browser resend)', async () => {
    const t = writable();
    sim.setFaults({ rateLostResponse: 1 });
    const { connect } = await import('node:net');
    const body = JSON.stringify({ code: t.code });
    const url = new URL(sim.url);
    const received = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST ${t.path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
      socket.on('error', reject);
    });
    // Some bytes, but never a complete status line or headers: the outcome is unknown to the client.
    expect(received).toBe('HTTP/1.1 2');
    expect(t.comm.wrapup?.code).toBe(t.code);
    expect(sim.state.writeLog).toEqual([expect.objectContaining({ outcome: 'applied', responseLost: true })]);
  });

  it('5xx with body, 5xx empty, 429 without and with Retry-After (seconds, HTTP date), dropped connection: nothing applied', async () => {
    const t = writable();
    const cases: Array<[Record<string, unknown>, (r: Awaited<ReturnType<typeof call>>) => void]> = [
      [
        { rate5xx: 1 },
        (r) => {
          expect(r.status).toBe(503);
          expect(isErrorBody(r.body)).toBe(true);
        },
      ],
      [
        { rate5xxEmpty: 1, status5xx: 502 },
        (r) => {
          expect(r.status).toBe(502);
          expect(r.text).toBe('');
        },
      ],
      [
        { rate429: 1 },
        (r) => {
          expect(r.status).toBe(429);
          expect(r.headers.get('retry-after')).toBeNull();
        },
      ],
      [
        { rate429RetryAfter: 1, retryAfterSeconds: 400 },
        (r) => {
          expect(r.status).toBe(429);
          expect(r.headers.get('retry-after')).toBe('400');
        },
      ],
      [
        { rate429RetryAfter: 1, retryAfterSeconds: 30, retryAfterFormat: 'date' },
        (r) => {
          expect(r.status).toBe(429);
          const at = Date.parse(r.headers.get('retry-after') ?? '');
          expect(at - Date.now()).toBeGreaterThan(25_000);
          expect(at - Date.now()).toBeLessThanOrEqual(30_000);
        },
      ],
    ];
    for (const [faults, check] of cases) {
      sim.setFaults({ rate5xx: 0, rate5xxEmpty: 0, rate429: 0, rate429RetryAfter: 0, ...faults });
      check(await call(sim, 'POST', t.path, { token, body: { code: t.code } }));
    }
    sim.setFaults({ rate429: 0, rate429RetryAfter: 0, rateDrop: 1 });
    await expect(call(sim, 'POST', t.path, { token, body: { code: t.code } })).rejects.toThrow();
    expect(t.comm.wrapup).toBeUndefined();
    expect(sim.state.writeLog.map((w) => w.fault)).toEqual(['5xx', '5xx-empty', '429-no-retry-after', '429-retry-after', '429-retry-after', 'drop']);
    expect(sim.state.writeLog.every((w) => w.outcome === 'fault')).toBe(true);
  });

  it('slow responses and scope=all; 401 after N calls revokes the token once', async () => {
    sim.setFaults({ scope: 'all', rateSlow: 1, slowMs: 300 });
    const t0 = performance.now();
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    sim.setFaults({ rateSlow: 0, unauthorizedAfter: 2 });
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(200);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(200);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(401);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(401);
    const fresh = sim.mintToken(SUPERVISOR);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: fresh })).status).toBe(200);
  });

  it('control: agent-wrapup races, options, reset with a new seed, tokens by email', async () => {
    const t = writable();
    const agent = await call(sim, 'POST', '/__sim/agent-wrapup', {
      body: { conversationId: t.conversation.id, participantId: t.participant.id, code: t.code, notes: 'by agent' },
    });
    expect(agent.status).toBe(200);
    expect(t.comm.wrapup?.notes).toBe('by agent');
    const opt = await call<{ wrapupPolicy: string }>(sim, 'POST', '/__sim/options', { body: { wrapupPolicy: 'strict', autoLogin: SUPERVISOR } });
    expect(opt.body.wrapupPolicy).toBe('strict');
    const strict = await call<Models.ErrorBody>(sim, 'POST', t.path, { token, body: { code: t.code } });
    expect([strict.status, strict.body.code]).toEqual([403, 'not.authorized']);
    expect((await call(sim, 'POST', '/__sim/options', { body: { seed: 2 } })).status).toBe(400);
    const before = sim.state.org.conversations[0]!.id;
    const reset = await call<{ conversations: number }>(sim, 'POST', '/__sim/reset', { body: { seed: 2, conversations: 40 } });
    expect(reset.body.conversations).toBe(40);
    // Reset starts from the start-up options: the runtime policy change above does not survive it.
    expect(sim.state.options.wrapupPolicy).toBe('permissive');
    expect(sim.state.options.autoLogin ?? null).toBeNull();
    expect(sim.state.org.conversations[0]!.id).not.toBe(before);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(401);
    const minted = await call<{ access_token: string }>(sim, 'POST', '/__sim/tokens', { body: { email: 'agent01@demo.example' } });
    const me = await call<Models.UserMe>(sim, 'GET', '/api/v2/users/me', { token: minted.body.access_token });
    expect(me.body.email).toBe('agent01@demo.example');
  });

  it('queries 10,000 conversations with filters and paging', async () => {
    sim.reset({ conversations: 10_000, days: 30, maxIntervalDays: 0 });
    const tk = sim.mintToken(SUPERVISOR);
    const queue = sim.state.org.queues[1]!;
    const body = {
      interval: intervalDays(31),
      paging: { pageSize: 100, pageNumber: 3 },
      segmentFilters: [
        {
          type: 'and',
          predicates: [
            { dimension: 'purpose', value: 'agent' },
            { dimension: 'queueId', value: queue.id },
          ],
        },
      ],
    };
    await call(sim, 'POST', '/api/v2/analytics/conversations/details/query', { token: tk, body });
    const r = await call<Models.AnalyticsConversationQueryResponse>(sim, 'POST', '/api/v2/analytics/conversations/details/query', { token: tk, body });
    expect(r.body.totalHits).toBeGreaterThan(1000);
    expect(r.body.conversations).toHaveLength(100);
  });
});
