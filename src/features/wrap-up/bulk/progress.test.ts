/** Progress alone (issue 13): incremental counts, the last minute's rate, the snapshot. No runner. */
import type { LimiterState } from '@/lib/genesys/rate-limiter.ts';
import { countItems } from './model.ts';
import { ProgressCounter, RECENT_MS, progressOf, type ProgressInput } from './progress.ts';
import { T0, partItem, partJob } from './part-fixtures.ts';

const limiter = (over: Partial<LimiterState> = {}) =>
  ({ queued: 0, inFlight: 0, pausedUntil: null, sentInWindow: 0, budgetPerMinute: 120, maxConcurrent: 4, ...over }) as LimiterState;

function input(over: Partial<ProgressInput> = {}): ProgressInput {
  return {
    job: partJob(),
    counts: countItems([]),
    requests: { writes: 0, reads: 0, checks: 0 },
    recent: 0,
    runningSince: T0,
    limiter: limiter(),
    now: T0 + RECENT_MS,
    watch: null,
    perItem: false,
    ...over,
  };
}

describe('ProgressCounter', () => {
  it('keeps the counts equal to a re-count through any sequence of status changes', () => {
    const items = Array.from({ length: 6 }, (_, i) => partItem(i));
    const c = new ProgressCounter(items);
    const steps = [
      [0, 'in-flight'],
      [0, 'applied'],
      [1, 'in-flight'],
      [1, 'pending'],
      [2, 'already-coded'],
      [3, 'failed'],
      [3, 'failed'], // no change
      [4, 'skipped'],
    ] as const;
    for (const [i, status] of steps) {
      c.setStatus(items[i]!, status);
      expect(c.counts).toEqual(countItems(items));
    }
    expect(c.counts).toMatchObject({ selected: 6, pending: 2, applied: 1, alreadyCoded: 1, failed: 1, skipped: 1, inFlight: 0 });
  });

  it('counts the finishes of the last minute only, however many came before', () => {
    const c = new ProgressCounter([]);
    for (let i = 0; i < 5_000; i++) c.finished(T0 + i * 100); // 500 s of finishes, 10 a second
    const now = T0 + 5_000 * 100;
    expect(c.recent(now - 1)).toBe(600);
    expect(c.recent(now)).toBe(599); // the one exactly a minute old has left
    expect(c.recent(now + RECENT_MS)).toBe(0);
  });

  it('keeps finishes in order when a time goes back, so none is dropped early', () => {
    const c = new ProgressCounter([]);
    c.finished(T0 + 1_000);
    c.finished(T0 + 500);
    expect(c.recent(T0 + 1_000 + RECENT_MS - 1)).toBe(2);
  });
});

describe('progressOf', () => {
  it('no rate before 5 finishes; then finishes per minute over the time since the start (at most a minute)', () => {
    expect(progressOf(input({ recent: 4 })).perMinute).toBeNull();
    expect(progressOf(input({ recent: 10, now: T0 + 30_000 })).perMinute).toBe(20);
    expect(progressOf(input({ recent: 10, now: T0 + 5 * RECENT_MS })).perMinute).toBe(10);
  });

  it('ETA: remaining items at the measured rate, capped by the budget, plus a rate-limit pause; none unless running', () => {
    const counts = { ...countItems([]), selected: 120, pending: 50, inFlight: 10 };
    const now = T0 + RECENT_MS;
    expect(progressOf(input({ counts, recent: 60, now })).etaMs).toBe(60_000); // 60 a minute
    expect(progressOf(input({ counts, recent: 600, now })).etaMs).toBe(30_000); // the budget (120) caps it
    expect(progressOf(input({ counts, recent: 60, now, limiter: limiter({ pausedUntil: now + 7_000 }) })).etaMs).toBe(67_000);
    expect(progressOf(input({ counts: { ...counts, pending: 0, inFlight: 0 }, now })).etaMs).toBe(0);
    expect(progressOf(input({ counts, recent: 60, now, job: partJob({ state: 'paused' }) })).etaMs).toBeNull();
  });

  it('held by the rate limit only while running and for more than 10 s', () => {
    const now = T0 + RECENT_MS;
    expect(progressOf(input({ now, limiter: limiter({ pausedUntil: now + 10_001 }) })).heldUntil).toBe(now + 10_001);
    expect(progressOf(input({ now, limiter: limiter({ pausedUntil: now + 10_000 }) })).heldUntil).toBeNull();
    expect(progressOf(input({ now, job: partJob({ state: 'paused' }), limiter: limiter({ pausedUntil: now + 60_000 }) })).heldUntil).toBeNull();
  });

  it('says how writes are checked: careful (chosen), each (not yet proven), watch', () => {
    expect(
      progressOf(input({ job: partJob({ options: { replaceExisting: false, includeSystemCoded: false, verify: 'per-item' } }), perItem: true })).checking,
    ).toBe('careful');
    expect(progressOf(input({ perItem: true })).checking).toBe('each');
    expect(progressOf(input({ perItem: false })).checking).toBe('watch');
  });

  it('copies counts and requests, so a later change does not alter a snapshot the UI holds', () => {
    const counts = countItems([partItem(1)]);
    const requests = { writes: 1, reads: 0, checks: 0 };
    const p = progressOf(input({ counts, requests }));
    counts.pending = 0;
    requests.writes = 2;
    expect(p.counts.pending).toBe(1);
    expect(p.requests.writes).toBe(1);
  });
});
