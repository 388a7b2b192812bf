/**
 * `CallOptions.onResponse` (issue 15, the platform check): every response that arrives is reported
 * with the platform headers the browser could read, for reads and writes, successes and failures.
 */
import { http, HttpResponse } from 'msw';
import { getMe, patchParticipantWrapup, postCommunicationWrapup, queryConversationDetails } from './api.ts';
import { configureClient, resetClientForTests, setAccessToken } from './client.ts';
import { responseSeen, type ResponseSeen } from './http-client.ts';
import { instantClock, recordingServer, SIM } from './test-support.ts';

const rec = recordingServer();
const { server, seen } = rec;
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  seen.length = 0;
  const t = instantClock();
  configureClient({ kind: 'sim', baseUrl: SIM }, { clock: t.clock, random: () => 0, limiterOptions: { clock: t.clock } });
  setAccessToken('tok');
});
afterEach(() => {
  server.resetHandlers();
  resetClientForTests();
});

const API = `${SIM}/api/v2`;
const RATE = { 'inin-ratelimit-count': '3', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '42', 'inin-correlation-id': 'corr-1' };

describe('responseSeen', () => {
  it('keeps only the observed headers, case-insensitively, from plain objects and Fetch headers', () => {
    expect(responseSeen(200, { 'Inin-RateLimit-Count': '7', 'content-type': 'x', 'Retry-After': '2' })).toEqual({
      status: 200,
      headers: { 'inin-ratelimit-count': '7', 'retry-after': '2' },
    });
    expect(responseSeen(204, new Headers({ 'inin-correlation-id': 'c' }))).toEqual({ status: 204, headers: { 'inin-correlation-id': 'c' } });
    expect(responseSeen(200, undefined)).toEqual({ status: 200, headers: {} });
  });
});

describe('onResponse', () => {
  it('reports a read with its readable rate-limit headers and correlation id', async () => {
    server.use(http.get(`${API}/users/me`, () => HttpResponse.json({ id: 'me' }, { headers: RATE })));
    const got: ResponseSeen[] = [];
    await getMe({ onResponse: (s) => got.push(s) });
    expect(got).toEqual([
      { status: 200, headers: { 'inin-ratelimit-count': '3', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '42', 'inin-correlation-id': 'corr-1' } },
    ]);
  });

  it('reports a response without those headers as such (hidden from this origin)', async () => {
    server.use(http.post(`${API}/analytics/conversations/details/query`, () => HttpResponse.json({})));
    const got: ResponseSeen[] = [];
    await queryConversationDetails({ interval: 'x/y' }, { onResponse: (s) => got.push(s) });
    expect(got).toEqual([{ status: 200, headers: {} }]);
  });

  it('reports every attempt of a retried read, and a refusal', async () => {
    let n = 0;
    server.use(
      http.post(`${API}/analytics/conversations/details/query`, () => {
        n += 1;
        return n === 1
          ? HttpResponse.json({ status: 503, code: 'service.unavailable', message: 'x' }, { status: 503 })
          : HttpResponse.json({ status: 400, code: 'bad.request', message: 'Interval too long' }, { status: 400, headers: { 'inin-correlation-id': 'c2' } });
      }),
    );
    const got: ResponseSeen[] = [];
    await expect(queryConversationDetails({ interval: 'x/y' }, { onResponse: (s) => got.push(s) })).rejects.toMatchObject({ status: 400 });
    expect(got.map((s) => s.status)).toEqual([503, 400]);
    expect(got[1]?.headers['inin-correlation-id']).toBe('c2');
  });

  it('reaches the wrap-up POST and PATCH (a success carries its correlation id only in the header)', async () => {
    server.use(
      http.post(
        `${API}/conversations/calls/c1/participants/p1/communications/m1/wrapup`,
        () => new HttpResponse(null, { status: 202, headers: { 'inin-correlation-id': 'post-1' } }),
      ),
      http.patch(`${API}/conversations/calls/c1/participants/p1`, () =>
        HttpResponse.json(
          { status: 403, code: 'not.authorized', message: 'no', contextId: 'ctx' },
          { status: 403, headers: { 'inin-correlation-id': 'patch-1' } },
        ),
      ),
    );
    const got: ResponseSeen[] = [];
    await postCommunicationWrapup('calls', 'c1', 'p1', 'm1', { code: 'w' }, { onResponse: (s) => got.push(s) });
    await expect(patchParticipantWrapup('calls', 'c1', 'p1', { code: 'w' }, { onResponse: (s) => got.push(s) })).rejects.toMatchObject({ status: 403 });
    expect(got).toEqual([
      { status: 202, headers: { 'inin-correlation-id': 'post-1' } },
      { status: 403, headers: { 'inin-correlation-id': 'patch-1' } },
    ]);
  });

  it('an observer that throws changes nothing', async () => {
    server.use(http.get(`${API}/users/me`, () => HttpResponse.json({ id: 'me' })));
    await expect(
      getMe({
        onResponse: () => {
          throw new Error('boom');
        },
      }),
    ).resolves.toEqual({ id: 'me' });
  });
});
