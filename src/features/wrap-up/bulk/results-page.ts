/**
 * One page of a job's results (issue 17): what the results table shows on every progress event of
 * a 20,000-item job without copying every item. The runner scans its items by reference (O(n)) and
 * copies only the page (`BulkRunner.itemsPage`); the filter's count gives the page counter.
 */
import type { BulkItem, ItemStatus } from './model.ts';

export interface ItemsSource {
  itemsPage(filter: (status: ItemStatus) => boolean, offset: number, limit: number): { items: BulkItem[]; total: number };
}

export interface ResultsPage {
  /** Copies of the page's items, in plan order. */
  items: BulkItem[];
  /** Items passing the filter. */
  total: number;
  /** The page shown (0-based): the one asked for, or the last one when fewer items pass now. */
  page: number;
  pages: number;
  /** Index (0-based, among the items passing the filter) of the page's first item. */
  from: number;
}

export function resultsPage(source: ItemsSource, keep: (status: ItemStatus) => boolean, page: number, size: number): ResultsPage {
  const asked = Math.max(0, page);
  let r = source.itemsPage(keep, asked * size, size);
  const pages = Math.max(1, Math.ceil(r.total / size));
  const current = Math.min(asked, pages - 1);
  // The filter's items became fewer than the page asked for (rare): the last page instead.
  if (current !== asked) r = source.itemsPage(keep, current * size, size);
  return { items: r.items, total: r.total, page: current, pages, from: current * size };
}
