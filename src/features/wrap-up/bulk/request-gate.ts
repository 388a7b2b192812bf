/**
 * The request gate (issue 13: the runner in parts): what the job may send now. A request is handed
 * to the platform client only when the shared RateLimiter would let it through at once (no waiters,
 * a free concurrency slot, `readyAt() <= now`): the job never queues inside the limiter, so it never
 * starves the rest of the app, and pause and stop are exact (nothing of the job is left queued to
 * be sent later). While the job is not running, everything waiting is halted, unsent.
 */
import { toApiError, type ApiError } from '@/lib/genesys/api-error.ts';
import type { Clock } from '@/lib/genesys/rate-limiter.ts';
import type { LimiterPort } from './runner-types.ts';

export type RequestKind = 'write' | 'read' | 'check';

/** `halted`: not sent (the job stopped running, or the item's check went stale while waiting). */
export type Sent<T> =
  { halted: true; stale: boolean } | { halted: false; ok: true; value: T; sentAt: number } | { halted: false; ok: false; error: ApiError; sentAt: number };

interface Waiting {
  kind: RequestKind;
  thunk: () => Promise<unknown>;
  /** Checked right before sending; false: not sent, resolved as stale. */
  stillValid: (() => boolean) | undefined;
  resolve: (r: Sent<unknown>) => void;
}

export interface GateDeps {
  limiter: LimiterPort;
  clock: Clock;
  /** Whether the job runs: when not, what waits is halted (pause, stop, session, storage). */
  running: () => boolean;
}

export class RequestGate {
  /** Requests handed over, by kind (the job's progress shows them). */
  readonly requests = { writes: 0, reads: 0, checks: 0 };
  private waiting: Waiting[] = [];
  private draining = false;
  private drainAgain = false;
  private timer: unknown = null;

  constructor(private readonly deps: GateDeps) {}

  /** Queues a request; it leaves once the limiter lets it through at once and `stillValid` holds. */
  send<T>(kind: RequestKind, thunk: () => Promise<T>, stillValid?: () => boolean): Promise<Sent<T>> {
    return new Promise<Sent<T>>((resolve) => {
      this.waiting.push({ kind, thunk, stillValid, resolve: resolve as (r: Sent<unknown>) => void });
      this.drain();
    });
  }

  private open(): boolean {
    const s = this.deps.limiter.getState();
    return s.queued === 0 && s.inFlight < s.maxConcurrent && this.deps.limiter.readyAt() <= this.deps.clock.now();
  }

  /**
   * Sends what may leave now, halts everything when the job is not running. Called on every change
   * that may open the gate or invalidate a waiting request (limiter, events, state). Re-entrant
   * calls (a thunk or a resolve that changes state) run once more after the current pass.
   */
  drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        while (this.waiting.length > 0) {
          if (!this.deps.running()) {
            for (const w of this.waiting.splice(0)) w.resolve({ halted: true, stale: false });
            break;
          }
          if (!this.open()) {
            this.arm();
            break;
          }
          const w = this.waiting.shift()!;
          if (w.stillValid && !w.stillValid()) {
            w.resolve({ halted: true, stale: true });
            continue;
          }
          const sentAt = this.deps.clock.now();
          this.requests[w.kind === 'write' ? 'writes' : w.kind === 'read' ? 'reads' : 'checks'] += 1;
          let p: Promise<unknown>;
          try {
            p = w.thunk();
          } catch (e) {
            p = Promise.reject(e instanceof Error ? e : toApiError(e));
          }
          p.then(
            (value) => w.resolve({ halted: false, ok: true, value, sentAt }),
            (e: unknown) => w.resolve({ halted: false, ok: false, error: toApiError(e), sentAt }),
          );
        }
      } while (this.drainAgain);
    } finally {
      this.draining = false;
    }
  }

  private arm(): void {
    this.cancelTimer();
    const at = this.deps.limiter.readyAt();
    const now = this.deps.clock.now();
    // Waiters and concurrency are signalled by the limiter's own events; the sliding window is not.
    if (at > now) this.timer = this.deps.clock.setTimeout(() => ((this.timer = null), this.drain()), at - now);
  }

  /** Drops the timer that waits for the limiter's window (the job ended, or the tab unloads). */
  cancelTimer(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
