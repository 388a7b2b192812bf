/**
 * The sim's time source. Everything that reads "now" or waits (request latency, slow faults, ACW
 * expiry, notification delays and channel ends) goes through one of these, so an in-process sim
 * (`in-process.ts`) can run on a test's virtual clock while the HTTP server uses the wall clock.
 * Structurally the same as the app's `Clock` (src/lib/genesys/rate-limiter.ts).
 */
export interface SimClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SimClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending sim timer (a heartbeat, a channel's end) never keeps the process alive.
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
