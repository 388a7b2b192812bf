/** The batched re-check alone (issue 13): which conversations one request asks about, and what its answer changes. */
import { ApiError } from '@/lib/genesys/api-error.ts';
import { DETAILS_BATCH_SIZE } from '@/lib/genesys/api.ts';
import { Freshness } from './freshness.ts';
import type { BulkItem } from './model.ts';
import type { DetailsConversation } from './platform-port.ts';
import { BatchedRecheck, applyRecheck, batchIds } from './recheck.ts';
import type { Sent } from './request-gate.ts';
import { RUNNER_DEFAULTS } from './runner-types.ts';
import { T0, handClock, partItem } from './part-fixtures.ts';

const LAG = RUNNER_DEFAULTS.analyticsLagMs;

function setup(items: BulkItem[]) {
  const clock = handClock();
  const fresh = new Freshness({
    clock,
    cfg: { ...RUNNER_DEFAULTS, requireEventProof: false },
    job: () => ({ code: { id: 'w-ours' }, options: { verify: 'batched' } }),
    coveredSince: () => null,
  });
  const byConversation = (cid: string) => items.filter((it) => it.conversationId === cid);
  return { clock, fresh, byConversation, d: { byConversation, fresh, analyticsLagMs: LAG } };
}

/** An analytics conversation whose agent session (p/s) ended and was coded with `code` (null: none, after-call work done). */
function conv(n: number, code: string | null): DetailsConversation {
  const segments = [
    { segmentType: 'interact', segmentStart: '2026-01-01T10:00:00Z', segmentEnd: '2026-01-01T10:05:00Z' },
    { segmentType: 'wrapup', segmentStart: '2026-01-01T10:05:00Z', segmentEnd: '2026-01-01T10:06:00Z', ...(code ? { wrapUpCode: code } : {}) },
  ];
  return { conversationId: `c${n}`, participants: [{ participantId: 'p', purpose: 'agent', sessions: [{ sessionId: 's', mediaType: 'voice', segments }] }] };
}

describe('batchIds', () => {
  it("the item's own conversation first, then upcoming ones worth checking, at most one request's worth", () => {
    const items = Array.from({ length: 150 }, (_, i) => partItem(i));
    const { clock, fresh } = setup(items);
    clock.set(T0 + RUNNER_DEFAULTS.maxStaleMs); // all getting old
    const ids = batchIds(items[120]!, items, 0, fresh, () => false);
    expect(ids).toHaveLength(DETAILS_BATCH_SIZE);
    expect(ids[0]).toBe('c120');
    expect(ids[1]).toBe('c0');
  });

  it('leaves out what a check would not help: finished, marked for a live read, with an event, fresh, or already being checked', () => {
    const items = [
      partItem(0),
      partItem(1, { status: 'applied' }),
      partItem(2, { recheck: true }),
      partItem(3, { unknownOutcome: true }),
      partItem(4),
      partItem(5),
      partItem(6),
    ];
    const { clock, fresh } = setup(items);
    clock.set(T0 + RUNNER_DEFAULTS.maxStaleMs);
    fresh.onEvent({ conversationId: 'c4', participantId: 'p', communicationId: 's', code: 'w-agent', receivedAt: 0 }, [items[4]!]);
    items[5]!.observed = { ...items[5]!.observed, at: T0 + RUNNER_DEFAULTS.maxStaleMs };
    expect(batchIds(items[0]!, items, 0, fresh, (cid) => cid === 'c6')).toEqual(['c0']);
  });
});

describe('applyRecheck', () => {
  it("replaces the observations with analytics' (stamped with the request's time)", () => {
    const items = [partItem(1), partItem(2)];
    const { d } = setup(items);
    const changed = applyRecheck(items[0]!, ['c1', 'c2'], [conv(1, null), conv(2, 'w-agent')], T0 + 20_000, d);
    expect(changed).toEqual(items);
    expect(items[0]!.observed).toMatchObject({ status: 'missing', codeId: null, at: T0 + 20_000 });
    expect(items[1]!.observed).toMatchObject({ status: 'coded', codeId: 'w-agent', at: T0 + 20_000 });
  });

  it('left out by analytics, or no code where one was seen: read live instead (never "still missing")', () => {
    const items = [partItem(1), partItem(2, { observed: { status: 'coded', codeId: 'w-agent', at: T0, live: true } })];
    const { d } = setup(items);
    applyRecheck(items[0]!, ['c1', 'c2'], [conv(2, null)], T0 + 20_000, d);
    expect(items.map((i) => i.recheck)).toEqual([true, true]);
    expect(items[1]!.observed.codeId).toBe('w-agent');
  });

  it('an event analytics has not surely caught up with beats it; the asking item waits until it has', () => {
    const items = [partItem(1)];
    const { clock, fresh, d } = setup(items);
    clock.set(T0 + 10_000);
    fresh.onEvent({ conversationId: 'c1', participantId: 'p', communicationId: 's', code: 'w-agent', receivedAt: 0 }, items);
    expect(applyRecheck(items[0]!, ['c1'], [conv(1, null)], T0 + 10_000 + LAG - 1, d)).toEqual([]);
    expect(items[0]!.notBefore).toBe(T0 + 10_000 + LAG);
    // Caught up: analytics (with the code) replaces the observation and the event is done with.
    applyRecheck(items[0]!, ['c1'], [conv(1, 'w-agent')], T0 + 10_000 + LAG, d);
    expect(items[0]!.observed).toMatchObject({ codeId: 'w-agent', at: T0 + 10_000 + LAG });
    expect(fresh.hasEvent(items[0]!.key)).toBe(false);
  });

  it('keeps live knowledge: items with an unknown outcome or a 409 are not touched', () => {
    const items = [partItem(1, { unknownOutcome: true }), partItem(2, { recheck: true })];
    const { d } = setup(items);
    expect(applyRecheck(items[0]!, ['c1', 'c2'], [conv(1, 'x'), conv(2, 'x')], T0 + 1, d)).toEqual([]);
    expect(items.map((i) => i.observed.codeId)).toEqual([null, null]);
  });
});

describe('BatchedRecheck', () => {
  it('callers for a conversation being checked share the one request', async () => {
    const items = [partItem(1), partItem(2)];
    const { clock, fresh, byConversation } = setup(items);
    clock.set(T0 + RUNNER_DEFAULTS.maxStaleMs);
    let answer!: (r: Sent<DetailsConversation[]>) => void;
    const check = vi.fn((_ids: readonly string[]) => new Promise<Sent<DetailsConversation[]>>((r) => (answer = r)));
    const saveItems = vi.fn(() => Promise.resolve());
    const rc = new BatchedRecheck({
      items: () => items,
      firstOpen: () => 0,
      byConversation,
      fresh,
      check,
      saveItems,
      failed: vi.fn(),
      running: () => true,
      clock,
      random: () => 0,
      analyticsLagMs: LAG,
    });
    const first = rc.run(items[0]!);
    const second = rc.run(items[1]!);
    expect(check).toHaveBeenCalledTimes(1);
    expect(check.mock.calls[0]![0]).toEqual(['c1', 'c2']);
    answer({ halted: false, ok: true, value: [conv(1, null), conv(2, null)], sentAt: clock.now() });
    await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
    expect(saveItems).toHaveBeenCalledTimes(1);
  });

  it('a failed request is handed over as a failed read of the asking item; the others wait a backoff', async () => {
    const items = [partItem(1), partItem(2)];
    const { clock, fresh, byConversation } = setup(items);
    clock.set(T0 + RUNNER_DEFAULTS.maxStaleMs);
    const err = new ApiError({ kind: 'http', status: 503, code: 'x', message: 'x' });
    const failed = vi.fn(() => Promise.resolve());
    const rc = new BatchedRecheck({
      items: () => items,
      firstOpen: () => 0,
      byConversation,
      fresh,
      check: () => Promise.resolve({ halted: false, ok: false, error: err, sentAt: clock.now() }),
      saveItems: vi.fn(),
      failed,
      running: () => true,
      clock,
      random: () => 0,
      analyticsLagMs: LAG,
    });
    const [a, b] = await Promise.all([rc.run(items[0]!), rc.run(items[1]!)]);
    expect([a, b]).toEqual([false, false]);
    expect(failed).toHaveBeenCalledWith(items[0], err);
    expect(items[1]!.notBefore).toBe(clock.now() + 1_000);
  });
});
