import { BulkRunner, type WriteEvent } from './runner.ts';
import { drive } from './test-support.ts';
import { simHarness } from './sim-harness.ts';

describe('BulkRunner: the onWrite hook (audit log)', () => {
  it('reports every write that was sent, once, with its answer', async () => {
    const h = await simHarness({ items: 6 });
    const refusedKey = h.keys[1]!;
    h.faultOn([refusedKey], { rateRefuse: 1, refuseStatus: 400 });
    const events: WriteEvent[] = [];
    const runner = (await BulkRunner.open('job-1', {
      ...h.deps,
      onWrite: (e) => {
        events.push(e);
        throw new Error('a failing hook never breaks the job');
      },
    }))!;
    await runner.start();
    await drive(h.clock, () => runner.getProgress().state === 'done', { journal: h.journal });
    const writes = h.runnerRequests().filter((r) => r.kind === 'write');
    expect(events).toHaveLength(writes.length);
    expect(events.every((e) => e.jobId === 'job-1' && e.code.id === h.codes.job.id && e.notes === 'bulk fix')).toBe(true);
    const refused = events.filter((e) => e.error !== null);
    expect(refused.map((e) => [e.item.key, e.error?.status])).toEqual([[refusedKey, 400]]);
    expect(runner.getProgress().counts).toMatchObject({ applied: 5, failed: 1 });
  });

  it('a lost answer resolved as applied is reported once more, marked resolved (not a new request)', async () => {
    // The simulated org applies the write and cuts the connection (its lost-response fault).
    const h = await simHarness({ items: 3 });
    const key = h.keys[1]!;
    h.faultOn([key], { rateLostResponse: 1 });
    const events: WriteEvent[] = [];
    const runner = (await BulkRunner.open('job-1', { ...h.deps, onWrite: (e) => events.push(e) }))!;
    await runner.start();
    await drive(h.clock, () => runner.getProgress().state === 'done', { journal: h.journal });
    const forItem = events.filter((e) => e.item.key === key);
    expect(forItem.map((e) => [e.error?.code ?? null, e.resolved ?? false])).toEqual([
      ['network', false],
      [null, true],
    ]);
    const writes = h.runnerRequests().filter((r) => r.kind === 'write');
    expect(writes.filter((r) => r.key === key)).toHaveLength(1);
    expect(h.landed(key)).toHaveLength(1);
    expect(events.filter((e) => !e.resolved)).toHaveLength(writes.length);
  });
});
