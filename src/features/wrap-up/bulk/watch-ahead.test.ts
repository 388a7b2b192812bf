/** The watch ahead of the job (issue 13): which conversations are subscribed, and when the set is replaced. */
import { isTerminal } from './model.ts';
import type { WatchPort } from './runner-types.ts';
import { WatchAhead, nextWatchSet } from './watch-ahead.ts';
import { partItem } from './part-fixtures.ts';

const items = Array.from({ length: 10 }, (_, i) => partItem(i));
const isOpen = (cid: string) => items.some((it) => it.conversationId === cid && !isTerminal(it.status));

describe('nextWatchSet', () => {
  it('the next conversations with open, writable items from the first open one', () => {
    const list = [partItem(0, { status: 'applied' }), partItem(1, { media: null }), partItem(2), partItem(3), partItem(4)];
    expect([...nextWatchSet(list, 0, new Set(), () => true, 2)!]).toEqual(['c2', 'c3']);
  });

  it('keeps the set while at least half of it is open, and when nothing new would be added', () => {
    expect(nextWatchSet(items, 0, new Set(['c0', 'c1', 'c2', 'c3']), isOpen, 4)).toBeNull();
    expect(nextWatchSet(items, 0, new Set(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']), () => false, 20)).toBeNull();
    // More than half done: replaced by the next ones.
    expect([...nextWatchSet(items, 2, new Set(['c0', 'c1', 'c2', 'c3']), (cid) => cid >= 'c3', 4)!]).toEqual(['c2', 'c3', 'c4', 'c5']);
  });
});

describe('WatchAhead', () => {
  it('without a watch nothing is covered; with one it subscribes once per new set and reports its state', () => {
    const none = new WatchAhead();
    expect(
      none.open(
        undefined,
        () => undefined,
        () => undefined,
      ),
    ).toEqual([]);
    expect(none.coveredSince('c0')).toBeNull();
    expect(none.state()).toBeNull();

    const watch = vi.fn();
    const close = vi.fn();
    const port: WatchPort = { watch, coveredSince: (cid) => (cid === 'c0' ? 5 : null), onWrapup: () => () => undefined, close };
    const w = new WatchAhead();
    expect(
      w.open(
        () => port,
        () => undefined,
        () => undefined,
      ),
    ).toHaveLength(1);
    w.update(items, 0, isOpen, 4);
    w.update(items, 0, isOpen, 4);
    expect(watch).toHaveBeenCalledTimes(1);
    expect(w.coveredSince('c0')).toBe(5);
    expect(w.state()).toBe('live');
    w.close();
    expect(close).toHaveBeenCalled();
    expect(w.state()).toBeNull();
  });

  it('a watch that cannot be created is no watch', () => {
    const w = new WatchAhead();
    expect(
      w.open(
        () => {
          throw new Error('no channel');
        },
        () => undefined,
        () => undefined,
      ),
    ).toEqual([]);
    expect(w.state()).toBeNull();
  });
});
