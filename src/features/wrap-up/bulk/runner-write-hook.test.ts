import { BulkRunner, type WriteEvent } from './runner.ts';
import { drive, harness, JOB_CODE } from './test-support.ts';

describe('BulkRunner: the onWrite hook (audit log)', () => {
  it('reports every write that was sent, once, with its answer', async () => {
    const h = await harness({
      items: 6,
      fault: (r) => (r.kind === 'write' && r.key === 'c0001/c0001-a/c0001-m' && r.writeNo === 1 ? { type: 'refuse', status: 400 } : null),
    });
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
    const writes = h.fake.log.filter((r) => r.kind === 'write');
    expect(events).toHaveLength(writes.length);
    expect(events.every((e) => e.jobId === 'job-1' && e.code.id === JOB_CODE.id && e.notes === 'bulk fix')).toBe(true);
    const refused = events.filter((e) => e.error !== null);
    expect(refused.map((e) => [e.item.conversationId, e.error?.status])).toEqual([['c0001', 400]]);
    expect(runner.getProgress().counts).toMatchObject({ applied: 5, failed: 1 });
  });

  it('a lost answer resolved as applied is reported once more, marked resolved (not a new request)', async () => {
    const h = await harness({
      items: 3,
      fault: (r) => (r.kind === 'write' && r.key === 'c0001/c0001-a/c0001-m' && r.writeNo === 1 ? { type: 'lost' } : null),
    });
    const events: WriteEvent[] = [];
    const runner = (await BulkRunner.open('job-1', { ...h.deps, onWrite: (e) => events.push(e) }))!;
    await runner.start();
    await drive(h.clock, () => runner.getProgress().state === 'done', { journal: h.journal });
    const forItem = events.filter((e) => e.item.conversationId === 'c0001');
    expect(forItem.map((e) => [e.error?.code ?? null, e.resolved ?? false])).toEqual([
      ['network', false],
      [null, true],
    ]);
    expect(h.fake.log.filter((r) => r.kind === 'write' && r.key === 'c0001/c0001-a/c0001-m')).toHaveLength(1);
    expect(events.filter((e) => !e.resolved)).toHaveLength(h.fake.log.filter((r) => r.kind === 'write').length);
  });
});
