import { PROGRESS_UI_MS, throttledSubscribe } from './use-bulk-job.ts';

/** A source of change events, like the runner's `subscribe`. */
function source() {
  const listeners = new Set<() => void>();
  return {
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit: () => listeners.forEach((l) => l()),
    count: () => listeners.size,
  };
}

describe("the page's view of a job's progress", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hears of a burst of events once, after at most PROGRESS_UI_MS, and of later changes again', () => {
    const s = source();
    const heard = vi.fn();
    const unsubscribe = throttledSubscribe(s)(heard);
    for (let i = 0; i < 5000; i++) s.emit();
    expect(heard).not.toHaveBeenCalled();
    vi.advanceTimersByTime(PROGRESS_UI_MS);
    expect(heard).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * PROGRESS_UI_MS);
    expect(heard).toHaveBeenCalledTimes(1); // nothing changed meanwhile
    s.emit(); // the last change (e.g. "Finished") always arrives
    vi.advanceTimersByTime(PROGRESS_UI_MS);
    expect(heard).toHaveBeenCalledTimes(2);
    unsubscribe();
    expect(s.count()).toBe(0);
  });

  it('a pending call is dropped when the page unsubscribes', () => {
    const s = source();
    const heard = vi.fn();
    const unsubscribe = throttledSubscribe(s)(heard);
    s.emit();
    unsubscribe();
    vi.advanceTimersByTime(PROGRESS_UI_MS * 2);
    expect(heard).not.toHaveBeenCalled();
  });
});
