/** The request gate alone (issue 13): a fake limiter and a fake clock, no runner, no org. */
import type { Clock, LimiterState } from '@/lib/genesys/rate-limiter.ts';
import { RequestGate } from './request-gate.ts';

function setup() {
  let t = 1_000;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: Clock = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (h) => void timers.splice(timers.indexOf(h as (typeof timers)[number]) >>> 0, 1),
  };
  const state = { queued: 0, inFlight: 0, maxConcurrent: 2, pausedUntil: null, sentInWindow: 0, budgetPerMinute: 60 } as unknown as LimiterState;
  let readyAt = 0;
  const limiter = { getState: () => state, readyAt: () => readyAt, subscribe: () => () => undefined };
  let running = true;
  const gate = new RequestGate({ limiter, clock, running: () => running });
  return {
    gate,
    state,
    timers,
    setReadyAt: (v: number) => void (readyAt = v),
    setRunning: (v: boolean) => void (running = v),
    advanceTo: (v: number) => {
      t = v;
      const due = timers.filter((x) => x.at <= v);
      for (const timer of due) timers.splice(timers.indexOf(timer), 1);
      for (const timer of due) timer.fn();
    },
  };
}

describe('RequestGate', () => {
  it('sends at once when the limiter would let the request through, and counts it by kind', async () => {
    const g = setup();
    const r = await g.gate.send('write', () => Promise.resolve('ok'));
    expect(r).toEqual({ halted: false, ok: true, value: 'ok', sentAt: 1_000 });
    await g.gate.send('read', () => Promise.resolve(1));
    await g.gate.send('check', () => Promise.resolve(2));
    expect(g.gate.requests).toEqual({ writes: 1, reads: 1, checks: 1 });
  });

  it('holds requests while the limiter has waiters or no free slot, and sends them on the next drain', async () => {
    const g = setup();
    g.state.queued = 1;
    const thunk = vi.fn(() => Promise.resolve('x'));
    const p = g.gate.send('write', thunk);
    expect(thunk).not.toHaveBeenCalled();
    g.state.queued = 0;
    g.state.inFlight = 2;
    g.gate.drain();
    expect(thunk).not.toHaveBeenCalled();
    g.state.inFlight = 1;
    g.gate.drain(); // the limiter's event
    expect(thunk).toHaveBeenCalledTimes(1);
    await expect(p).resolves.toMatchObject({ halted: false, ok: true });
  });

  it("waits for the limiter's window by a timer (the window sends no event)", () => {
    const g = setup();
    g.setReadyAt(1_500);
    const thunk = vi.fn(() => Promise.resolve(null));
    void g.gate.send('read', thunk);
    expect(thunk).not.toHaveBeenCalled();
    expect(g.timers.map((x) => x.at)).toEqual([1_500]);
    g.advanceTo(1_499);
    expect(thunk).not.toHaveBeenCalled();
    g.advanceTo(1_500);
    expect(thunk).toHaveBeenCalledTimes(1);
    expect(g.timers).toEqual([]);
  });

  it('halts everything waiting, unsent and not stale, once the job is not running', async () => {
    const g = setup();
    g.state.queued = 1;
    const thunk = vi.fn(() => Promise.resolve(1));
    const p = g.gate.send('write', thunk);
    g.setRunning(false);
    g.gate.drain();
    await expect(p).resolves.toEqual({ halted: true, stale: false });
    expect(thunk).not.toHaveBeenCalled();
    expect(g.gate.requests.writes).toBe(0);
  });

  it('does not send a request whose check no longer holds when it would leave (stale)', async () => {
    const g = setup();
    g.state.queued = 1;
    let valid = true;
    const thunk = vi.fn(() => Promise.resolve(1));
    const p = g.gate.send('write', thunk, () => valid);
    valid = false; // e.g. an event arrived for the item while it waited
    g.state.queued = 0;
    g.gate.drain();
    await expect(p).resolves.toEqual({ halted: true, stale: true });
    expect(thunk).not.toHaveBeenCalled();
  });

  it('turns a rejection, and a thunk that throws, into an ApiError value with the send time', async () => {
    const g = setup();
    const rejected = await g.gate.send('write', () => Promise.reject(new Error('boom')));
    expect(rejected).toMatchObject({ halted: false, ok: false, sentAt: 1_000 });
    const thrown = await g.gate.send('read', () => {
      throw new Error('sync');
    });
    expect(thrown.halted === false && !thrown.ok && thrown.error.message).toBe('sync');
  });
});
