/**
 * Test helpers for this folder (not imported by app code): an MSW server that records requests,
 * and a clock that runs timers at once while keeping virtual time, so retries and pauses are
 * checked without real waiting.
 */
import { setupServer } from 'msw/node';
import { configureClient, resetClientForTests, setAccessToken } from './client.ts';
import type { Clock } from './rate-limiter.ts';

export const SIM = 'http://127.0.0.1:4010';

export interface Seen {
  method: string;
  path: string;
  search: string;
  at: number;
  body: unknown;
  auth: string | null;
}

export function recordingServer() {
  const seen: Seen[] = [];
  const server = setupServer();
  let now: () => number = () => Date.now();
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    const entry: Seen = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      at: now(),
      body: undefined,
      auth: request.headers.get('authorization'),
    };
    seen.push(entry);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      void request
        .clone()
        .text()
        .then((t) => {
          try {
            entry.body = t ? (JSON.parse(t) as unknown) : undefined;
          } catch {
            entry.body = t;
          }
        });
    }
  });
  return {
    server,
    seen,
    useClock(fn: () => number) {
      now = fn;
    },
  };
}

/**
 * `recordingServer()` with a client pointed at the sim and signed in (`tok`) around every test of
 * the file (or of the describe block it is called in); unhandled requests fail the test.
 */
export function signedInToSim() {
  const rec = recordingServer();
  beforeAll(() => rec.server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => rec.server.close());
  beforeEach(() => {
    configureClient({ kind: 'sim', baseUrl: SIM });
    setAccessToken('tok');
  });
  afterEach(() => {
    rec.server.resetHandlers();
    rec.seen.length = 0;
    resetClientForTests();
  });
  return rec;
}

export function instantClock(start = 1_000_000_000_000) {
  let now = start;
  const delays: number[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      delays.push(ms);
      const target = now + ms;
      return globalThis.setTimeout(() => {
        now = Math.max(now, target);
        fn();
      }, 0);
    },
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  return { clock, delays, now: () => now };
}
