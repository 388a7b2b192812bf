import type { BulkItem, ItemStatus } from './model.ts';
import { resultsPage, type ItemsSource } from './results-page.ts';
import { harness } from './test-support.ts';

/** A source over plain items that counts the copies it hands out. */
function source(statuses: ItemStatus[]) {
  const items = statuses.map((status, seq) => ({ key: `k${seq}`, seq, status }) as unknown as BulkItem);
  let copies = 0;
  let scans = 0;
  const s: ItemsSource = {
    itemsPage(filter, offset, limit) {
      scans++;
      const passing = items.filter((i) => filter(i.status));
      const page = passing.slice(offset, offset + limit).map((i) => ({ ...i }));
      copies += page.length;
      return { items: page, total: passing.length };
    },
  };
  return { s, copies: () => copies, scans: () => scans };
}

const statuses = (n: number, pick: (i: number) => ItemStatus) => Array.from({ length: n }, (_, i) => pick(i));

describe('results page', () => {
  it('copies one page of the items that pass the filter, and counts them all for the page counter', () => {
    const src = source(statuses(20_000, (i) => (i % 4 === 0 ? 'failed' : 'applied')));
    const r = resultsPage(src.s, (st) => st === 'failed', 2, 200);
    expect(r).toMatchObject({ total: 5000, page: 2, pages: 25, from: 400 });
    expect(r.items.map((i) => i.seq)).toEqual(Array.from({ length: 200 }, (_, k) => (400 + k) * 4));
    expect(src.copies()).toBe(200);
    expect(src.scans()).toBe(1);
  });

  it('a page past the end (fewer items pass now) shows the last page', () => {
    const src = source(statuses(450, () => 'pending'));
    const r = resultsPage(src.s, () => true, 7, 200);
    expect(r).toMatchObject({ total: 450, page: 2, pages: 3, from: 400 });
    expect(r.items).toHaveLength(50);
  });

  it('nothing passing: one empty page', () => {
    const src = source(statuses(30, () => 'applied'));
    expect(resultsPage(src.s, (st) => st === 'failed', 3, 200)).toEqual({ items: [], total: 0, page: 0, pages: 1, from: 0 });
  });

  it("over a job's runner: the same items as filtering a copy of all of them, without copying them all", async () => {
    const h = await harness({ items: 450 });
    const getItems = vi.spyOn(h.runner, 'getItems');
    const keep = (st: ItemStatus) => st === 'pending';
    const r = resultsPage(h.runner, keep, 1, 200);
    expect(getItems).not.toHaveBeenCalled();
    getItems.mockRestore();
    const expected = h.runner.getItems().filter((i) => keep(i.status));
    expect(r.total).toBe(expected.length);
    expect(r.items).toEqual(expected.slice(200, 400));
  });
});
