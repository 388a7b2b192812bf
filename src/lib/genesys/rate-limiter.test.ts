import fc from 'fast-check';
import { DEFAULT_BUDGET_PER_MINUTE, RateLimiter, type LimiterState } from './rate-limiter.ts';
import { memoryStorage, storageSendLog } from './shared-send-log.ts';

const WINDOW = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-03-02T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RateLimiter', () => {
  it('defaults to 90% of 300 per minute, or of a given limit', () => {
    expect(DEFAULT_BUDGET_PER_MINUTE).toBe(270);
    expect(new RateLimiter().getState().budgetPerMinute).toBe(270);
    expect(new RateLimiter({ limitPerMinute: 60 }).getState().budgetPerMinute).toBe(54);
    expect(new RateLimiter({ limitPerMinute: 100, budgetFraction: 0.5 }).getState().budgetPerMinute).toBe(50);
    const l = new RateLimiter();
    l.setLimit(1000);
    expect(l.getState().budgetPerMinute).toBe(900);
    expect(() => new RateLimiter({ budgetFraction: 2 })).toThrow(RangeError);
  });

  it('lets the budget through at once, then waits for the window to slide', async () => {
    const l = new RateLimiter({ budgetPerMinute: 3, maxConcurrent: 10 });
    const sent: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 5; i++) void l.acquire().then((release) => (sent.push(Date.now() - start), release()));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([0, 0, 0]);
    expect(l.getState()).toMatchObject({ queued: 2, sentInWindow: 3 });
    await vi.advanceTimersByTimeAsync(WINDOW - 1);
    expect(sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([0, 0, 0, WINDOW, WINDOW]);
  });

  it('caps concurrency and releases are idempotent', async () => {
    const l = new RateLimiter({ budgetPerMinute: 100, maxConcurrent: 2 });
    const releases: (() => void)[] = [];
    for (let i = 0; i < 4; i++) void l.acquire().then((r) => releases.push(r));
    await vi.advanceTimersByTimeAsync(0);
    expect(releases).toHaveLength(2);
    releases[0]!();
    releases[0]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(releases).toHaveLength(3);
    expect(l.getState()).toMatchObject({ inFlight: 2, queued: 1 });
  });

  it('pauses the whole queue until the given time and tells listeners', async () => {
    const l = new RateLimiter({ budgetPerMinute: 100 });
    const states: LimiterState[] = [];
    l.subscribe((s) => states.push(s));
    const until = Date.now() + 5000;
    l.pauseUntil(until);
    l.pauseUntil(until - 1000); // never shortens
    let at = 0;
    void l.acquire().then((r) => ((at = Date.now()), r()));
    await vi.advanceTimersByTimeAsync(4999);
    expect(at).toBe(0);
    expect(l.getState()).toMatchObject({ queued: 1, pausedUntil: until });
    await vi.advanceTimersByTimeAsync(1);
    expect(at).toBe(until);
    expect(l.getState().pausedUntil).toBeNull();
    expect(states.some((s) => s.pausedUntil === until)).toBe(true);
  });

  it('serves a waiter that may ignore the pause during it, still within the window, and nobody else', async () => {
    const l = new RateLimiter({ budgetPerMinute: 2, maxConcurrent: 10 });
    const until = Date.now() + 400_000;
    l.pauseUntil(until);
    const served: string[] = [];
    void l.acquire().then((r) => (served.push('queued-first'), r()));
    void l.acquire(undefined, { ignorePause: true }).then((r) => (served.push('login-1'), r()));
    void l.acquire(undefined, { ignorePause: true }).then((r) => (served.push('login-2'), r()));
    void l.acquire(undefined, { ignorePause: true }).then((r) => (served.push('login-3'), r()));
    await vi.advanceTimersByTimeAsync(0);
    expect(served).toEqual(['login-1', 'login-2']);
    expect(l.getState()).toMatchObject({ queued: 2, sentInWindow: 2, pausedUntil: until });
    await vi.advanceTimersByTimeAsync(WINDOW);
    expect(served).toEqual(['login-1', 'login-2', 'login-3']);
    await vi.advanceTimersByTimeAsync(until - Date.now() - 1);
    expect(served).not.toContain('queued-first');
    await vi.advanceTimersByTimeAsync(1);
    expect(served.at(-1)).toBe('queued-first');
  });

  it('announces the end of a pause even with nobody waiting', async () => {
    const l = new RateLimiter();
    const seen: (number | null)[] = [];
    l.subscribe((s) => seen.push(s.pausedUntil));
    l.pauseUntil(Date.now() + 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.at(-1)).toBeNull();
  });

  it('removes an aborted waiter and serves the next one', async () => {
    const l = new RateLimiter({ budgetPerMinute: 100, maxConcurrent: 1 });
    const first = await l.acquire();
    const ctrl = new AbortController();
    const aborted = l.acquire(ctrl.signal);
    const third = l.acquire();
    ctrl.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(l.getState().queued).toBe(1);
    first();
    await expect(third).resolves.toBeTypeOf('function');
  });

  it('rejects at once for an already aborted signal', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(new RateLimiter().acquire(ctrl.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('applies a lower budget at run time', async () => {
    const l = new RateLimiter({ budgetPerMinute: 10 });
    for (let i = 0; i < 3; i++) (await l.acquire())();
    l.setBudget(3);
    let got = false;
    void l.acquire().then(() => (got = true));
    await vi.advanceTimersByTimeAsync(WINDOW - 1);
    expect(got).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toBe(true);
  });

  it('dispose rejects waiters', async () => {
    const l = new RateLimiter({ budgetPerMinute: 1 });
    (await l.acquire())();
    const w = l.acquire();
    l.dispose();
    await expect(w).rejects.toMatchObject({ name: 'AbortError' });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties, under fake timers: random arrivals, hold times, aborts and 429 pauses.

const opArb = fc.record({
  arriveAt: fc.integer({ min: 0, max: 180_000 }),
  holdMs: fc.integer({ min: 0, max: 20_000 }),
  abortAfter: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: undefined }),
});
const pauseArb = fc.record({ at: fc.integer({ min: 0, max: 180_000 }), duration: fc.integer({ min: 1, max: 90_000 }) });

describe('RateLimiter properties', () => {
  it('never exceeds the budget in any window, sends nothing during a pause, is FIFO, drops aborted waiters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.array(pauseArb, { maxLength: 3 }),
        async (budget, maxConcurrent, ops, pauses) => {
          vi.setSystemTime(0);
          const l = new RateLimiter({ budgetPerMinute: budget, maxConcurrent, windowMs: WINDOW });
          let seq = 0;
          const sends: { idx: number; at: number; seq: number }[] = [];
          const pauseWindows: [number, number, number][] = [];
          const outcome = new Map<number, 'sent' | 'aborted' | 'other'>();
          let inFlight = 0;
          let maxInFlight = 0;
          let nextIdx = 0;

          // Arrivals in time order; equal times keep array order.
          const arrivals = ops.map((op, i) => ({ ...op, i })).sort((a, b) => a.arriveAt - b.arriveAt || a.i - b.i);
          for (const op of arrivals) {
            setTimeout(() => {
              const idx = nextIdx++;
              const ctrl = new AbortController();
              if (op.abortAfter !== undefined) setTimeout(() => ctrl.abort(), op.abortAfter);
              l.acquire(ctrl.signal).then(
                (release) => {
                  outcome.set(idx, 'sent');
                  sends.push({ idx, at: Date.now(), seq: seq++ });
                  inFlight += 1;
                  maxInFlight = Math.max(maxInFlight, inFlight);
                  setTimeout(() => {
                    inFlight -= 1;
                    release();
                  }, op.holdMs);
                },
                (e: unknown) => outcome.set(idx, (e as Error).name === 'AbortError' && ctrl.signal.aborted ? 'aborted' : 'other'),
              );
            }, op.arriveAt);
          }
          for (const p of pauses) {
            setTimeout(() => {
              pauseWindows.push([Date.now(), Date.now() + p.duration, seq++]);
              l.pauseUntil(Date.now() + p.duration);
            }, p.at);
          }
          await vi.runAllTimersAsync();

          // Every op ended: sent, or rejected because its own signal aborted.
          expect(outcome.size).toBe(ops.length);
          expect([...outcome.values()].every((o) => o !== 'other')).toBe(true);
          // Budget: for every send, the sends within [t, t + window) are at most the budget.
          const times = sends.map((s) => s.at).sort((a, b) => a - b);
          for (let i = 0; i < times.length; i++) {
            let j = i;
            while (j < times.length && times[j]! < times[i]! + WINDOW) j++;
            expect(j - i).toBeLessThanOrEqual(budget);
          }
          // Pause: nothing sent after a pause was requested and before it ended.
          for (const [from, until, pauseSeq] of pauseWindows) {
            expect(sends.some((s) => s.seq > pauseSeq && s.at >= from && s.at < until)).toBe(false);
          }
          // FIFO: served in arrival order.
          expect(sends.map((s) => s.idx)).toEqual([...sends.map((s) => s.idx)].sort((a, b) => a - b));
          expect(maxInFlight).toBeLessThanOrEqual(maxConcurrent);
          expect(l.getState()).toMatchObject({ queued: 0, inFlight: 0 });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('RateLimiter with a shared send log (tabs, reloads)', () => {
  it('two tabs together never exceed the budget in any window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ tab: fc.integer({ min: 0, max: 1 }), at: fc.integer({ min: 0, max: 150_000 }) }), { minLength: 1, maxLength: 60 }),
        async (requests) => {
          vi.setSystemTime(Date.parse('2026-03-02T10:00:00Z'));
          const store = memoryStorage();
          const tabs = [0, 1].map(() => new RateLimiter({ budgetPerMinute: 7, maxConcurrent: 50, shared: storageSendLog(store) }));
          const sent: number[] = [];
          const start = Date.now();
          for (const r of [...requests].sort((a, b) => a.at - b.at)) {
            await vi.advanceTimersByTimeAsync(Math.max(0, start + r.at - Date.now()));
            void tabs[r.tab]!.acquire().then((release) => {
              sent.push(Date.now());
              release();
            });
          }
          await vi.advanceTimersByTimeAsync(20 * WINDOW);
          expect(sent).toHaveLength(requests.length);
          sent.sort((a, b) => a - b);
          for (let i = 7; i < sent.length; i++) expect(sent[i]! - sent[i - 7]!).toBeGreaterThanOrEqual(WINDOW);
          tabs.forEach((t) => t.dispose());
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a reloaded page respects the sends and the pause of the page before it', async () => {
    const store = memoryStorage();
    const before = new RateLimiter({ budgetPerMinute: 2, shared: storageSendLog(store) });
    for (let i = 0; i < 2; i++) (await before.acquire())();
    before.pauseUntil(Date.now() + 5_000);
    before.dispose();
    // The reload: a new limiter over the same storage.
    const after = new RateLimiter({ budgetPerMinute: 2, shared: storageSendLog(store) });
    expect(after.getState().sentInWindow).toBe(2);
    expect(after.readyAt()).toBe(Date.now() + WINDOW);
    let at = 0;
    const start = Date.now();
    void after.acquire().then((r) => ((at = Date.now() - start), r()));
    await vi.advanceTimersByTimeAsync(WINDOW);
    expect(at).toBe(WINDOW);
    const third = new RateLimiter({ budgetPerMinute: 5, shared: storageSendLog(store) });
    third.pauseUntil(Date.now() + 1_000);
    expect(new RateLimiter({ shared: storageSendLog(store) }).readyAt()).toBe(Date.now() + 1_000);
  });

  it('survives junk in storage', () => {
    const store = memoryStorage();
    store.setItem('wud.ratelimit.v1', '{not json');
    expect(new RateLimiter({ budgetPerMinute: 3, shared: storageSendLog(store) }).getState().sentInWindow).toBe(0);
  });

  it("a window that cannot be written (storage full) falls back to this tab's own, never to the stale stored one, and says so once", async () => {
    const store = memoryStorage();
    const other = new RateLimiter({ budgetPerMinute: 3, shared: storageSendLog(store) });
    (await other.acquire())(); // one send of another tab, stored before the storage filled up
    other.dispose();
    const full: Pick<Storage, 'getItem' | 'setItem'> = {
      getItem: (k) => store.getItem(k),
      setItem: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const l = new RateLimiter({ budgetPerMinute: 3, maxConcurrent: 50, shared: storageSendLog(full) });
    expect(l.getState().sharedWindow).toBe(true);
    const sent: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 6; i++) {
      l.acquire().then(
        (release) => (sent.push(Date.now() - start), release()),
        () => undefined,
      );
      await vi.advanceTimersByTimeAsync(1_000);
    }
    // 2 slots were free next to the other tab's send. The stored window never learns of them: the
    // tab keeps its own (the other tab's send and its 2), not the stale stored one (1 send only).
    expect(sent).toEqual([0, 1_000]);
    expect(l.getState()).toMatchObject({ sharedWindow: false, sentInWindow: 3 });
    expect(l.readyAt()).toBe(start + WINDOW);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    l.dispose();
  });
});
