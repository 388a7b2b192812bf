/**
 * The runner's ports, configuration and progress snapshot (issue 13: the runner in parts). Kept
 * apart from `runner.ts` so the parts (gate, freshness, item step, re-check, progress) share them
 * without importing the runner; `runner.ts` re-exports every one, so callers import from it as before.
 */
import type { LimiterState, Clock } from '@/lib/genesys/rate-limiter.ts';
import type { JobLocks } from './job-lock.ts';
import type { BulkJournal } from './journal.ts';
import type { BulkCounts, BulkItem, ItemError, JobState, PauseReason } from './model.ts';
import type { BulkPlatform } from './platform-port.ts';

export type SessionEvent = 'expired' | 'restored' | 'signedOut';

/** Wired by the route to `onSessionEvent` of the auth feature (features do not import each other). */
export interface SessionPort {
  subscribe(listener: (e: SessionEvent) => void): () => void;
}

/** The shared RateLimiter (`getRateLimiter()` in production). */
export interface LimiterPort {
  getState(): LimiterState;
  readyAt(): number;
  subscribe(listener: (s: LimiterState) => void): () => void;
}

/**
 * The platform's wrap-up notifications for the conversations a job is about to write
 * (`src/lib/genesys/wrapup-watch.ts` in production; one per running job).
 */
export interface WatchPort {
  watch(conversationIds: Iterable<string>): void;
  /** Since when (clock ms) events for this conversation are certain to arrive; null: not covered. */
  coveredSince(conversationId: string): number | null;
  onWrapup(listener: (e: WatchEvent) => void): () => void;
  status?(): WatchState;
  onStatus?(listener: (s: WatchState) => void): () => void;
  close(): void;
}

export type WatchState = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'unavailable';

export interface WatchEvent {
  conversationId: string;
  participantId: string;
  communicationId: string;
  code: string;
  receivedAt: number;
}

export interface RunnerDeps {
  platform: BulkPlatform;
  /** Opens a notification watch when the job starts running; closed when it stops or ends. Optional. */
  createWatch?: () => WatchPort;
  journal: BulkJournal;
  session: SessionPort;
  limiter: LimiterPort;
  locks: JobLocks;
  clock?: Clock;
  random?: () => number;
  /**
   * Told about every write that was sent, once its answer (or error) is known: the route records
   * it in the audit log (features do not import each other). Additive hook; errors are ignored.
   */
  onWrite?: (e: WriteEvent) => void;
}

/** One write request that left, with what came back (`error` null: the platform accepted it). */
export interface WriteEvent {
  jobId: string;
  item: BulkItem;
  code: { id: string; name: string };
  notes: string;
  replace: boolean;
  /** The write's method (the job's: POST unless the platform check chose PATCH). */
  method: 'post' | 'patch';
  error: ItemError | null;
  at: number;
  /**
   * Not a new request: an earlier write of this item whose answer was lost (or whose tab died)
   * was found applied (live re-read, or the platform's event carrying our code).
   */
  resolved?: boolean;
}

export interface RunnerConfig {
  /** Items worked on at once (≤ the limiter's concurrency, leaving room for the rest of the app). Default 4. */
  concurrency?: number;
  /** Writes per item the platform may have processed. Default 4 (checklist #15). */
  maxAttempts?: number;
  /** Writes per item in all, 401/429 refusals included. Default 12. */
  maxSends?: number;
  /** How old an observation may be when the write leaves (batched mode). Default 10 s. */
  maxStaleMs?: number;
  /** How old the live read may be when the write leaves (per-item mode). Default 5 s. */
  maxReadAgeMs?: number;
  /** A rate-limit pause longer than this pauses the job and asks the user (checklist #14). Default 180 s. */
  longPauseMs?: number;
  /** How far analytics may lag behind the platform [M: seconds]. Default 5 s. */
  analyticsLagMs?: number;
  /** Conversations the watch subscribes ahead of the job (≤ the watch's 900). Default 400. */
  watchAhead?: number;
  /**
   * Trust the watch (and batched analytics) instead of a live read before each write only once an
   * event for one of this job's own writes has arrived. Default true.
   */
  requireEventProof?: boolean;
}

export const RUNNER_DEFAULTS = {
  concurrency: 4,
  maxAttempts: 4,
  maxSends: 12,
  maxStaleMs: 10_000,
  maxReadAgeMs: 5_000,
  longPauseMs: 180_000,
  analyticsLagMs: 5_000,
  watchAhead: 400,
  requireEventProof: true,
} as const;

export interface BulkProgress {
  jobId: string;
  state: JobState;
  pause: PauseReason | null;
  counts: BulkCounts;
  /** Requests this runner sent: writes, live reads, batched re-checks. */
  requests: { writes: number; reads: number; checks: number };
  /** Items finished per minute recently, null before there is enough to tell. */
  perMinute: number | null;
  /** Estimated ms until the job ends, null when paused or unknown. */
  etaMs: number | null;
  /** The notification watch while the job runs (null: none). */
  watch: WatchState | null;
  /** Running, but the platform's rate limit holds every request for more than 10 s, until then (epoch ms); null: not held. */
  heldUntil: number | null;
  /**
   * How a write is verified: `careful` (the user chose a live read before each write), `each` (the
   * same, because the platform has not yet shown that it reports this user's own writes), or
   * `watch` (notifications and batched re-checks, about one request per item).
   */
  checking: 'careful' | 'each' | 'watch';
}

export type StartResult = 'started' | 'locked' | 'finished';

/**
 * How long after our write left an event with another code still counts as a race with it: the
 * write's flight (seconds at worst) plus the event's delivery (about 0.1–5 s [M]).
 */
export const RACE_WINDOW_MS = 15_000;
