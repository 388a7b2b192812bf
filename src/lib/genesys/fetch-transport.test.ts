/**
 * PlatformHttpClient with a `fetch`-like transport (the in-process sim): the SDK gets parsed bodies,
 * and errors, retries and 429 pauses are the ones the axios path gives (checklist #13–17).
 */
import { createInProcessSim, SUPERVISOR_EMAIL, type InProcessSim } from '../../../genesys-sim/src/index.ts';
import { getMe, listQueues, writeWrapup } from './api.ts';
import { isApiError, type ApiError } from './api-error.ts';
import { configureClient, getRateLimiter, resetClientForTests, setAccessToken } from './client.ts';
import { RateLimiter } from './rate-limiter.ts';
import { instantClock } from './test-support.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');

function setup(faults: Parameters<InProcessSim['setFaults']>[0] = {}) {
  const { clock, delays } = instantClock(NOW);
  const sim = createInProcessSim({ conversations: 120, days: 2, now: NOW, faults }, clock);
  configureClient(
    { kind: 'sim', baseUrl: sim.url },
    { limiter: new RateLimiter({ clock }), clock, timeoutClock: clock, transport: sim.fetch, random: () => 0 },
  );
  setAccessToken(sim.mintToken(SUPERVISOR_EMAIL));
  const calls = () => [...sim.state.requestLog.values()].flatMap((l) => l.entries);
  return { sim, clock, delays, calls };
}

/** A missing item's wrap-up target and a code its queue allows. */
function target(sim: InProcessSim) {
  for (const c of sim.state.org.conversations) {
    const p = c.participants.find(
      (x) => x.purpose === 'agent' && x.queueId && x.comms[0]?.state === 'disconnected' && !x.comms[0].wrapup && x.comms[0].media === 'voice',
    );
    if (!p) continue;
    const code = sim.state.org.queuesById.get(p.queueId!)!.codeIds[0]!;
    return { t: { media: 'calls' as const, conversationId: c.id, participantId: p.id, communicationId: p.comms[0]!.id }, code };
  }
  throw new Error('no target');
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!isApiError(e)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

afterEach(() => resetClientForTests());

describe('PlatformHttpClient over the in-process sim', () => {
  it('returns the parsed body of a 200, with query parameters and the token sent', async () => {
    const { calls } = setup();
    const me = await getMe();
    expect(me.email).toBe(SUPERVISOR_EMAIL);
    const queues = await listQueues();
    expect(queues.length).toBeGreaterThan(1);
    expect(calls().every((c) => c.status === 200)).toBe(true);
  });

  it('retries a read after 5xx with backoff on the injected clock, and succeeds', async () => {
    const { calls, delays } = setup({ scope: 'all', rate5xx: 1, maxFaults: 2 });
    expect((await getMe()).email).toBe(SUPERVISOR_EMAIL);
    expect(calls().map((c) => c.status)).toEqual([503, 503, 200]);
    // backoffMs(1), backoffMs(2) with random() = 0.
    expect(delays).toEqual(expect.arrayContaining([1_000, 2_000]));
  });

  it('a write answered 429 with Retry-After is not retried, and pauses the whole limiter until then', async () => {
    const { sim, clock, calls } = setup({ rate429RetryAfter: 1, retryAfterSeconds: 30, maxFaults: 1 });
    const { t, code } = target(sim);
    const e = await failure(writeWrapup('post', t, { code }));
    expect(e).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 30_000 });
    expect(calls().filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(getRateLimiter().getState().pausedUntil).toBe(clock.now() + 30_000);
  });

  it('a dropped connection is a network error and a lost response one too, though the sim applied the write', async () => {
    const { sim } = setup({ rateDrop: 1, maxFaults: 1 });
    const { t, code } = target(sim);
    expect(await failure(writeWrapup('post', t, { code }))).toMatchObject({ kind: 'network', status: 0 });
    sim.setFaults({ rateDrop: 0, rateLostResponse: 1, maxFaults: 1 });
    expect(await failure(writeWrapup('post', t, { code }))).toMatchObject({ kind: 'network', status: 0 });
    expect(sim.state.writeLog.map((w) => [w.outcome, w.responseLost])).toEqual([
      ['fault', false],
      ['applied', true],
    ]);
  });

  it('an error body is read into the ApiError (platform code and contextId)', async () => {
    const { sim } = setup();
    const { t } = target(sim);
    const e = await failure(writeWrapup('post', t, { code: 'no-such-code' }));
    expect(e.status).toBe(400);
    expect(e.contextId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
