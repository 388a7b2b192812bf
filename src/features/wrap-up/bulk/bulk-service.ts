/**
 * The bulk feature's service: the runners of this tab, the journal, the job locks and the channel
 * to the other tabs. Created once per app (`BulkServiceProvider` in app/provider.tsx, on first use
 * by the bulk page), not in a component: a job keeps running when the user opens another page of
 * the app and is found again on return. What belongs to other features (session events, the audit
 * log, the worklist's queries) the route hands in through `connect`.
 *
 * Across tabs (checklist #19): the tab that runs a job holds its lock; another tab showing the job
 * waits in the browser's lock queue (`TabJobLocks.waitFor`) and takes the job over when that tab is
 * gone, as a reload would. Meanwhile it follows the job from the journal whenever the running tab
 * announces a change (`job-channel.ts`), not on a timer.
 */
import { getRateLimiter } from '@/lib/genesys/client.ts';
import { systemClock } from '@/lib/genesys/rate-limiter.ts';
import { createWrapupWatch } from '@/lib/genesys/wrapup-watch.ts';
import { classifyWriteError } from '@/lib/genesys/write-outcome.ts';
import { applyWrapup } from '../apply-wrapup.ts';
import { continueStoppedJob } from './continue-job.ts';
import { announcingJournal, createJobChannel, type JobChannel, type JobMessage } from './job-channel.ts';
import { createJobLocks, type TabJobLocks } from './job-lock.ts';
import { IdbJournal, type BulkJournal } from './journal.ts';
import type { BulkItem, BulkJob, JobState } from './model.ts';
import { createJob, type BulkPlan, type JobChoice } from './planner.ts';
import { genesysBulkPlatform } from './platform-port.ts';
import { retryFailedJob } from './retry.ts';
import { BulkRunner, type RunnerDeps, type SessionEvent, type SessionPort, type StartResult, type WriteEvent } from './runner.ts';

/** What the route hands in from other features. */
export interface BulkWiring {
  session: SessionPort;
  /** Every write sent, once its answer is known (the audit log). */
  onWrite: (e: WriteEvent) => void;
  /** A job ended (done or stopped), here or in another tab: what the worklist shows has changed. */
  onJobEnded?: (jobId: string) => void;
  /** Another tab stored a change of some job (the history list is out of date). */
  onJobsChanged?: () => void;
}

/** Stand-ins for tests; the browser's and the platform's by default. */
export interface BulkServiceEnv {
  journal?: BulkJournal & { readonly lost?: boolean };
  locks?: TabJobLocks;
  channel?: () => JobChannel;
  runnerDeps?: Partial<Pick<RunnerDeps, 'platform' | 'limiter' | 'createWatch' | 'clock' | 'random'>>;
  newId?: () => string;
}

export type JobAction = 'pause' | 'resume' | 'stop' | 'continue-refused' | 'skip-like-refused';
export type RestoreOutcome = 'restored' | 'kept' | 'failed';

const ended = (s: JobState) => s === 'done' || s === 'stopped';
/** States in which the job's journal says some tab should be running it. */
const runs = (s: JobState) => s === 'running' || s === 'stopping';

/** One job this tab knows: its runner and whether this tab or another runs it. */
export class JobEntry {
  /** This tab holds the job's lock (start() said 'started'). */
  holding = false;
  /** Another tab holds the lock: this tab's view follows the journal and changes nothing. */
  lockedElsewhere = false;
  /** Waiting in the lock queue for the tab that runs the job to go away. */
  waiting: AbortController | null = null;
  private peeking = false;
  private peekAgain = false;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(
    readonly runner: BulkRunner,
    onEnded: () => void,
  ) {
    let wasEnded = ended(runner.getJob().state);
    this.unsubscribe = runner.subscribe((p) => {
      if (wasEnded || !ended(p.state)) return;
      wasEnded = true;
      onEnded();
    });
  }

  /** Told when `lockedElsewhere` changes (progress comes from the runner's own `subscribe`). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  changed(): void {
    for (const l of this.listeners) l();
  }

  /** Re-reads the journal (read-only); calls that arrive meanwhile are folded into one more read. */
  peek(after: () => void): void {
    if (this.peeking) {
      this.peekAgain = true;
      return;
    }
    this.peeking = true;
    this.runner
      .peek()
      .then(after, () => undefined) // unreadable this time: the next announcement reads again
      .finally(() => {
        this.peeking = false;
        if (!this.peekAgain) return;
        this.peekAgain = false;
        this.peek(after);
      });
  }

  dispose(): void {
    this.waiting?.abort();
    this.unsubscribe();
    this.listeners.clear();
    this.runner.dispose();
  }
}

export class BulkService {
  private wiring: BulkWiring | null = null;
  private sessionUnsub: (() => void) | null = null;
  private readonly sessionListeners = new Set<(e: SessionEvent) => void>();
  private readonly entries = new Map<string, JobEntry>();
  private readonly lifetime = new AbortController();
  private journalStore: (BulkJournal & { readonly lost?: boolean }) | null = null;
  private announcing: BulkJournal | null = null;
  private channel: JobChannel | null = null;
  private tabLocks: TabJobLocks | null = null;

  constructor(private readonly env: BulkServiceEnv = {}) {}

  /** Called by the route. The last wiring stays when the page closes: a running job still writes. */
  connect(next: BulkWiring): void {
    this.wiring = next;
    this.sessionUnsub?.();
    this.sessionUnsub = next.session.subscribe((e) => {
      for (const l of this.sessionListeners) l(e);
    });
  }

  /** The journal was deleted under this page (site data cleared): what it recorded is gone. */
  journalLost(): boolean {
    return this.journalStore?.lost === true;
  }

  /** Opened on first use, so that creating the service (on the page's first render) costs nothing. */
  private journal(): BulkJournal {
    if (!this.announcing) {
      this.journalStore = this.env.journal ?? new IdbJournal();
      this.channel = (this.env.channel ?? createJobChannel)();
      this.channel.subscribe((m) => this.heard(m));
      this.announcing = announcingJournal(this.journalStore, this.channel, { clock: this.env.runnerDeps?.clock ?? systemClock });
    }
    return this.announcing;
  }

  private locks(): TabJobLocks {
    this.tabLocks ??= this.env.locks ?? createJobLocks();
    return this.tabLocks;
  }

  private deps(): RunnerDeps {
    const given = this.env.runnerDeps ?? {};
    return {
      platform: given.platform ?? genesysBulkPlatform,
      journal: this.journal(),
      // Through the service, so a runner created before the route re-wired still hears events.
      session: {
        subscribe: (l) => {
          this.sessionListeners.add(l);
          return () => this.sessionListeners.delete(l);
        },
      },
      limiter: given.limiter ?? getRateLimiter(),
      locks: this.locks(),
      // One notification channel per running job: agent wrap-ups arrive as events (DESIGN.md).
      createWatch: given.createWatch ?? (() => createWrapupWatch()),
      onWrite: (e) => this.wiring?.onWrite(e),
      ...(given.clock ? { clock: given.clock } : {}),
      ...(given.random ? { random: given.random } : {}),
    };
  }

  private track(runner: BulkRunner): JobEntry {
    const id = runner.getJob().id;
    const entry = new JobEntry(runner, () => this.wiring?.onJobEnded?.(id));
    this.entries.set(id, entry);
    return entry;
  }

  /** The job `jobId`, opened from the journal when this tab does not know it yet. */
  async open(jobId: string): Promise<JobEntry | undefined> {
    const known = this.entries.get(jobId);
    if (known) return known;
    const runner = await BulkRunner.open(jobId, this.deps());
    if (!runner) return undefined;
    const raced = this.entries.get(jobId); // opened twice at once (StrictMode): keep the first
    if (raced) {
      runner.dispose();
      return raced;
    }
    const entry = this.track(runner);
    // A job that was running (or stopping) when the page went away resumes by itself (checklist #18).
    // So does one paused by an expired session: this page is only shown signed in (the route's
    // <Signed>), so the session it waited for is back, and no 'restored' event will come for it.
    const { state, pause } = runner.getJob();
    if (runs(state) || (state === 'paused' && pause?.kind === 'session')) await this.start(entry);
    return entry;
  }

  /** The user's buttons on a job. */
  async act(entry: JobEntry, action: JobAction): Promise<void> {
    if (action === 'pause') entry.runner.pause();
    else if (action === 'stop') {
      // Stop takes the job's lock when this tab does not hold it; another tab may (then it says so).
      const r = await entry.runner.stop();
      this.settleLock(entry, r === 'locked' ? 'locked' : 'finished');
    } else if (action === 'continue-refused' || action === 'skip-like-refused') {
      // The user's answer to a pause on systematic refusals; takes the lock after a reload.
      this.settleLock(entry, await entry.runner.resolveRefusals(action === 'continue-refused' ? 'continue' : 'skip-like'));
    } else if (entry.holding) entry.runner.resume();
    else await this.start(entry);
    entry.changed();
  }

  private async start(entry: JobEntry): Promise<StartResult> {
    const r = await entry.runner.start();
    this.settleLock(entry, r);
    return r;
  }

  private settleLock(entry: JobEntry, r: StartResult): void {
    entry.holding = r === 'started';
    entry.lockedElsewhere = r === 'locked';
    if (r === 'locked') this.waitForTakeover(entry);
    entry.changed();
  }

  /**
   * Another tab runs the job: queue for its lock. The browser grants it when that tab releases it
   * (the job ended there) or is gone (closed, crashed); a job the journal says is still running is
   * then taken over here, as after a reload. A paused one waits for the user's Resume.
   */
  private waitForTakeover(entry: JobEntry): void {
    if (entry.waiting) return;
    const waiting = new AbortController();
    entry.waiting = waiting;
    const jobId = entry.runner.getJob().id;
    let granted = false;
    this.locks()
      .waitFor(jobId, AbortSignal.any([this.lifetime.signal, waiting.signal]))
      .then(async (handover) => {
        granted = true;
        try {
          await entry.runner.peek(); // the journal as the last holder left it
          const state = entry.runner.getJob().state;
          // start() claims the handed-over lock; for an ended job it only reads the final state.
          if (runs(state) || ended(state)) await this.start(entry);
          else entry.lockedElsewhere = false; // paused or ready there: Resume is the user's choice here
        } catch {
          entry.lockedElsewhere = false; // the journal could not be read: the user can try Resume
        } finally {
          handover.release(); // unless start() claimed it
        }
      })
      .catch(() => undefined) // aborted (the job was deleted, the service is gone) or refused: Resume tries again
      .finally(() => {
        if (entry.waiting === waiting) entry.waiting = null;
        // start() may have met yet another tab that was quicker: wait for that one.
        if (granted && entry.lockedElsewhere && !waiting.signal.aborted) this.waitForTakeover(entry);
        entry.changed();
      });
  }

  /** Another tab stored a change of a job: a tab that does not run it re-reads it. */
  private heard(m: JobMessage): void {
    this.wiring?.onJobsChanged?.();
    const entry = this.entries.get(m.jobId);
    if (!entry || entry.holding || m.removed) return;
    entry.peek(() => {
      // The journal says it runs and this tab does not hold it: another tab does (or did, and
      // died: then the lock is free and the wait ends at once).
      if (!entry.holding && runs(entry.runner.getJob().state) && !entry.lockedElsewhere) {
        entry.lockedElsewhere = true;
        this.waitForTakeover(entry);
        entry.changed();
      }
    });
  }

  /** Every journaled job, newest first (the history list). */
  async listJobs(): Promise<BulkJob[]> {
    const jobs = await this.journal().listJobs();
    // A job this tab is running has fresher counts in memory than in its job record.
    return jobs.map((j) => this.entries.get(j.id)?.runner.getJob() ?? j);
  }

  /**
   * Deletes a finished job (done or stopped) and its items from this browser's journal. The audit
   * log keeps every write. A job that is not finished is refused: stop it first.
   */
  async deleteJob(jobId: string): Promise<void> {
    const journal = this.journal();
    const stored = await journal.load(jobId);
    const entry = this.entries.get(jobId);
    const state = entry?.runner.getJob().state ?? stored?.job.state;
    if (state !== undefined && !ended(state)) throw new Error(`job ${jobId} is ${state}: stop it before deleting it`);
    entry?.dispose();
    this.entries.delete(jobId);
    await journal.remove(jobId);
  }

  private newId(): string {
    return this.env.newId?.() ?? globalThis.crypto.randomUUID();
  }

  private async createAndStart(job: BulkJob, items: readonly BulkItem[]): Promise<string> {
    const entry = this.track(await BulkRunner.create(job, items, this.deps()));
    await this.start(entry);
    return job.id;
  }

  /** Creates the job from the preview, journals it and starts it; resolves to its id. */
  startJob(plan: BulkPlan, choice: JobChoice): Promise<string> {
    const { job, items } = createJob(plan, choice, { id: this.newId(), now: Date.now() });
    return this.createAndStart(job, items);
  }

  /** A new job of the failed items of `job` (see retry.ts), started; null when none failed. */
  async retryFailed(job: BulkJob, items: readonly BulkItem[], choice: { includeFinal?: boolean } = {}): Promise<string | null> {
    const next = retryFailedJob(job, items, { id: this.newId(), now: Date.now() }, choice);
    return next ? this.createAndStart(next.job, next.items) : null;
  }

  /** A new job of the items a stop left unwritten (see continue-job.ts), started; null when none are left. */
  async continueStopped(job: BulkJob, items: readonly BulkItem[]): Promise<string | null> {
    const next = continueStoppedJob(job, items, { id: this.newId(), now: Date.now() });
    return next ? this.createAndStart(next.job, next.items) : null;
  }

  /**
   * Writes back the code someone else set that our job's write may have replaced
   * (`item.mayHaveReplaced`), through the single write path: read first, and only if our code is
   * still there (`seenCode`), replace it with theirs. Recorded in the audit log like every write.
   */
  async restoreReplaced(job: BulkJob, item: BulkItem): Promise<RestoreOutcome> {
    const theirs = item.mayHaveReplaced;
    if (!theirs || !item.media) return 'failed';
    const req = {
      target: { media: item.media, conversationId: item.conversationId, participantId: item.participantId, communicationId: item.communicationId },
      code: { id: theirs.code, name: theirs.code },
      notes: '',
      replace: true,
      seenCode: job.code.id,
      method: job.options.method ?? 'post',
    };
    const result = await applyWrapup(req);
    const error = 'error' in result ? result.error : null;
    this.wiring?.onWrite({
      jobId: job.id,
      item: { ...item },
      code: req.code,
      notes: '',
      replace: true,
      method: req.method,
      error: error
        ? { status: error.status, code: error.code, message: error.message, contextId: error.contextId ?? null, class: classifyWriteError(error) }
        : null,
      at: Date.now(),
    });
    if (result.outcome === 'applied') return 'restored';
    if (result.outcome === 'already-coded') return 'kept';
    return 'failed';
  }

  /** Drops every runner, wait and the channel (tests; a tab that closes loses them anyway). */
  dispose(): void {
    this.lifetime.abort();
    for (const e of this.entries.values()) e.dispose();
    this.entries.clear();
    this.sessionUnsub?.();
    this.channel?.close();
  }
}

export function createBulkService(env: BulkServiceEnv = {}): BulkService {
  return new BulkService(env);
}
