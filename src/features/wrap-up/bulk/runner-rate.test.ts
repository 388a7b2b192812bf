/**
 * The job's measured rate (issue 17): items finished in the last minute, kept without a pass over
 * every finish on each progress event, and the same as counting them.
 */
import { isTerminal } from './model.ts';
import { drive, harness } from './test-support.ts';

describe('BulkRunner: items per minute', () => {
  it('is the number of items finished in the last minute, at every point of a job past its first minute', async () => {
    const h = await harness({ items: 200, budget: 60 });
    await h.runner.start();
    for (const target of [80, 120, 160]) {
      await drive(h.clock, () => h.runner.getProgress().counts.applied >= target, { journal: h.journal });
      const now = h.clock.now();
      const recent = h.runner.getItems().filter((i) => isTerminal(i.status) && i.updatedAt > now - 60_000).length;
      const p = h.runner.getProgress();
      expect(p.perMinute).not.toBeNull();
      expect(p.perMinute!).toBeCloseTo(recent, 6);
      expect(p.perMinute!).toBeGreaterThan(45);
      expect(p.perMinute!).toBeLessThanOrEqual(60);
    }
  });
});
