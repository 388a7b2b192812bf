/** The sim without a socket: same pipeline as the HTTP server, on an injected clock; and the maxFaults switch. */
import { createInProcessSim, pickSharedCodeTargets, startSim, wrapupUrl, type OrgSummary, type SimClock, type TruthItem } from '../src/index.ts';
import { SUPERVISOR, call } from './helpers.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');

/** Time moves only when the test says so. */
function manualClock(start = NOW) {
  let t = start;
  let timers: { at: number; fn: () => void }[] = [];
  const clock: SimClock = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (h) => {
      timers = timers.filter((x) => x !== h);
    },
  };
  const advance = async (ms: number) => {
    t += ms;
    const due = timers.filter((x) => x.at <= t);
    timers = timers.filter((x) => x.at > t);
    for (const x of due) x.fn();
    await new Promise((r) => setImmediate(r));
  };
  return { clock, advance, pending: () => timers.length };
}

async function firstTargets(sim: { fetch: ReturnType<typeof createInProcessSim>['fetch']; url: string }, token: string) {
  const interval = `${new Date(NOW - 7 * 86_400_000).toISOString()}/${new Date(NOW).toISOString()}`;
  const truth = (await (
    await sim.fetch(`${sim.url}/__sim/truth`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ interval }) })
  ).json()) as { missing: TruthItem[] };
  const org = (await (await sim.fetch(`${sim.url}/__sim/org`)).json()) as OrgSummary;
  const picked = pickSharedCodeTargets(truth.missing, org)!;
  const post = (item: TruthItem) =>
    sim.fetch(wrapupUrl(sim.url, item), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: picked.code.id }),
    });
  return { items: picked.items, code: picked.code, post };
}

describe('createInProcessSim', () => {
  it('answers like the HTTP server (same org, same bodies, same errors) without opening a socket', async () => {
    const server = await startSim({ control: true, conversations: 60, now: NOW, analyticsLagMs: 0 });
    const local = createInProcessSim({ control: true, conversations: 60, now: NOW, analyticsLagMs: 0 });
    try {
      const viaHttp = await call<{ id: string; email: string }>(server, 'GET', '/api/v2/users/me', { token: server.mintToken(SUPERVISOR) });
      const res = await local.fetch(`${local.url}/api/v2/users/me`, { headers: { Authorization: `Bearer ${local.mintToken(SUPERVISOR)}` } });
      expect(res.status).toBe(viaHttp.status);
      const body = (await res.json()) as { id: string; email: string };
      expect(body.id).toBe(viaHttp.body.id);
      expect(body.email).toBe(SUPERVISOR);
      expect(res.headers.get('inin-ratelimit-count')).toBe('1');
      const noToken = await local.fetch(`${local.url}/api/v2/users/me`);
      expect(noToken.status).toBe(401);
      const noTokenHttp = await call<{ code: string }>(server, 'GET', '/api/v2/users/me');
      expect(((await noToken.json()) as { code: string }).code).toBe(noTokenHttp.body.code);
      expect(local.state.requestLog.size).toBeGreaterThan(0);
    } finally {
      await server.close();
      local.close();
    }
  });

  it('runs on the injected clock: latency and slow faults wait for it, and writes are stamped with its time', async () => {
    const { clock, advance } = manualClock();
    const sim = createInProcessSim({ control: true, conversations: 120, days: 2, now: NOW, latencyMs: 500, faults: { rateSlow: 1, slowMs: 20_000 } }, clock);
    const token = sim.mintToken(SUPERVISOR);
    const { items, post } = await firstTargets(sim, token);
    let status = 0;
    void post(items[0]!).then((r) => (status = r.status));
    await advance(19_999);
    expect(status).toBe(0);
    expect(sim.state.writeLog).toHaveLength(0);
    await advance(1);
    // Processed when the slow wait ended, answered after the latency.
    expect(sim.state.writeLog.map((w) => [w.outcome, w.at])).toEqual([['applied', NOW + 20_000]]);
    expect(status).toBe(0);
    await advance(500);
    expect(status).toBe(202);
    sim.close();
  });

  it('maxFaults: only the first N in-scope calls are hit; a drop rejects like a failed fetch', async () => {
    // On a clock that stays at NOW: the org's items are within their wrap-up window.
    const sim = createInProcessSim({ control: true, conversations: 120, days: 2, now: NOW, faults: { rate5xx: 1, maxFaults: 2 } }, manualClock().clock);
    const token = sim.mintToken(SUPERVISOR);
    const { items, post } = await firstTargets(sim, token);
    const statuses = [];
    for (const item of items.slice(0, 4)) statuses.push((await post(item)).status);
    expect(statuses).toEqual([503, 503, 202, 202]);
    // Setting faults again restarts the count.
    sim.setFaults({ rate5xx: 0, rateDrop: 1, maxFaults: 1 });
    await expect(post(items[4]!)).rejects.toThrow(TypeError);
    expect((await post(items[5]!)).status).toBe(202);
    // A refusal with the platform's ErrorBody for its status.
    sim.setFaults({ rateDrop: 0, rateRefuse: 1, refuseStatus: 422, maxFaults: 1 });
    const refused = await post(items[6]!);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { code: string }).code).toBe('unprocessable.entity');
    expect((await post(items[7]!)).status).toBe(202);
    expect(sim.state.writeLog.map((w) => w.outcome)).toEqual(['fault', 'fault', 'applied', 'applied', 'fault', 'applied', 'fault', 'applied']);
    sim.close();
  });
});
