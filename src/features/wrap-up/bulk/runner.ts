/**
 * The bulk runner (issue 7 items 3–5): plain TypeScript, no React; the UI only subscribes.
 *
 * ── How a job keeps close to one request per item without overwriting anyone ──────────────────
 * The platform has no bulk endpoint and no idempotency key, and (in the sim's default, and
 * possibly in Genesys [L]) a write over an existing wrap-up is accepted and REPLACES it. A live
 * read before every write would halve throughput (2 requests per item, one token-wide budget). So
 * (details and the residual risk in DESIGN.md):
 *
 * 1. The planner classifies every item from batched analytics (100 conversations per request).
 * 2. A notification watch (`deps.createWatch`) subscribes to the wrap-up topics of the upcoming
 *    conversations. An analytics observation taken `analyticsLagMs` after the topic was confirmed
 *    stays valid while the socket stays healthy: every later wrap-up arrives as an event.
 * 3. Without coverage an observation must be younger than `maxStaleMs` (10 s); older ones are
 *    re-checked together with up to 99 other upcoming conversations in ONE analytics request.
 * 4. Pending after-call work past the grace period (an agent could still code it) is written only
 *    when covered, or right after a live read; `verify: 'per-item'` reads every item live.
 * 5. A live read (`readWrapup`) also follows an unknown outcome (timeout, lost response, 5xx, a tab
 *    that died with the item in flight) BEFORE any retry, and a 409.
 *
 * ── Rate limit ───────────────────────────────────────────────────────────────────────────────
 * Every call goes through `src/lib/genesys` and thus the one token-wide RateLimiter. On top of
 * that the runner only hands a request over when the limiter would let it through at once (no
 * waiters, a free concurrency slot, `readyAt() <= now`): the job never queues inside the limiter,
 * so it never starves the rest of the app, and "pause"/"stop" are exact (nothing of the job is
 * left queued to be sent later).
 *
 * ── Attempts ─────────────────────────────────────────────────────────────────────────────────
 * `attempts` counts writes the platform may have processed: at most `maxAttempts` (4). 401
 * (token), 429 (flow control) and requests that never left do not spend attempts (checklist #17);
 * `maxSends` caps all writes of an item so that even endless 429s end. 400/403/404/422 (and the
 * other 4xx) are final. 5xx/network/timeout: unknown outcome → backoff with jitter, re-read,
 * then maybe retry.
 */
import { isUnauthorized, toApiError, type ApiError } from '@/lib/genesys/api-error.ts';
import { classifyWriteError } from '@/lib/genesys/write-outcome.ts';
import { backoffMs } from '@/lib/genesys/http-client.ts';
import { DETAILS_BATCH_SIZE } from '@/lib/genesys/api.ts';
import { systemClock, type Clock, type LimiterState } from '@/lib/genesys/rate-limiter.ts';
import type { BulkJournal } from './journal.ts';
import { LATE_APPLY_WINDOW_MS, lateApplyUntil } from '../late-apply.ts';
import type { JobLock, JobLocks } from './job-lock.ts';
import { RefusalStreak } from './refusal-streak.ts';
import {
  REFUSAL_STREAK_LIMIT,
  countItems,
  isTerminal,
  mayWriteNow,
  situationKind,
  situationOf,
  type BulkCounts,
  type BulkItem,
  type BulkJob,
  type ItemError,
  type ItemReason,
  type ItemStatus,
  type JobState,
  type PauseReason,
  type TerminalStatus,
} from './model.ts';
import { ACTIVE_MESSAGE, UNANSWERED_MESSAGE, observeCode, observeSession } from './planner.ts';
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

/** `halted`: not sent (the job stopped running, or the item's check went stale while waiting). */
type Sent<T> = { halted: true; stale: boolean } | { halted: false; ok: true; value: T; sentAt: number } | { halted: false; ok: false; error: ApiError; sentAt: number };

interface Waiting {
  kind: 'write' | 'read' | 'check';
  thunk: () => Promise<unknown>;
  /** Checked right before sending; false: not sent, resolved as stale. */
  stillValid: (() => boolean) | undefined;
  resolve: (r: Sent<unknown>) => void;
}

function itemError(e: ApiError): ItemError {
  return { status: e.status, code: e.code, message: e.message, contextId: e.contextId ?? null, class: classifyWriteError(e) };
}

const RECENT_MS = 60_000;

const COUNT_KEY: Record<ItemStatus, Exclude<keyof BulkCounts, 'selected'>> = {
  pending: 'pending',
  'in-flight': 'inFlight',
  applied: 'applied',
  'already-coded': 'alreadyCoded',
  skipped: 'skipped',
  failed: 'failed',
};
/**
 * How long after our write left an event with another code still counts as a race with it: the
 * write's flight (seconds at worst) plus the event's delivery (about 0.1–5 s [M]).
 */
export const RACE_WINDOW_MS = 15_000;

export class BulkRunner {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly cfg: Required<RunnerConfig>;
  private readonly byConversation = new Map<string, BulkItem[]>();
  private readonly active = new Set<string>();
  private waiting: Waiting[] = [];
  private draining = false;
  private drainAgain = false;
  private gateTimer: unknown = null;
  private wakeTimer: unknown = null;
  private readonly refreshing = new Map<string, Promise<boolean>>();
  private readonly listeners = new Set<(p: BulkProgress) => void>();
  private unsubscribers: (() => void)[] = [];
  private lock: JobLock | null = null;
  private acceptedPauseUntil = 0;
  private firstOpen = 0;
  private readonly requests = { writes: 0, reads: 0, checks: 0 };
  /** When items finished, oldest first; entries before `finishedFrom` have left the last minute. */
  private finishedAt: number[] = [];
  private finishedFrom = 0;
  private runningSince = 0;
  private progress: BulkProgress;
  private settledWaiters: ((p: BulkProgress) => void)[] = [];
  private stopWaiters: (() => void)[] = [];
  private saveJobChain: Promise<void> = Promise.resolve();
  private finalizing = false;
  private watcher: WatchPort | null = null;
  /** Conversations the watch was last asked for. */
  private watched = new Set<string>();
  /** The latest wrap-up event per item key (applied to the observation when newer). */
  private readonly events = new Map<string, { code: string; at: number }>();
  /** When each item's latest write left (in memory: after a reload the live re-read decides). */
  private readonly writeSentAt = new Map<string, number>();
  /**
   * Whether the platform has shown, in this job, that a write by THIS user fires the wrap-up event
   * (an event for one of our own applied writes arrived). Until then the watch only proves what
   * agents did: whether another supervisor's write fires the event is unknown (docs/genesys-platform.md §8
   * row 9, the sim's `--wrapup-events agent-only`), so every write is verified by a live read first
   * (as `verify: 'per-item'`). Without a watch it is never proven.
   */
  private eventsProven = false;
  /** Another code reported while this item's write was in flight (see `racedOurWrite`). */
  private readonly racing = new Map<string, { code: string; at: number }>();
  /** When each item's latest live read was answered (a slow answer must not make it stale at once). */
  private readonly readAnsweredAt = new Map<string, number>();
  /**
   * The items' counts by status, kept up to date on every status change (`setStatus`): progress
   * events cost O(1), not a re-count of every item (issue 17: jobs of 20,000 items).
   */
  private counts: BulkCounts;
  /** The stop rule on systematic refusals (issue 15): K refusals in a row with one code pause the job. */
  private readonly refusals: RefusalStreak;

  private constructor(
    private job: BulkJob,
    private readonly items: BulkItem[],
    private readonly deps: RunnerDeps,
    config: RunnerConfig,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.cfg = { ...RUNNER_DEFAULTS, ...config };
    this.refusals = new RefusalStreak(job.options.refusalStreak ?? REFUSAL_STREAK_LIMIT);
    this.counts = countItems(items);
    this.index();
    this.progress = this.computeProgress();
  }

  /** Rebuilds the per-conversation index of `items`. */
  private index(): void {
    this.byConversation.clear();
    for (const it of this.items) {
      const list = this.byConversation.get(it.conversationId) ?? [];
      list.push(it);
      this.byConversation.set(it.conversationId, list);
    }
  }

  /** Takes the journal's copy of the job as this runner's own. */
  private adopt(stored: { job: BulkJob; items: BulkItem[] }): void {
    this.items.splice(0, this.items.length, ...stored.items);
    this.index();
    this.firstOpen = 0;
    this.counts = countItems(this.items);
    this.job = { ...stored.job, counts: { ...this.counts } };
  }

  /** Stores a new job (from `createJob`) in the journal and returns its runner, not yet started. */
  static async create(job: BulkJob, items: readonly BulkItem[], deps: RunnerDeps, config: RunnerConfig = {}): Promise<BulkRunner> {
    const copy = items.map((i) => ({ ...i })).sort((a, b) => a.seq - b.seq);
    const j = { ...job, counts: countItems(copy) };
    await deps.journal.create(j, copy);
    return new BulkRunner(j, copy, deps, config);
  }

  /**
   * A runner for a journaled job (after a reload or a crash). Items found `in-flight` were being
   * written when the tab went away: their outcome is unknown, so they are re-read before any retry.
   */
  static async open(jobId: string, deps: RunnerDeps, config: RunnerConfig = {}): Promise<BulkRunner | undefined> {
    const stored = await deps.journal.load(jobId);
    if (!stored) return undefined;
    return new BulkRunner({ ...stored.job, counts: countItems(stored.items) }, stored.items, deps, config);
  }

  // ---------------------------------------------------------------------------------------------
  // Public API

  getJob(): BulkJob {
    return { ...this.job, counts: { ...this.counts } };
  }

  /** The one way an item's status changes here: the counts follow in O(1). */
  private setStatus(item: BulkItem, status: ItemStatus): void {
    if (item.status === status) return;
    this.counts[COUNT_KEY[item.status]] -= 1;
    this.counts[COUNT_KEY[status]] += 1;
    item.status = status;
  }

  /** Copies of the items, in plan order. O(n): for exports and tests, not for every progress event. */
  getItems(): BulkItem[] {
    return this.items.map((i) => ({ ...i }));
  }

  /**
   * One page of the items whose status passes `filter`, copied, and how many pass: what a results
   * table needs on each progress event without copying a 20,000-item job (issue 17). O(n) scan of
   * references, O(limit) copies.
   */
  itemsPage(filter: (status: ItemStatus) => boolean, offset: number, limit: number): { items: BulkItem[]; total: number } {
    const out: BulkItem[] = [];
    let total = 0;
    for (const it of this.items) {
      if (!filter(it.status)) continue;
      if (total >= offset && out.length < limit) out.push({ ...it });
      total += 1;
    }
    return { items: out, total };
  }

  getProgress(): BulkProgress {
    return this.progress;
  }

  /** The listener gets a new snapshot on every change (fits `useSyncExternalStore`). */
  subscribe(listener: (p: BulkProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the job has ended (done or stopped). */
  settled(): Promise<BulkProgress> {
    if (this.job.state === 'done' || this.job.state === 'stopped') return Promise.resolve(this.progress);
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Takes the job's lock (one tab per job) and runs it. A paused job starts running again. */
  async start(): Promise<StartResult> {
    if (this.job.state === 'done' || this.job.state === 'stopped') return 'finished';
    if (this.job.state === 'running' && this.lock) return 'started';
    const taken = await this.takeLock();
    if (taken !== 'ok') return taken;
    if (this.job.state === 'stopping') {
      this.schedule(); // a stop interrupted by a reload: finish it, send nothing
      return 'started';
    }
    this.setState('running', null);
    this.runningSince = this.clock.now();
    this.openWatch();
    this.schedule();
    this.onLimiter(this.deps.limiter.getState());
    return 'started';
  }

  /** The job's state, read afresh (after an await TypeScript keeps an older narrowing). */
  private stateNow(): JobState {
    return this.job.state;
  }

  /**
   * The job's lock, and with it the journal's current state of the job (another tab may have run
   * it meanwhile). 'locked': another tab holds it; 'finished': the journal says the job ended.
   */
  private async takeLock(): Promise<'ok' | 'locked' | 'finished'> {
    if (this.lock) return 'ok';
    const lock = await this.deps.locks.acquire(this.job.id);
    if (!lock) return 'locked';
    this.lock = lock;
    try {
      await this.reload();
    } catch (e) {
      this.lock = null;
      lock.release();
      throw e;
    }
    const reloaded = this.stateNow(); // reload() replaced the job
    if (reloaded === 'done' || reloaded === 'stopped') {
      this.lock = null;
      lock.release();
      this.emit();
      return 'finished';
    }
    this.unsubscribers.push(
      this.deps.session.subscribe((e) => this.onSession(e)),
      this.deps.limiter.subscribe((s) => this.onLimiter(s)),
    );
    return 'ok';
  }

  /**
   * Nothing new is sent; calls in flight finish and are recorded. Only the tab running the job
   * (holding its lock) pauses it: another tab's view is read from the journal and changes nothing.
   */
  pause(): void {
    if (this.job.state === 'running' && this.lock) this.pauseFor({ kind: 'user' });
  }

  resume(): void {
    if (this.job.state !== 'paused' || !this.lock) return;
    if (this.job.pause?.kind === 'rate-limited') this.acceptedPauseUntil = Math.max(this.acceptedPauseUntil, this.job.pause.until);
    this.setState('running', null);
    this.runningSince = this.clock.now();
    this.schedule();
    this.drain();
  }

  /**
   * The user's answer to a pause on systematic refusals (issue 15): `continue` goes on and that
   * code no longer pauses the job; `skip-like` ends every item still to do whose situation is one
   * of the refused ones as skipped, without sending anything, then goes on with the rest (the job
   * ends at once when nothing else is left). "Stop" is `stop()`.
   */
  async resolveRefusals(choice: 'continue' | 'skip-like'): Promise<StartResult> {
    if (this.job.state !== 'paused' || this.job.pause?.kind !== 'refusals') return 'finished';
    // After a reload the pause is read from the journal and this tab does not hold the lock yet.
    const held = this.lock !== null;
    if (!held) {
      const taken = await this.takeLock();
      if (taken !== 'ok') return taken;
    }
    const pause = this.job.pause; // takeLock() may have reloaded the job
    if (this.stateNow() !== 'paused' || pause?.kind !== 'refusals') return held ? 'started' : this.start();
    if (choice === 'continue') this.refusals.accept(pause.code);
    else {
      const now = this.clock.now();
      const like = new Set(pause.situations);
      for (const item of this.items) {
        if (item.status !== 'pending' || this.active.has(item.key)) continue;
        // An unknown outcome may still land: it is re-read, never skipped as if nothing was sent.
        if (item.unknownOutcome) continue;
        if (!like.has(situationKind(situationOf(item, now)))) continue;
        await this.settle(item, 'skipped', 'like-refused', `Skipped after the platform refused ${pause.count} writes in a row (${pause.code}).`);
      }
      this.refusals.success(); // a new count for what is left
    }
    if (!held) return this.start();
    this.resume();
    return 'started';
  }

  /**
   * Stops the job: nothing new is sent; once the calls in flight have finished, every item not
   * yet finished ends as skipped ("stopped"), or failed when its last write's outcome is unknown
   * (it may have landed: "retry failed" re-reads it first).
   */
  async stop(): Promise<'stopped' | 'locked'> {
    if (this.job.state === 'done' || this.job.state === 'stopped') return 'stopped';
    // Stopping writes the journal: only with the lock. A tab that does not hold it (the job is
    // paused, or another tab runs it) takes it first, or says that another tab runs the job.
    const taken = await this.takeLock();
    if (taken === 'locked') return 'locked';
    const s = this.stateNow(); // takeLock() may have reloaded the job
    if (s === 'done' || s === 'stopped') return 'stopped';
    const p = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    if (s !== 'stopping') {
      this.setState('stopping', null);
      this.drain();
      this.schedule();
    }
    await p;
    return 'stopped';
  }

  /**
   * Without the lock (another tab runs the job): re-reads the journal, read-only, so that this
   * tab's view follows the other tab's progress. Does nothing while this runner holds the lock.
   */
  async peek(): Promise<void> {
    if (this.lock) return;
    const stored = await this.deps.journal.load(this.job.id);
    if (!stored || this.lock) return;
    this.adopt(stored);
    this.emit();
  }

  /** Drops subscriptions, timers and the lock without touching the job (tab unload, tests). */
  dispose(): void {
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
    this.closeWatch();
    this.clearTimer('gateTimer');
    this.clearTimer('wakeTimer');
    this.lock?.release();
    this.lock = null;
  }

  /**
   * Loads the job from the journal. Items found `in-flight` were being written when a tab went
   * away: their outcome is unknown, so they are re-read before any retry (checklist #16, #18).
   */
  private async reload(): Promise<void> {
    const stored = await this.deps.journal.load(this.job.id);
    if (!stored) return; // not journaled (cannot happen through create/open): keep memory
    const now = this.clock.now();
    const recovered: BulkItem[] = [];
    for (const it of stored.items) {
      if (it.status === 'in-flight') {
        // Saved right before its write left (`updatedAt`): the platform may still apply that write
        // for LATE_APPLY_WINDOW_MS after it (late-apply.ts), so it is re-read only then.
        it.status = 'pending';
        it.unknownOutcome = true;
        it.notBefore = Math.min(now + LATE_APPLY_WINDOW_MS, it.updatedAt + LATE_APPLY_WINDOW_MS);
        it.updatedAt = now;
        recovered.push(it);
      }
    }
    await this.deps.journal.saveItems(this.job.id, recovered);
    this.adopt(stored);
  }

  // ---------------------------------------------------------------------------------------------
  // State

  private setState(state: JobState, pause: PauseReason | null): void {
    this.job = { ...this.job, state, pause, updatedAt: this.clock.now() };
    this.saveJob();
    this.emit();
  }

  private saveJob(): void {
    const snapshot = { ...this.job, counts: { ...this.counts } };
    // Job records are written in order; a failure here is not fatal (items carry the truth).
    this.saveJobChain = this.saveJobChain.then(() => this.deps.journal.saveJob(snapshot)).catch(() => undefined);
  }

  private pauseFor(reason: PauseReason): void {
    // Only a running job pauses; an already paused one keeps its first reason.
    if (this.job.state !== 'running') return;
    this.setState('paused', reason);
    this.drain(); // halts what waits at the gate
  }

  private onSession(e: SessionEvent): void {
    if (e === 'expired') this.pauseFor({ kind: 'session' });
    else if (e === 'signedOut') {
      if (this.job.state === 'running' || (this.job.state === 'paused' && this.job.pause?.kind === 'session')) {
        this.setState('paused', { kind: 'signed-out' });
        this.drain();
      }
    } else if (e === 'restored' && this.job.state === 'paused' && this.job.pause?.kind === 'session') this.resume();
  }

  private lastHeldUntil: number | null = null;

  private onLimiter(s: LimiterState): void {
    const now = this.clock.now();
    const held = s.pausedUntil !== null && s.pausedUntil > now ? s.pausedUntil : null;
    if (held !== this.lastHeldUntil) {
      this.lastHeldUntil = held;
      this.emit();
    }
    if (this.job.state === 'running' && s.pausedUntil !== null && s.pausedUntil - now > this.cfg.longPauseMs && s.pausedUntil > this.acceptedPauseUntil) {
      this.pauseFor({ kind: 'rate-limited', until: s.pausedUntil });
      return;
    }
    this.drain();
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling: which items are worked on

  private schedule(): void {
    const now = this.clock.now();
    while (this.firstOpen < this.items.length && isTerminal(this.items[this.firstOpen]!.status)) this.firstOpen += 1;
    const state = this.job.state;
    if (state === 'running') {
      let nextWake = Number.POSITIVE_INFINITY;
      for (let i = this.firstOpen; i < this.items.length && this.active.size < this.cfg.concurrency; i++) {
        const it = this.items[i]!;
        if (it.status !== 'pending' || this.active.has(it.key)) continue;
        if (it.notBefore > now) {
          nextWake = Math.min(nextWake, it.notBefore);
          continue;
        }
        this.spawn(it);
      }
      this.updateWatch();
      this.clearTimer('wakeTimer');
      if (nextWake < Number.POSITIVE_INFINITY) this.wakeTimer = this.clock.setTimeout(() => ((this.wakeTimer = null), this.schedule()), nextWake - now);
      if (this.active.size === 0 && this.firstOpen >= this.items.length) this.finish('done');
    } else if (state === 'stopping' && this.active.size === 0) {
      void this.finishStopped();
    }
  }

  private spawn(item: BulkItem): void {
    this.active.add(item.key);
    void this.work(item)
      .catch((e: unknown) => this.onStorageFailure(item, e))
      .finally(() => {
        this.active.delete(item.key);
        this.schedule();
      });
  }

  private onStorageFailure(item: BulkItem, e: unknown): void {
    // Only the journal can throw here (platform errors are values). Without a journal the
    // never-twice promise cannot be kept across a reload: pause and let the user decide.
    if (item.status === 'in-flight') this.setStatus(item, 'pending');
    this.pauseFor({ kind: 'storage', message: e instanceof Error ? e.message : String(e) });
  }

  private finish(state: 'done' | 'stopped'): void {
    this.clearTimer('gateTimer');
    this.clearTimer('wakeTimer');
    this.setState(state, null);
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
    this.closeWatch();
    const release = this.lock;
    this.lock = null;
    // The lock is released once the final job record is stored.
    void this.saveJobChain.then(() => release?.release());
    const p = this.progress;
    for (const w of this.settledWaiters.splice(0)) w(p);
    for (const w of this.stopWaiters.splice(0)) w();
  }

  private async finishStopped(): Promise<void> {
    if (this.job.state !== 'stopping' || this.finalizing) return;
    this.finalizing = true;
    const now = this.clock.now();
    const changed: BulkItem[] = [];
    for (const it of this.items) {
      if (isTerminal(it.status)) continue;
      if (it.unknownOutcome) {
        this.setStatus(it, 'failed');
        it.reason = 'unverified';
        it.message = 'Stopped before the outcome of the last write could be checked; it may have been applied.';
      } else {
        this.setStatus(it, 'skipped');
        it.reason = 'stopped';
        it.message = 'The job was stopped before this item was written.';
      }
      it.updatedAt = now;
      changed.push(it);
    }
    await this.deps.journal.saveItems(this.job.id, changed);
    if (this.job.state === 'stopping') this.finish('stopped');
  }

  // ---------------------------------------------------------------------------------------------
  // The notification watch: agent wrap-ups reported as they happen (DESIGN.md)

  private openWatch(): void {
    if (this.watcher || !this.deps.createWatch) return;
    try {
      this.watcher = this.deps.createWatch();
    } catch {
      return; // no watch: batched re-checks and live reads keep the promise on their own
    }
    this.watched = new Set();
    this.unsubscribers.push(this.watcher.onWrapup((e) => this.onWatchEvent(e)));
    if (this.watcher.onStatus) this.unsubscribers.push(this.watcher.onStatus(() => this.emit()));
  }

  private closeWatch(): void {
    this.watcher?.close();
    this.watcher = null;
    this.watched = new Set();
  }

  /**
   * Subscribes ahead of the job: the next `watchAhead` conversations with open items. The set is
   * replaced (one subscription request) only when half of it is done and there is something new.
   */
  private updateWatch(): void {
    const w = this.watcher;
    if (!w) return;
    let open = 0;
    for (const cid of this.watched) if (this.byConversation.get(cid)?.some((it) => !isTerminal(it.status))) open += 1;
    if (this.watched.size > 0 && open >= this.cfg.watchAhead / 2) return;
    const next = new Set<string>();
    for (let i = this.firstOpen; i < this.items.length && next.size < this.cfg.watchAhead; i++) {
      const it = this.items[i]!;
      if (!isTerminal(it.status) && it.media !== null) next.add(it.conversationId);
    }
    if (![...next].some((cid) => !this.watched.has(cid))) return;
    this.watched = next;
    w.watch(next);
  }

  /**
   * The live read behind the observation was answered at most `maxReadAgeMs` ago. Counted from the
   * answer, not from when it was sent: with answers slower than `maxReadAgeMs` a read would be
   * stale on arrival and the item would be read again forever.
   */
  private liveReadRecent(item: BulkItem): boolean {
    const now = this.clock.now();
    if (now - item.observed.at <= this.cfg.maxReadAgeMs) return true;
    const answered = this.readAnsweredAt.get(item.key);
    return answered !== undefined && answered >= item.observed.at && now - answered <= this.cfg.maxReadAgeMs;
  }

  /**
   * Another code reported at `at` for an item we wrote: inside the race window of our write (from
   * when it left to `RACE_WINDOW_MS` after), theirs may have landed just before ours and been
   * replaced by it. An event before our write left stops the write at the gate instead.
   */
  private racedOurWrite(item: BulkItem, otherCode: string, at: number): boolean {
    const sentAt = this.writeSentAt.get(item.key);
    return sentAt !== undefined && otherCode !== this.job.code.id && at >= sentAt && at - sentAt <= RACE_WINDOW_MS;
  }

  /** Our write landed: another code reported while it was on its way may have been replaced by it. */
  private flagIfRaced(item: BulkItem): void {
    const raced = this.racing.get(item.key);
    if (raced) item.mayHaveReplaced = raced;
  }

  /** Every write is verified by a live read: chosen by the user, or events not (yet) proven for our writes. */
  private perItem(): boolean {
    return this.job.options.verify === 'per-item' || (this.cfg.requireEventProof && !this.eventsProven);
  }

  private onWatchEvent(e: WatchEvent): void {
    const items = this.byConversation.get(e.conversationId) ?? [];
    const item = e.code !== '' ? items.find((it) => it.participantId === e.participantId && it.communicationId === e.communicationId) : undefined;
    if (item) {
      const sentAt = this.writeSentAt.get(item.key);
      // Our own write's event: the platform tells this user's writes too (see `eventsProven`).
      if (!this.eventsProven && sentAt !== undefined && e.code === this.job.code.id && this.clock.now() >= sentAt) {
        this.eventsProven = true;
        this.emit();
      }
      if (item.status === 'applied' && this.racedOurWrite(item, e.code, this.clock.now())) {
        item.mayHaveReplaced = { code: e.code, at: this.clock.now() };
        void this.save(item).then(() => this.emit());
        return;
      }
      if (isTerminal(item.status)) return;
      // While our write is in flight or its outcome unknown (it may land any moment, also one
      // left by a tab that went away), another code reported may be replaced by it.
      if ((item.status === 'in-flight' || item.unknownOutcome) && e.code !== this.job.code.id) this.racing.set(item.key, { code: e.code, at: this.clock.now() });
      this.events.set(item.key, { code: e.code, at: this.clock.now() });
    } else {
      // An event that names none of our items exactly (fields missing, or its ids are not the
      // ones analytics gave [M]): something in this conversation was wrapped up. Rather than
      // trust an observation the event may contradict, its open items are read live first.
      let any = false;
      for (const it of items) {
        if (isTerminal(it.status)) continue;
        it.recheck = true;
        any = true;
      }
      if (!any) return;
    }
    this.drain(); // a write waiting at the gate re-checks its precondition
  }

  /** An event newer than the observation replaces it (analytics never overrides an event: it lags). */
  private mergeEvent(item: BulkItem): void {
    const ev = this.events.get(item.key);
    if (!ev || ev.at <= item.observed.at) return;
    item.observed = observeCode(ev.code, ev.at);
  }

  /** The watch has reported every wrap-up of this item since before the observation was true. */
  private isCovered(item: BulkItem): boolean {
    const since = this.watcher?.coveredSince(item.conversationId) ?? null;
    if (since === null) return false;
    return item.observed.at >= since + (item.observed.live ? 0 : this.cfg.analyticsLagMs);
  }

  /**
   * May a write leave now on the strength of this item's observation? (checked before the write
   * is queued and again right before it leaves.)
   * - marked for a live read (`recheck`: a 409, or an event that named no item exactly): no;
   * - an event newer than the observation: no, decide again;
   * - `per-item`: a live read at most `maxReadAgeMs` old;
   * - covered by the watch: yes, however old (every later wrap-up would have been reported);
   * - pending after-call work (an agent could still code it): a live read at most `maxReadAgeMs` old;
   * - otherwise: at most `maxStaleMs` old.
   */
  private validForWrite(item: BulkItem): boolean {
    if (item.recheck) return false; // to be read live first
    const o = item.observed;
    const ev = this.events.get(item.key);
    if (ev && ev.at > o.at) return false;
    const age = this.clock.now() - o.at;
    if (this.perItem()) return o.live === true && this.liveReadRecent(item);
    if (this.isCovered(item)) return true;
    if (o.acwSince !== undefined) return o.live === true && this.liveReadRecent(item);
    return age <= this.cfg.maxStaleMs;
  }

  // ---------------------------------------------------------------------------------------------
  // The gate: hand a request over only when the limiter lets it through at once

  private send<T>(kind: Waiting['kind'], thunk: () => Promise<T>, stillValid?: () => boolean): Promise<Sent<T>> {
    return new Promise<Sent<T>>((resolve) => {
      this.waiting.push({ kind, thunk, stillValid, resolve: resolve as (r: Sent<unknown>) => void });
      this.drain();
    });
  }

  private gateOpen(): boolean {
    const s = this.deps.limiter.getState();
    return s.queued === 0 && s.inFlight < s.maxConcurrent && this.deps.limiter.readyAt() <= this.clock.now();
  }

  private drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        while (this.waiting.length > 0) {
          if (this.job.state !== 'running') {
            for (const w of this.waiting.splice(0)) w.resolve({ halted: true, stale: false });
            break;
          }
          if (!this.gateOpen()) {
            this.armGate();
            break;
          }
          const w = this.waiting.shift()!;
          if (w.stillValid && !w.stillValid()) {
            w.resolve({ halted: true, stale: true });
            continue;
          }
          const sentAt = this.clock.now();
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

  private armGate(): void {
    this.clearTimer('gateTimer');
    const at = this.deps.limiter.readyAt();
    const now = this.clock.now();
    // Waiters and concurrency are signalled by the limiter's own events; the sliding window is not.
    if (at > now) this.gateTimer = this.clock.setTimeout(() => ((this.gateTimer = null), this.drain()), at - now);
  }

  private clearTimer(which: 'gateTimer' | 'wakeTimer'): void {
    const t = this[which];
    if (t !== null) this.clock.clearTimeout(t);
    this[which] = null;
  }

  // ---------------------------------------------------------------------------------------------
  // One item

  private async work(item: BulkItem): Promise<void> {
    const { code, options } = this.job;
    for (;;) {
      if (this.job.state !== 'running' || isTerminal(item.status)) return;
      const media = item.media;
      if (media === null) return this.settle(item, 'skipped', 'no-write-path', `Media type "${item.mediaType}" has no wrap-up endpoint.`);
      this.mergeEvent(item);

      if (item.unknownOutcome) {
        // Our own write's event is proof that it landed: no re-read needed.
        const ev = this.events.get(item.key);
        const sentAt = this.writeSentAt.get(item.key);
        if (ev && sentAt !== undefined && ev.at >= sentAt && ev.code === code.id) {
          item.observed = { status: 'coded', codeId: code.id, at: ev.at, live: true };
          this.flagIfRaced(item);
          this.reportWrite(item, null, true);
          return this.settle(item, 'applied', null, null);
        }
      }
      if (!item.unknownOutcome && !item.recheck && item.observed.codeId !== null && !mayWriteNow(item.observed.codeId, item, code.id, options)) {
        // Not writing needs no fresh data: a code, once seen, is only ever replaced by another code.
        return this.keepCode(item, item.observed.codeId);
      }
      let live = item.unknownOutcome || item.recheck || (this.perItem() && !this.validForWrite(item));
      if (!live && item.observed.acwSince !== undefined && !this.validForWrite(item)) {
        // Pending after-call work: a batched re-check is enough once the watch covers the item.
        const since = this.watcher?.coveredSince(item.conversationId) ?? null;
        const coverableAt = since === null ? null : since + this.cfg.analyticsLagMs;
        if (coverableAt === null) live = true;
        else if (coverableAt > this.clock.now()) {
          item.notBefore = coverableAt; // a few seconds; other items go on meanwhile
          return;
        }
      }
      if (live) {
        // Live read: resolves an unknown outcome before any retry, or verifies right before writing.
        const r = await this.send('read', () => this.deps.platform.readWrapup(media, item.conversationId, item.participantId, item.communicationId));
        if (r.halted) return;
        if (!r.ok) return this.readFailed(item, r.error);
        const current = r.value?.code ?? null;
        this.readAnsweredAt.set(item.key, this.clock.now());
        item.readFailures = 0;
        item.observed = { ...observeCode(current, r.sentAt), ...(item.observed.acwSince !== undefined ? { acwSince: item.observed.acwSince } : {}) };
        this.mergeEvent(item); // an event that arrived while the read was out
        const seen = item.observed.codeId;
        if (item.unknownOutcome && seen === code.id) {
          this.flagIfRaced(item);
          this.reportWrite(item, null, true);
          return this.settle(item, 'applied', null, null);
        }
        if (!mayWriteNow(seen, item, code.id, options)) return this.keepCode(item, seen);
        if (item.attempts >= this.cfg.maxAttempts) return this.settle(item, 'failed', 'attempts-exhausted', `Not applied after ${item.attempts} attempts.`);
        item.unknownOutcome = false;
        item.recheck = false;
      } else if (!this.validForWrite(item)) {
        const fresh = await this.refresh(item);
        if (!fresh) return;
        continue; // decide again on the fresh observation
      } else {
        const { status, codeId } = item.observed;
        if (status === 'active') return this.settle(item, 'skipped', 'active', ACTIVE_MESSAGE);
        if (status === 'unanswered') return this.settle(item, 'skipped', 'unanswered', UNANSWERED_MESSAGE);
        if (!mayWriteNow(codeId, item, code.id, options)) return this.keepCode(item, codeId);
      }

      if (item.attempts >= this.cfg.maxAttempts || item.sends >= this.cfg.maxSends) {
        return this.settle(item, 'failed', 'attempts-exhausted', `Not applied after ${item.sends} requests.`);
      }
      const written = await this.write(item, media);
      if (written === 'again') continue;
      return;
    }
  }

  /** The item has a code the job must not write over (or already has the job's code). */
  private keepCode(item: BulkItem, current: string | null): Promise<void> {
    const { code } = this.job;
    return current === code.id
      ? this.settle(item, 'already-coded', 'same-code', `Already has "${code.name}".`)
      : this.settle(item, 'already-coded', 'coded-during-run', 'A wrap-up was set by someone else during the job; it was kept.');
  }

  /** One write. 'again': loop at once (429, 409); 'done': the worker ends (settled, backoff or halted). */
  private async write(item: BulkItem, media: NonNullable<BulkItem['media']>): Promise<'again' | 'done'> {
    const { code, notes, options } = this.job;
    this.setStatus(item, 'in-flight');
    item.attempts += 1;
    item.sends += 1;
    item.updatedAt = this.clock.now();
    await this.deps.journal.saveItem(this.job.id, item); // BEFORE the request (checklist #18)
    this.emit();
    // The check must still hold when the write actually leaves (the gate may have waited).
    const r = await this.send(
      'write',
      () => {
        this.writeSentAt.set(item.key, this.clock.now());
        return this.deps.platform.writeWrapup(media, item.conversationId, item.participantId, item.communicationId, { code, notes, method: options.method ?? 'post' });
      },
      () => this.validForWrite(item),
    );
    if (r.halted) {
      // Paused or stopped while waiting at the gate, or the check went stale: nothing was sent.
      this.setStatus(item, 'pending');
      item.attempts -= 1;
      item.sends -= 1;
      await this.save(item);
      return r.stale ? 'again' : 'done';
    }
    this.reportWrite(item, r.ok ? null : itemError(r.error));
    if (r.ok) {
      this.refusals.success();
      this.flagIfRaced(item);
      item.observed = { status: 'coded', codeId: code.id, at: r.sentAt, live: true };
      await this.settle(item, 'applied', null, null);
      return 'done';
    }
    const err = r.error;
    item.lastError = itemError(err);
    this.setStatus(item, 'pending');
    // One classification of a failed write for the whole app (`@/lib/genesys/write-outcome.ts`).
    switch (classifyWriteError(err)) {
      case 'session':
        item.attempts -= 1; // refused before processing: no attempt spent (checklist #17)
        await this.save(item);
        this.pauseFor({ kind: 'session' });
        return 'done';
      case 'throttled': {
        item.attempts -= 1; // flow control, not processed; the limiter is paused by the HTTP client
        await this.save(item);
        const wait = err.retryAfterMs ?? 0;
        if (wait > this.cfg.longPauseMs) {
          const until = Math.max(r.sentAt + wait, this.deps.limiter.getState().pausedUntil ?? 0);
          if (until > this.acceptedPauseUntil) this.pauseFor({ kind: 'rate-limited', until });
        }
        return 'again';
      }
      case 'not-sent':
        item.attempts -= 1; // never left the browser
        item.sends -= 1;
        item.notBefore = this.clock.now() + backoffMs(1, this.random);
        await this.save(item);
        return 'done';
      case 'conflict':
        item.attempts -= 1; // refused: the communication already has a wrap-up
        if (options.replaceExisting) {
          await this.settle(item, 'failed', 'refused', err.message);
          return 'done';
        }
        item.recheck = true;
        await this.save(item);
        return 'again';
      case 'refused': {
        await this.settle(item, 'failed', 'refused', err.message); // 400/403/404/422 and other 4xx: final (checklist #15)
        // Nothing left to send (the rest is finished or in flight): the job ends; no choice to ask for.
        const streak = this.refusals.refused(itemError(err), situationKind(situationOf(item, this.clock.now())));
        const pause = streak && this.counts.pending > 0 ? streak : null;
        // Writes in flight at the pause come back refused too: the pause then reports them as well.
        if (pause && this.job.state === 'paused' && this.job.pause?.kind === 'refusals' && this.lock) this.setState('paused', pause);
        else if (pause) this.pauseFor(pause);
        return 'done';
      }
      case 'unknown':
        // 5xx, 408, network, timeout, aborted in flight: it may have landed. Re-read before any retry;
        // without an answer the platform may still apply it later: re-read only once it can no longer
        // (an event for it settles it earlier). Checklist #16, late-apply.ts.
        item.unknownOutcome = true;
        item.notBefore = Math.max(this.clock.now() + backoffMs(item.attempts, this.random), lateApplyUntil(err, r.sentAt) ?? 0);
        await this.save(item);
        return 'done';
    }
  }

  private reportWrite(item: BulkItem, error: ItemError | null, resolved = false): void {
    const hook = this.deps.onWrite;
    if (!hook) return;
    try {
      const e: WriteEvent = {
        jobId: this.job.id,
        item: { ...item },
        code: this.job.code,
        notes: this.job.notes,
        replace: this.job.options.replaceExisting,
        method: this.job.options.method ?? 'post',
        error,
        at: this.clock.now(),
      };
      if (resolved) e.resolved = true;
      hook(e);
    } catch {
      // the audit hook must never break the job
    }
  }

  private async readFailed(item: BulkItem, err: ApiError): Promise<void> {
    item.lastError = itemError(err);
    if (isUnauthorized(err)) {
      await this.save(item);
      this.pauseFor({ kind: 'session' });
      return;
    }
    // Refused for good: by the client (usage: bad arguments, no platform) or by the platform (4xx).
    const final = err.kind === 'usage' || (err.kind === 'http' && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429);
    if (final) {
      return item.unknownOutcome
        ? this.settle(item, 'failed', 'unverified', `The last write's outcome is unknown and the re-read was refused: ${err.message}`)
        : this.settle(item, 'failed', 'refused', err.message);
    }
    if (!err.sent) {
      // Never left the browser (cancelled while the client was reconfigured): no failure to
      // count, but not at once either.
      item.notBefore = this.clock.now() + backoffMs(1, this.random);
      await this.save(item);
      return;
    }
    if (err.kind === 'http' && err.status === 429) {
      // Flow control, not a failure of this item: another tab or browser of the same user and
      // client may be spending the shared limit (docs/genesys-platform.md §8 row 7). The limiter is paused
      // by the HTTP client; the item waits its turn and spends nothing.
      const wait = err.retryAfterMs ?? 0;
      const long = wait > this.cfg.longPauseMs;
      if (!long) item.notBefore = this.clock.now() + Math.max(wait, backoffMs(1, this.random));
      await this.save(item);
      if (long) {
        const until = Math.max(this.clock.now() + wait, this.deps.limiter.getState().pausedUntil ?? 0);
        if (until > this.acceptedPauseUntil) this.pauseFor({ kind: 'rate-limited', until });
      }
      return;
    }
    item.readFailures += 1;
    if (item.readFailures >= this.cfg.maxAttempts) {
      return this.settle(
        item,
        'failed',
        'unverified',
        item.unknownOutcome ? `The last write's outcome is unknown and could not be checked: ${err.message}` : `The current wrap-up could not be checked: ${err.message}`,
      );
    }
    item.notBefore = this.clock.now() + backoffMs(item.readFailures, this.random);
    await this.save(item);
  }

  /**
   * Batched re-check (verify 'batched'): one analytics request for this item's conversation and up
   * to 99 other upcoming ones whose observation is getting old. Concurrent callers share it.
   */
  private async refresh(item: BulkItem): Promise<boolean> {
    const shared = this.refreshing.get(item.conversationId);
    if (shared) {
      const ok = await shared;
      if (!ok && item.notBefore <= this.clock.now()) item.notBefore = this.clock.now() + backoffMs(1, this.random);
      return ok && this.job.state === 'running';
    }
    const ids = [item.conversationId];
    for (let i = this.firstOpen; i < this.items.length && ids.length < DETAILS_BATCH_SIZE; i++) {
      const it = this.items[i]!;
      if (it.status !== 'pending' || it.media === null || it.unknownOutcome || it.recheck || this.events.has(it.key) || !this.worthChecking(it)) continue;
      if (ids.includes(it.conversationId) || this.refreshing.has(it.conversationId)) continue;
      ids.push(it.conversationId);
    }
    const run = (async (): Promise<boolean> => {
      const r = await this.send('check', () => this.deps.platform.getDetails(ids));
      if (r.halted) return false;
      if (!r.ok) {
        await this.readFailed(item, r.error);
        return false;
      }
      const byId = new Map(r.value.filter((c) => c.conversationId).map((c) => [c.conversationId!, c]));
      const changed: BulkItem[] = [];
      for (const cid of ids) {
        const conv = byId.get(cid);
        for (const it of this.byConversation.get(cid) ?? []) {
          // Live knowledge (unknown outcome, 409) beats analytics, which may lag.
          if (it.status !== 'pending' || it.unknownOutcome || it.recheck) continue;
          const ev = this.events.get(it.key);
          if (ev && r.sentAt - this.cfg.analyticsLagMs < ev.at) {
            // An event beats analytics until analytics has surely caught up with it.
            if (it === item) item.notBefore = ev.at + this.cfg.analyticsLagMs;
            continue;
          }
          const session = conv?.participants?.find((p) => p.participantId === it.participantId)?.sessions?.find((s) => s.sessionId === it.communicationId);
          const next = conv && session ? observeSession(conv, session, r.sentAt) : null;
          // A live read decides when analytics left the item out (no news is not "still missing"),
          // or shows no code where one was already seen (an event, a live read): a code is only
          // ever replaced by another code, so analytics lags more than `analyticsLagMs` [M].
          if (!next || (next.codeId === null && (ev || it.observed.codeId !== null))) {
            it.recheck = true;
            changed.push(it);
            continue;
          }
          if (ev) this.events.delete(it.key);
          it.observed = next;
          changed.push(it);
        }
      }
      await this.deps.journal.saveItems(this.job.id, changed);
      return true;
    })();
    for (const cid of ids) this.refreshing.set(cid, run);
    try {
      return (await run) && this.job.state === 'running';
    } finally {
      for (const cid of ids) if (this.refreshing.get(cid) === run) this.refreshing.delete(cid);
    }
  }

  /** Would a batched re-check now help this upcoming item (soon stale, or it would become covered)? */
  private worthChecking(it: BulkItem): boolean {
    const now = this.clock.now();
    const since = this.watcher?.coveredSince(it.conversationId) ?? null;
    if (since !== null) return !this.isCovered(it) && (now >= since + this.cfg.analyticsLagMs || now - it.observed.at > this.cfg.maxStaleMs / 2);
    if (it.observed.acwSince !== undefined) return false; // needs a live read (or coverage) anyway
    return now - it.observed.at > this.cfg.maxStaleMs / 2;
  }

  private async settle(item: BulkItem, status: TerminalStatus, reason: ItemReason | null, message: string | null): Promise<void> {
    this.setStatus(item, status);
    item.reason = reason;
    item.message = message;
    if (status !== 'failed' || reason !== 'unverified') item.unknownOutcome = false;
    item.recheck = false;
    // Per-write memory of an open item (the race flag is on the item by now).
    this.racing.delete(item.key);
    this.readAnsweredAt.delete(item.key);
    item.updatedAt = this.clock.now();
    this.finishedAt.push(Math.max(item.updatedAt, this.finishedAt[this.finishedAt.length - 1] ?? 0));
    await this.deps.journal.saveItem(this.job.id, item);
    this.emit();
  }

  private async save(item: BulkItem): Promise<void> {
    item.updatedAt = this.clock.now();
    await this.deps.journal.saveItem(this.job.id, item);
    this.emit();
  }

  // ---------------------------------------------------------------------------------------------
  // Progress

  private computeProgress(): BulkProgress {
    const now = this.clock.now();
    const counts = { ...this.counts };
    // The last minute's finishes: drop from the front (the clock only moves on), O(1) per event
    // on average where a filter would pass over a minute's worth (a whole fast job) on every event.
    while (this.finishedFrom < this.finishedAt.length && this.finishedAt[this.finishedFrom]! <= now - RECENT_MS) this.finishedFrom += 1;
    if (this.finishedFrom > 1024 && this.finishedFrom * 2 > this.finishedAt.length) {
      this.finishedAt = this.finishedAt.slice(this.finishedFrom);
      this.finishedFrom = 0;
    }
    const recent = this.finishedAt.length - this.finishedFrom;
    const span = Math.min(RECENT_MS, Math.max(1, now - this.runningSince));
    const perMinute = recent >= 5 ? (recent / span) * 60_000 : null;
    const remaining = counts.pending + counts.inFlight;
    let etaMs: number | null = null;
    if (this.job.state === 'running') {
      if (remaining === 0) etaMs = 0;
      else {
        const limiter = this.deps.limiter.getState();
        // About one request per item, so the budget caps the sustained rate (a fresh window bursts).
        const rate = Math.min(perMinute ?? limiter.budgetPerMinute, limiter.budgetPerMinute);
        etaMs = Math.round((remaining / rate) * 60_000) + Math.max(0, (limiter.pausedUntil ?? now) - now);
      }
    }
    const watch = this.watcher ? (this.watcher.status?.() ?? 'live') : null;
    const pausedUntil = this.deps.limiter.getState().pausedUntil;
    const heldUntil = this.job.state === 'running' && pausedUntil !== null && pausedUntil - now > 10_000 ? pausedUntil : null;
    const checking = this.job.options.verify === 'per-item' ? 'careful' : this.perItem() ? 'each' : 'watch';
    return { jobId: this.job.id, state: this.job.state, pause: this.job.pause, counts, requests: { ...this.requests }, perMinute, etaMs, watch, heldUntil, checking };
  }

  private emit(): void {
    this.progress = this.computeProgress();
    for (const l of this.listeners) l(this.progress);
  }
}
