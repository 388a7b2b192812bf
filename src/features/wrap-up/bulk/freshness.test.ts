/** Freshness alone (issue 13): when an observation is good enough to write on. No runner, no org. */
import { Freshness } from './freshness.ts';
import { RACE_WINDOW_MS, RUNNER_DEFAULTS } from './runner-types.ts';
import { T0, handClock, partItem } from './part-fixtures.ts';

const CODE = 'w-ours';

function setup(o: { verify?: 'batched' | 'per-item'; requireEventProof?: boolean; covered?: Record<string, number> } = {}) {
  const clock = handClock();
  const covered = new Map(Object.entries(o.covered ?? {}));
  const fresh = new Freshness({
    clock,
    cfg: { ...RUNNER_DEFAULTS, requireEventProof: o.requireEventProof ?? false },
    job: () => ({ code: { id: CODE }, options: { verify: o.verify ?? 'batched' } }),
    coveredSince: (cid) => covered.get(cid) ?? null,
  });
  return { clock, fresh, covered };
}

const ev = (n: number, code: string, over: Partial<{ participantId: string; communicationId: string }> = {}) => ({
  conversationId: `c${n}`,
  participantId: 'p',
  communicationId: 's',
  code,
  receivedAt: 0,
  ...over,
});

describe('Freshness.validForWrite', () => {
  it('without coverage: an analytics observation is good for maxStaleMs, not a moment longer', () => {
    const { clock, fresh } = setup();
    const it = partItem(1);
    clock.set(T0 + RUNNER_DEFAULTS.maxStaleMs);
    expect(fresh.validForWrite(it)).toBe(true);
    clock.set(T0 + RUNNER_DEFAULTS.maxStaleMs + 1);
    expect(fresh.validForWrite(it)).toBe(false);
  });

  it('covered: an observation taken analyticsLagMs after coverage began stays good however old', () => {
    const { clock, fresh } = setup({ covered: { c1: T0 - RUNNER_DEFAULTS.analyticsLagMs } });
    const it = partItem(1);
    clock.set(T0 + 3_600_000);
    expect(fresh.isCovered(it)).toBe(true);
    expect(fresh.validForWrite(it)).toBe(true);
    // Taken less than the lag after coverage began: analytics may not have seen an earlier wrap-up.
    const early = partItem(1, { observed: { status: 'missing', codeId: null, at: T0 - RUNNER_DEFAULTS.analyticsLagMs + 1 } });
    expect(fresh.isCovered(early)).toBe(false);
    expect(fresh.validForWrite(early)).toBe(false);
  });

  it('pending after-call work needs a recent live read unless covered', () => {
    const { clock, fresh } = setup();
    const analytics = partItem(1, { observed: { status: 'missing', codeId: null, at: T0, acwSince: T0 - 600_000 } });
    expect(fresh.validForWrite(analytics)).toBe(false);
    const live = partItem(1, { observed: { status: 'missing', codeId: null, at: T0, acwSince: T0 - 600_000, live: true } });
    expect(fresh.validForWrite(live)).toBe(true);
    clock.set(T0 + RUNNER_DEFAULTS.maxReadAgeMs + 1);
    expect(fresh.validForWrite(live)).toBe(false);
  });

  it("a live read's age counts from its answer, not from when it was sent", () => {
    const { clock, fresh } = setup({ verify: 'per-item' });
    const it = partItem(1, { observed: { status: 'missing', codeId: null, at: T0, live: true } });
    clock.set(T0 + 8_000); // a slow answer
    fresh.readAnswered(it.key);
    clock.set(T0 + 8_000 + RUNNER_DEFAULTS.maxReadAgeMs);
    expect(fresh.validForWrite(it)).toBe(true);
    clock.set(T0 + 8_001 + RUNNER_DEFAULTS.maxReadAgeMs);
    expect(fresh.validForWrite(it)).toBe(false);
  });

  it('per-item (chosen, or events not yet proven for our writes) never writes on analytics, even covered', () => {
    for (const o of [{ verify: 'per-item' as const }, { requireEventProof: true }]) {
      const { fresh } = setup({ ...o, covered: { c1: T0 - 60_000 } });
      expect(fresh.perItem()).toBe(true);
      expect(fresh.validForWrite(partItem(1))).toBe(false);
    }
  });

  it('an item marked for a live read, or with a newer event, is not valid', () => {
    const { clock, fresh } = setup();
    expect(fresh.validForWrite(partItem(1, { recheck: true }))).toBe(false);
    const it = partItem(1);
    clock.set(T0 + 1);
    fresh.onEvent(ev(1, 'w-agent'), [it]);
    expect(fresh.validForWrite(it)).toBe(false);
    fresh.mergeEvent(it);
    expect(it.observed).toMatchObject({ status: 'coded', codeId: 'w-agent', at: T0 + 1, live: true });
  });
});

describe('Freshness.onEvent', () => {
  it('an event for our own write proves that the platform reports our writes, and that it landed', () => {
    const { clock, fresh } = setup({ requireEventProof: true });
    const it = partItem(1, { status: 'in-flight' });
    fresh.writeLeft(it.key);
    expect(fresh.ownWriteSeenAt(it)).toBeNull();
    clock.set(T0 + 200);
    const effect = fresh.onEvent(ev(1, CODE), [it]);
    expect(effect).toEqual({ proven: true, raced: null, drain: true });
    expect(fresh.perItem()).toBe(false);
    expect(fresh.ownWriteSeenAt(it)).toBe(T0 + 200);
  });

  it('another code while our write is in flight is remembered and flagged once ours lands', () => {
    const { clock, fresh } = setup();
    const it = partItem(1, { status: 'in-flight' });
    fresh.writeLeft(it.key);
    clock.set(T0 + 100);
    fresh.onEvent(ev(1, 'w-agent'), [it]);
    fresh.flagIfRaced(it);
    expect(it.mayHaveReplaced).toEqual({ code: 'w-agent', at: T0 + 100 });
  });

  it('another code after our write was applied flags it within the race window only', () => {
    const { clock, fresh } = setup();
    const it = partItem(1, { status: 'applied' });
    fresh.writeLeft(it.key);
    clock.set(T0 + RACE_WINDOW_MS + 1);
    expect(fresh.onEvent(ev(1, 'w-agent'), [it])).toEqual({ proven: false, raced: null, drain: false });
    expect(it.mayHaveReplaced).toBeUndefined();
    clock.set(T0 + RACE_WINDOW_MS);
    expect(fresh.onEvent(ev(1, 'w-agent'), [it]).raced).toBe(it);
    expect(it.mayHaveReplaced).toEqual({ code: 'w-agent', at: T0 + RACE_WINDOW_MS });
  });

  it('an event that names none of the items exactly marks the open items of its conversation for a live read', () => {
    const { fresh } = setup();
    const open = partItem(1);
    const done = partItem(1, { key: 'other', participantId: 'p2', status: 'applied' });
    expect(fresh.onEvent(ev(1, 'w-agent', { communicationId: 'unknown' }), [open, done]).drain).toBe(true);
    expect(open.recheck).toBe(true);
    expect(done.recheck).toBe(false);
    expect(fresh.onEvent(ev(1, 'w-agent', { communicationId: 'unknown' }), [done]).drain).toBe(false);
  });
});

describe('Freshness.worthChecking', () => {
  it('without coverage: once half of maxStaleMs has passed; pending after-call work never (it is read live)', () => {
    const { clock, fresh } = setup();
    clock.set(T0 + RUNNER_DEFAULTS.maxStaleMs / 2);
    expect(fresh.worthChecking(partItem(1))).toBe(false);
    clock.set(T0 + RUNNER_DEFAULTS.maxStaleMs / 2 + 1);
    expect(fresh.worthChecking(partItem(1))).toBe(true);
    expect(fresh.worthChecking(partItem(1, { observed: { status: 'missing', codeId: null, at: T0, acwSince: T0 - 600_000 } }))).toBe(false);
  });

  it('watched: when a check now would make the item covered', () => {
    const { clock, fresh } = setup({ covered: { c1: T0 } });
    expect(fresh.worthChecking(partItem(1))).toBe(false); // too early for analytics to have caught up
    clock.set(T0 + RUNNER_DEFAULTS.analyticsLagMs);
    expect(fresh.worthChecking(partItem(1))).toBe(true);
    expect(fresh.coverableAt(partItem(1))).toBe(T0 + RUNNER_DEFAULTS.analyticsLagMs);
  });
});
