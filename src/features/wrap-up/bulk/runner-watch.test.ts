/**
 * The runner with the platform's wrap-up notifications (DESIGN.md "close to one request per item"):
 * covered items need no repeated re-checks, an agent's wrap-up reported by an event is never
 * written over, pending after-call work is written only when covered or after a live read.
 */
import { ACW_GRACE_MS } from './model.ts';
import { RateLimiter } from '@/lib/genesys/rate-limiter.ts';
import { createJobLocks } from './job-lock.ts';
import { createJob, planBulk } from './planner.ts';
import { BulkRunner, type WatchEvent } from './runner.ts';
import {
  drive,
  FakeGenesys,
  FakeLockManager,
  FakeSession,
  harness,
  JOB_CODE,
  MemoryJournal,
  OTHER_CODE,
  TabJournal,
  VirtualClock,
  type FakeWatch,
} from './test-support.ts';

type H = Awaited<ReturnType<typeof harness>>;

const ended = (h: H) => () => ['done', 'stopped'].includes(h.runner.getProgress().state);
const runnerRequests = (h: H) => h.fake.log.slice(h.planRequests);
const count = (h: H, kind: string) => runnerRequests(h).filter((r) => r.kind === kind).length;
const byKey = (h: H) => new Map(h.runner.getItems().map((i) => [i.key, i]));

async function runToEnd(h: H) {
  await h.runner.start();
  await drive(h.clock, ended(h), { journal: h.journal });
}

describe('BulkRunner with a notification watch', () => {
  it('does not re-check covered items however long the job takes (≈ 1 request per item)', async () => {
    // 3 s per request, 4 at a time: 120 items take about 90 s, far beyond maxStaleMs (10 s).
    const slow = { items: 120, latency: () => 3_000 };
    const withWatch = await harness({ ...slow, watch: true });
    await runToEnd(withWatch);
    const without = await harness(slow);
    await runToEnd(without);

    for (const h of [withWatch, without]) {
      expect(h.runner.getProgress().counts.applied).toBe(120);
      expect(count(h, 'write')).toBe(120);
      for (const key of h.keys) expect(h.fake.runnerWrites(key)).toHaveLength(1);
    }
    // Without coverage every write needs a check younger than 10 s: many small batches.
    // With coverage, a check after the subscription counts for good: about one per 100 items.
    expect(count(without, 'details')).toBeGreaterThan(8);
    expect(count(withWatch, 'details')).toBeLessThanOrEqual(3);
    expect(runnerRequests(withWatch).length / 120).toBeLessThanOrEqual(1.03);
    // The watch subscribed ahead of the job and was closed at the end.
    expect(withWatch.watches).toHaveLength(1);
    expect(withWatch.watches[0]!.subscriptions).toBeGreaterThanOrEqual(1);
    expect(withWatch.watches[0]!.closed).toBe(true);
  });

  it('keeps a wrap-up an agent makes after the last check: the event stops the write', async () => {
    // Analytics lags a full minute, so no re-check could see the agent's code: only the event can.
    // Item 30 is reached after about 22 s (3 s per request, 4 at a time); the agent codes it at 15 s.
    const h = await harness({ items: 40, latency: () => 3_000, watch: true, analyticsLagMs: 60_000 });
    const target = h.keys[30]!;
    h.clock.setTimeout(() => h.fake.agentWrapup(target, OTHER_CODE.id), 15_000);
    await runToEnd(h);
    expect(byKey(h).get(target)).toMatchObject({ status: 'already-coded', reason: 'coded-during-run' });
    expect(h.fake.current(target)).toBe(OTHER_CODE.id);
    expect(h.fake.runnerWrites(target)).toHaveLength(0);
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 39, alreadyCoded: 1 });
  });

  it('an event that names no item exactly (another session id, or none) makes the conversation be read live: the agent code is kept', async () => {
    for (const reshape of [
      (e: WatchEvent) => ({ ...e, communicationId: `other-${e.communicationId}` }),
      (e: WatchEvent) => ({ ...e, participantId: '', code: '' }),
    ]) {
      // As in the test above, only the event can tell: analytics lags a full minute.
      const h = await harness({ items: 40, latency: () => 3_000, watch: { reshape }, analyticsLagMs: 60_000 });
      const target = h.keys[30]!;
      h.clock.setTimeout(() => h.fake.agentWrapup(target, OTHER_CODE.id), 15_000);
      await runToEnd(h);
      expect(byKey(h).get(target)).toMatchObject({ status: 'already-coded' });
      expect(h.fake.current(target)).toBe(OTHER_CODE.id);
      expect(h.fake.runnerWrites(target)).toHaveLength(0);
      expect(h.runner.getProgress().counts).toMatchObject({ applied: 39, alreadyCoded: 1 });
      // Our own writes' events name no item either: the conversations they belong to are done, so no live reads for them.
      expect(count(h, 'read')).toBeLessThanOrEqual(1);
    }
  });

  it("a transferred call: the re-check of one agent's leg never drops the event of the other leg (analytics lagging)", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ budgetPerMinute: 270, maxConcurrent: 6, clock });
    // Analytics lags 60 s, far beyond what the runner assumes (5 s): only the event tells.
    const fake = new FakeGenesys({ clock, limiter, analyticsLagMs: 60_000, latency: () => 12_000, queueCodes: new Map([['q1', [JOB_CODE, OTHER_CODE]]]) });
    for (const pid of ['c0000-a', 'c0000-b'])
      fake.add({ cid: 'c0000', pid, commId: `${pid}-m`, mediaType: 'voice', queueId: 'q1', userId: pid, active: false, inAcw: false, code: null });
    const journal = new TabJournal(new MemoryJournal());
    const watches: FakeWatch[] = [];
    const deps = {
      platform: fake.port,
      journal,
      session: new FakeSession(),
      limiter,
      clock,
      random: () => 0.5,
      locks: createJobLocks({ locks: new FakeLockManager().forTab('t1') }),
      createWatch: () => {
        const w = fake.createWatch();
        watches.push(w);
        return w;
      },
    };
    let plan: Awaited<ReturnType<typeof planBulk>> | undefined;
    void planBulk([{ conversationId: 'c0000' }], { platform: fake.port, now: clock.now }).then((p) => (plan = p));
    await drive(clock, () => plan !== undefined, { journal });
    const { job, items } = createJob(plan!, { code: JOB_CODE, notes: '', options: {} }, { id: 'j', now: clock.now() });
    let runner: BulkRunner | undefined;
    void BulkRunner.create(job, items, deps, { concurrency: 1, requireEventProof: false }).then((r) => (runner = r));
    await drive(clock, () => runner !== undefined, { journal });
    await clock.advanceBy(60_000, () => Promise.resolve()); // the supervisor reads the preview for a minute
    const legB = 'c0000/c0000-b/c0000-b-m';
    clock.setTimeout(() => fake.agentWrapup(legB, OTHER_CODE.id), 1_000); // agent B codes its leg once the job runs
    await runner!.start();
    await drive(clock, () => runner!.getProgress().state === 'done', { journal });
    expect(watches[0]!.delivered).toBeGreaterThan(0);
    expect(fake.current(legB)).toBe(OTHER_CODE.id);
    expect(new Map(runner!.getItems().map((i) => [i.key, i.status]))).toEqual(
      new Map([
        ['c0000/c0000-a/c0000-a-m', 'applied'],
        [legB, 'already-coded'],
      ]),
    );
  });

  it('an event that arrives while the write waits at the gate halts that write', async () => {
    // Budget 2/min: the second item waits about 30 s for the window; the agent codes it meanwhile.
    const h = await harness({ items: 2, budget: 2, watch: true, analyticsLagMs: 60_000 });
    h.clock.setTimeout(() => h.fake.agentWrapup(h.keys[1]!, OTHER_CODE.id), 5_000);
    await runToEnd(h);
    expect(h.fake.runnerWrites(h.keys[1]!)).toHaveLength(0);
    expect(byKey(h).get(h.keys[1]!)).toMatchObject({ status: 'already-coded', reason: 'coded-during-run' });
  });

  it('falls back to fresh re-checks while the connection is down, and keeps the promise', async () => {
    // About 45 s in all; the connection is down from 20 s to 50 s; item 40 is reached at about 30 s.
    const h = await harness({ items: 60, latency: () => 3_000, watch: { reconnectMs: 30_000 } });
    let down = 0;
    h.clock.setTimeout(() => {
      down = h.clock.now();
      h.watches[0]!.dropConnection();
    }, 20_000);
    // During the outage an agent codes an item ahead; the lost event must not matter.
    h.clock.setTimeout(() => h.fake.agentWrapup(h.keys[40]!, OTHER_CODE.id), 25_000);
    await runToEnd(h);
    expect(h.fake.runnerWrites(h.keys[40]!)).toHaveLength(0);
    expect(byKey(h).get(h.keys[40]!)).toMatchObject({ status: 'already-coded' });
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 59, alreadyCoded: 1, failed: 0 });
    // During the outage every write left with a check of its conversation at most 10 s old.
    const outage = runnerRequests(h).filter((r) => r.kind === 'write' && r.at >= down && r.at < down + 30_000);
    expect(outage.length).toBeGreaterThan(5);
    for (const w of outage) {
      const cid = w.key!.split('/')[0]!;
      const check = [...h.fake.log].reverse().find((r) => r.at <= w.at && r.kind === 'details' && r.ids.includes(cid));
      expect(w.at - check!.at).toBeLessThanOrEqual(10_000);
    }
  });

  it('after a lost response, our own event proves the write landed: no re-read', async () => {
    const h = await harness({
      items: 3,
      watch: true,
      fault: (r) => (r.kind === 'write' && r.key?.startsWith('c0001') && r.writeNo === 1 ? { type: 'lost' } : null),
    });
    await runToEnd(h);
    const key = h.keys[1]!;
    expect(byKey(h).get(key)).toMatchObject({ status: 'applied' });
    expect(h.fake.runnerWrites(key)).toHaveLength(1);
    expect(count(h, 'read')).toBe(0);
  });
});

describe('BulkRunner: pending after-call work past the grace period', () => {
  const acwItems = () => [
    { inAcw: true, acwAgoMs: ACW_GRACE_MS + 60_000 },
    { inAcw: true, acwAgoMs: ACW_GRACE_MS + 60_000 },
    { inAcw: true, acwAgoMs: 30_000 },
    {},
  ];

  it('without a watch: a live read right before each write; an agent code seen there is kept', async () => {
    const h = await harness({ items: acwItems(), analyticsLagMs: 60_000 });
    // The agent comes back to the first item after planning; analytics cannot show it yet.
    h.clock.setTimeout(() => h.fake.agentWrapup(h.keys[0]!, OTHER_CODE.id), 1);
    await runToEnd(h);
    expect(h.runner.getItems().map((i) => [i.status, i.reason])).toEqual([
      ['already-coded', 'coded-during-run'],
      ['applied', null],
      ['skipped', 'active'], // ACW began 30 s ago: the agent is probably choosing a code
      ['applied', null],
    ]);
    expect(h.fake.runnerWrites(h.keys[0]!)).toHaveLength(0);
    expect(count(h, 'read')).toBe(2); // the two ACW items, not the plain one
    // Each ACW write followed a live read of that item within 5 s.
    const w = runnerRequests(h).find((r) => r.kind === 'write' && r.key === h.keys[1])!;
    const read = runnerRequests(h).find((r) => r.kind === 'read' && r.key === h.keys[1])!;
    expect(w.at - read.at).toBeLessThanOrEqual(5_000);
    expect(h.fake.current(h.keys[1]!)).toBe(JOB_CODE.id);
  });

  it('with a watch: no live reads once covered (after the subscription and the analytics lag)', async () => {
    // 30 plain items first: the ACW items are reached after the watch has covered them.
    const h = await harness({ items: [...Array.from({ length: 30 }, () => ({})), ...acwItems()], latency: () => 1_000, watch: true });
    await runToEnd(h);
    expect(
      h.runner
        .getItems()
        .slice(30)
        .map((i) => i.status),
    ).toEqual(['applied', 'applied', 'skipped', 'applied']);
    expect(count(h, 'read')).toBe(0);
    expect(count(h, 'write')).toBe(33);
  });
});

describe('BulkRunner: the watch is trusted only once it reported one of our own writes (docs/genesys-platform.md §8 row 9)', () => {
  const proof = { requireEventProof: true };

  it('events for every writer: the first writes are read live, then the watch is trusted (≈ 1 request per item)', async () => {
    const h = await harness({ items: 120, latency: () => 3_000, watch: true, config: proof });
    await runToEnd(h);
    expect(h.runner.getProgress().counts.applied).toBe(120);
    for (const key of h.keys) expect(h.fake.runnerWrites(key)).toHaveLength(1);
    const reads = count(h, 'read');
    expect(reads).toBeGreaterThan(0); // before the proof
    expect(reads).toBeLessThanOrEqual(8); // the first few, while the first event is on its way
    expect(runnerRequests(h).length / 120).toBeLessThanOrEqual(1.1);
  });

  it("agent-only events: every write is read live right before it leaves; a second supervisor's code is never overwritten", async () => {
    // Analytics lags a minute and the other supervisor's writes fire no event: only a live read can see them.
    const h = await harness({ items: 60, latency: () => 1_000, watch: true, analyticsLagMs: 60_000, wrapupEvents: 'agent-only', config: proof });
    const others = [10, 25, 40, 55].map((i) => h.keys[i]!);
    others.forEach((key, i) => h.clock.setTimeout(() => h.fake.otherUserWrapup(key, OTHER_CODE.id), 2_000 + i * 3_000));
    await runToEnd(h);
    for (const key of others) {
      expect(h.fake.current(key)).toBe(OTHER_CODE.id);
      expect(h.fake.runnerWrites(key)).toHaveLength(0);
    }
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 56, alreadyCoded: 4 });
    // One live read per write: the price of not knowing whether other users' writes are reported.
    expect(count(h, 'read')).toBeGreaterThanOrEqual(count(h, 'write'));
  });

  it('answers slower than the read-age limit (12 s against 5 s) still lead to a write: the age counts from the answer', async () => {
    const h = await harness({ items: 6, latency: () => 12_000, watch: true, wrapupEvents: 'agent-only', config: proof });
    await runToEnd(h);
    expect(h.runner.getProgress().counts.applied).toBe(6);
    expect(count(h, 'read')).toBe(6);
    expect(count(h, 'write')).toBe(6);
  });

  it('the same second supervisor, trusting the watch without proof (the old rule), is overwritten: the test can fail', async () => {
    const h = await harness({
      items: 60,
      latency: () => 1_000,
      watch: true,
      analyticsLagMs: 60_000,
      wrapupEvents: 'agent-only',
      config: { requireEventProof: false },
    });
    const others = [10, 25, 40, 55].map((i) => h.keys[i]!);
    others.forEach((key, i) => h.clock.setTimeout(() => h.fake.otherUserWrapup(key, OTHER_CODE.id), 2_000 + i * 3_000));
    await runToEnd(h);
    expect(others.filter((key) => h.fake.current(key) !== OTHER_CODE.id).length).toBeGreaterThan(0);
  });
});

describe('BulkRunner: a limit shared with another browser of the same user (docs/genesys-platform.md §8 row 7)', () => {
  it('429s on live reads are flow control: the job slows down and no item fails for them', async () => {
    // The first 24 reads of one item are refused with 429 (no Retry-After readable: the headers
    // are hidden): with the client's 4 attempts each, 6 runner-level read failures, more than the
    // 4 an item may have for real failures.
    let refused = 0;
    const h = await harness({
      items: 20,
      watch: true,
      wrapupEvents: 'agent-only',
      config: { requireEventProof: true },
      fault: (r) => (r.kind === 'read' && r.key?.startsWith('c0003') && refused++ < 24 ? { type: '429' } : null),
    });
    await runToEnd(h);
    expect(h.runner.getProgress().counts).toMatchObject({ applied: 20, failed: 0 });
    expect(h.fake.log.filter((r) => r.kind === 'read' && r.status === 429).length).toBe(24);
    for (const key of h.keys) expect(h.fake.runnerWrites(key)).toHaveLength(1);
  });
});

describe('BulkRunner: a code set by someone else while our write was on its way', () => {
  it('is flagged "may have replaced" with their code, for the results to offer a restore', async () => {
    const holder: { h?: H } = {};
    const target = 'c0005/c0005-a/c0005-m';
    const h = await harness({
      items: 10,
      latency: () => 2_000,
      watch: true,
      // The agent's code lands right before ours on the platform (both inside one flight time).
      fault: (r) => {
        if (r.kind === 'write' && r.key === target && r.writeNo === 1) holder.h?.fake.agentWrapup(target, OTHER_CODE.id);
        return null;
      },
    });
    holder.h = h;
    await runToEnd(h);
    const item = byKey(h).get(target)!;
    expect(item.status).toBe('applied');
    expect(h.fake.current(target)).toBe(JOB_CODE.id); // ours replaced theirs
    expect(item.mayHaveReplaced).toMatchObject({ code: OTHER_CODE.id });
    // No other item is flagged.
    expect(h.runner.getItems().filter((i) => i.mayHaveReplaced)).toHaveLength(1);
  });
});

describe('BulkRunner: a slow write that lands after someone else coded the item', () => {
  it('ends applied (found by the late re-read) and flagged "may have replaced" their code', async () => {
    const holder: { h?: H } = {};
    const target = 'c0003/c0003-a/c0003-m';
    const h = await harness({
      items: 6,
      watch: true,
      // Our write times out at once; the platform applies it 20 s later. The agent codes it 5 s in.
      fault: (r) => {
        if (r.kind === 'write' && r.key === target && r.writeNo === 1) {
          holder.h?.clock.setTimeout(() => holder.h?.fake.agentWrapup(target, OTHER_CODE.id), 5_000);
          return { type: 'slow', applyAfterMs: 20_000 };
        }
        return null;
      },
    });
    holder.h = h;
    await runToEnd(h);
    expect(h.fake.current(target)).toBe(JOB_CODE.id);
    expect(h.fake.runnerWrites(target)).toHaveLength(1);
    expect(byKey(h).get(target)).toMatchObject({ status: 'applied', mayHaveReplaced: { code: OTHER_CODE.id } });
  });
});
