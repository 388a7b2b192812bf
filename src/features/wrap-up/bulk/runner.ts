/**
 * The bulk runner (issue 7 items 3–5): plain TypeScript, no React; the UI only subscribes.
 *
 * `BulkRunner` is the job's lifecycle: create/open, the job's lock (one tab per job), start, pause,
 * resume, stop, the session and rate-limit pauses, the stop rule on refusals, which items are
 * worked on (`schedule`), and progress events. The rest is in parts, each
 * with its own tests (issue 13; DESIGN.md "The runner in parts"):
 * - `request-gate.ts`: what may be sent now (the shared RateLimiter's budget, slots and pause);
 * - `freshness.ts`: whether an observation is still good enough to write on (coverage, staleness,
 *   live reads, events, races);
 * - `item-step.ts`: pure decisions for one item (item + result → next step; attempts counted once
 *   the outcome is known), carried out by `item-worker.ts`;
 * - `recheck.ts`: the batched analytics re-check of upcoming items;
 * - `progress.ts`: incremental counts, the last minute's rate, the progress snapshot;
 * - `watch-ahead.ts`: the notification watch, subscribed ahead of the job.
 */
import { systemClock, type Clock, type LimiterState } from '@/lib/genesys/rate-limiter.ts';
import { LATE_APPLY_WINDOW_MS } from '../late-apply.ts';
import type { JobLock } from './job-lock.ts';
import { RefusalStreak } from './refusal-streak.ts';
import {
  REFUSAL_STREAK_LIMIT,
  countItems,
  isTerminal,
  situationKind,
  situationOf,
  type BulkItem,
  type BulkJob,
  type ItemError,
  type ItemReason,
  type ItemStatus,
  type JobState,
  type PauseReason,
  type TerminalStatus,
} from './model.ts';
import { Freshness } from './freshness.ts';
import { ItemWorker } from './item-worker.ts';
import { ProgressCounter, progressOf } from './progress.ts';
import { BatchedRecheck } from './recheck.ts';
import { RequestGate, type RequestKind, type Sent } from './request-gate.ts';
import { WatchAhead } from './watch-ahead.ts';
import {
  RUNNER_DEFAULTS,
  type BulkProgress,
  type RunnerConfig,
  type RunnerDeps,
  type SessionEvent,
  type StartResult,
  type WatchEvent,
} from './runner-types.ts';

// The ports, configuration and progress live in runner-types.ts; callers import them from here.
export type {
  BulkProgress,
  LimiterPort,
  RunnerConfig,
  RunnerDeps,
  SessionEvent,
  SessionPort,
  StartResult,
  WatchEvent,
  WatchPort,
  WatchState,
  WriteEvent,
} from './runner-types.ts';
export { RACE_WINDOW_MS, RUNNER_DEFAULTS } from './runner-types.ts';

export class BulkRunner {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly cfg: Required<RunnerConfig>;
  private readonly byConversation = new Map<string, BulkItem[]>();
  private readonly active = new Set<string>();
  /** What may be sent now (the limiter's budget and slots; nothing while the job is not running). */
  private readonly gate: RequestGate;
  private wakeTimer: unknown = null;
  /** The batched re-check of observations getting old (recheck.ts). */
  private readonly recheck: BatchedRecheck;
  /** Carries each item through its steps (item-worker.ts). */
  private readonly worker: ItemWorker;
  private readonly listeners = new Set<(p: BulkProgress) => void>();
  private unsubscribers: (() => void)[] = [];
  private lock: JobLock | null = null;
  private acceptedPauseUntil = 0;
  private firstOpen = 0;
  private runningSince = 0;
  private progress: BulkProgress;
  private settledWaiters: ((p: BulkProgress) => void)[] = [];
  private stopWaiters: (() => void)[] = [];
  private saveJobChain: Promise<void> = Promise.resolve();
  private finalizing = false;
  /** The notification watch, subscribed ahead of the job (watch-ahead.ts). */
  private readonly watch = new WatchAhead();
  /** Whether an observation is still good enough to write on (events, coverage, live reads). */
  private readonly fresh: Freshness;
  /** The counts by status (incremental) and the last minute's finishes (progress.ts). */
  private readonly tally: ProgressCounter;
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
    this.tally = new ProgressCounter(items);
    this.fresh = new Freshness({
      clock: this.clock,
      cfg: this.cfg,
      job: () => this.job,
      coveredSince: (cid) => this.watch.coveredSince(cid),
    });
    this.gate = new RequestGate({ limiter: deps.limiter, clock: this.clock, running: () => this.job.state === 'running' });
    this.recheck = new BatchedRecheck({
      items: () => this.items,
      firstOpen: () => this.firstOpen,
      byConversation: (cid) => this.byConversation.get(cid) ?? [],
      fresh: this.fresh,
      check: (ids) => this.send('check', () => this.deps.platform.getDetails(ids)),
      saveItems: (items) => this.deps.journal.saveItems(this.job.id, items),
      failed: (item, err) => this.worker.readFailed(item, err),
      running: () => this.job.state === 'running',
      clock: this.clock,
      random: this.random,
      analyticsLagMs: this.cfg.analyticsLagMs,
    });
    this.worker = new ItemWorker({
      job: () => this.job,
      cfg: this.cfg,
      clock: this.clock,
      random: this.random,
      fresh: this.fresh,
      recheck: this.recheck,
      send: (kind, thunk, stillValid) => this.gate.send(kind, thunk, stillValid),
      platform: deps.platform,
      journal: deps.journal,
      tally: this.tally,
      onWrite: deps.onWrite,
      emit: () => this.emit(),
      pauseFor: (reason) => this.pauseFor(reason),
      pauseRateLimited: (from) => this.pauseRateLimited(from),
      writeAccepted: () => this.refusals.success(),
      writeRefused: (item, err) => this.countRefusal(item, err),
    });
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
    this.tally.recount(this.items);
    this.job = { ...stored.job, counts: { ...this.tally.counts } };
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
    return { ...this.job, counts: { ...this.tally.counts } };
  }

  /** The one way an item's status changes here: the counts follow in O(1). */
  private setStatus(item: BulkItem, status: ItemStatus): void {
    this.tally.setStatus(item, status);
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
    this.gate.cancelTimer();
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
    const snapshot = { ...this.job, counts: { ...this.tally.counts } };
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
    this.gate.cancelTimer();
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
    this.unsubscribers.push(
      ...this.watch.open(
        this.deps.createWatch,
        (e) => this.onWatchEvent(e),
        () => this.emit(),
      ),
    );
  }

  private closeWatch(): void {
    this.watch.close();
  }

  private updateWatch(): void {
    const isOpen = (cid: string) => this.byConversation.get(cid)?.some((it) => !isTerminal(it.status)) ?? false;
    this.watch.update(this.items, this.firstOpen, isOpen, this.cfg.watchAhead);
  }

  private onWatchEvent(e: WatchEvent): void {
    const effect = this.fresh.onEvent(e, this.byConversation.get(e.conversationId) ?? []);
    if (effect.proven) this.emit();
    if (effect.raced) void this.save(effect.raced).then(() => this.emit());
    if (effect.drain) this.drain(); // a write waiting at the gate re-checks its precondition
  }

  // ---------------------------------------------------------------------------------------------
  // The gate (request-gate.ts): hand a request over only when the limiter lets it through at once

  private send<T>(kind: RequestKind, thunk: () => Promise<T>, stillValid?: () => boolean): Promise<Sent<T>> {
    return this.gate.send(kind, thunk, stillValid);
  }

  private drain(): void {
    this.gate.drain();
  }

  private clearTimer(which: 'wakeTimer'): void {
    const t = this[which];
    if (t !== null) this.clock.clearTimeout(t);
    this[which] = null;
  }

  // ---------------------------------------------------------------------------------------------
  // Items: carried out by item-worker.ts (decisions in item-step.ts); what concerns the job is here

  private work(item: BulkItem): Promise<void> {
    return this.worker.work(item);
  }

  private settle(item: BulkItem, status: TerminalStatus, reason: ItemReason | null, message: string | null): Promise<void> {
    return this.worker.settle(item, status, reason, message);
  }

  private save(item: BulkItem): Promise<void> {
    return this.worker.save(item);
  }

  /** The stop rule (refusal-streak.ts): K final refusals in a row with one code pause the job. */
  private countRefusal(item: BulkItem, err: ItemError): void {
    const streak = this.refusals.refused(err, situationKind(situationOf(item, this.clock.now())));
    // Nothing left to send (the rest is finished or in flight): the job ends; no choice to ask for.
    const pause = streak && this.tally.counts.pending > 0 ? streak : null;
    // Writes in flight at the pause come back refused too: the pause then reports them as well.
    if (pause && this.job.state === 'paused' && this.job.pause?.kind === 'refusals' && this.lock) this.setState('paused', pause);
    else if (pause) this.pauseFor(pause);
  }

  /** A rate-limit pause longer than `longPauseMs` (from `from`): the job pauses unless the user accepted it. */
  private pauseRateLimited(from: number): void {
    const until = Math.max(from, this.deps.limiter.getState().pausedUntil ?? 0);
    if (until > this.acceptedPauseUntil) this.pauseFor({ kind: 'rate-limited', until });
  }

  // ---------------------------------------------------------------------------------------------
  // Progress

  private computeProgress(): BulkProgress {
    const now = this.clock.now();
    return progressOf({
      job: this.job,
      counts: this.tally.counts,
      requests: this.gate.requests,
      recent: this.tally.recent(now),
      runningSince: this.runningSince,
      limiter: this.deps.limiter.getState(),
      now,
      watch: this.watch.state(),
      perItem: this.fresh.perItem(),
    });
  }

  private emit(): void {
    this.progress = this.computeProgress();
    for (const l of this.listeners) l(this.progress);
  }
}
