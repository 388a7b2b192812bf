/**
 * React's side of the bulk runner: the UI only subscribes (house style 6).
 *
 * Runners live in a module-level registry, not in a component: a job keeps running when the user
 * opens another page of the app and is found again on return. The route hands in what belongs to
 * other features (session events, the audit callback) through `configureBulk`.
 */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { getRateLimiter } from '@/lib/genesys/client.ts';
import { createWrapupWatch } from '@/lib/genesys/wrapup-watch.ts';
import { applyWrapup } from '../apply-wrapup.ts';
import { createJobLocks } from './job-lock.ts';
import { IdbJournal } from './journal.ts';
import type { BulkItem, BulkJob } from './model.ts';
import { createJob, type BulkPlan, type JobChoice } from './planner.ts';
import { genesysBulkPlatform } from './platform-port.ts';
import { retryFailedJob } from './retry.ts';
import { classifyWriteError } from '@/lib/genesys/write-outcome.ts';
import { BulkRunner, type BulkProgress, type RunnerDeps, type SessionEvent, type SessionPort, type StartResult, type WriteEvent } from './runner.ts';

interface Wiring {
  session: SessionPort;
  onWrite: (e: WriteEvent) => void;
}

let wiring: Wiring | null = null;
let journal: IdbJournal | null = null;
const sessionListeners = new Set<(e: SessionEvent) => void>();
let sessionUnsub: (() => void) | null = null;

/** Called by the route: session events and the audit callback come from other features. */
export function configureBulk(next: Wiring): void {
  wiring = next;
  sessionUnsub?.();
  sessionUnsub = next.session.subscribe((e) => {
    for (const l of sessionListeners) l(e);
  });
}

export function bulkJournal(): IdbJournal {
  journal ??= new IdbJournal();
  return journal;
}

/** The journal was deleted under this page (site data cleared): what it recorded is gone. */
export function bulkJournalLost(): boolean {
  return journal?.lost === true;
}

function deps(): RunnerDeps {
  return {
    platform: genesysBulkPlatform,
    journal: bulkJournal(),
    // Through the registry, so a runner created before the route re-wired still hears events.
    session: {
      subscribe: (l) => {
        sessionListeners.add(l);
        return () => sessionListeners.delete(l);
      },
    },
    limiter: getRateLimiter(),
    locks: createJobLocks(),
    // One notification channel per running job: agent wrap-ups arrive as events (DESIGN.md).
    createWatch: () => createWrapupWatch(),
    onWrite: (e) => wiring?.onWrite(e),
  };
}

interface Entry {
  runner: BulkRunner;
  /** This tab holds the job's lock (start() said 'started'). */
  holding: boolean;
  lockedElsewhere: boolean;
}

const runners = new Map<string, Entry>();

async function createAndStart(job: BulkJob, items: readonly BulkItem[]): Promise<StartResult> {
  const runner = await BulkRunner.create(job, items, deps());
  const entry: Entry = { runner, holding: false, lockedElsewhere: false };
  runners.set(job.id, entry);
  return startEntry(entry);
}

async function startEntry(entry: Entry): Promise<StartResult> {
  const r = await entry.runner.start();
  entry.holding = r === 'started';
  entry.lockedElsewhere = r === 'locked';
  return r;
}

/** Stop takes the job's lock when this tab does not hold it; another tab may (then it says so). */
async function stopEntry(entry: Entry): Promise<void> {
  const r = await entry.runner.stop();
  entry.lockedElsewhere = r === 'locked';
  if (r === 'stopped') entry.holding = false; // a stopped job has released its lock
}

/** The user's answer to a pause on systematic refusals; takes the lock after a reload. */
async function resolveRefusalsEntry(entry: Entry, choice: 'continue' | 'skip-like'): Promise<void> {
  const r = await entry.runner.resolveRefusals(choice);
  entry.holding = r === 'started';
  entry.lockedElsewhere = r === 'locked';
}

async function openEntry(jobId: string): Promise<Entry | undefined> {
  const known = runners.get(jobId);
  if (known) return known;
  const runner = await BulkRunner.open(jobId, deps());
  if (!runner) return undefined;
  const entry: Entry = { runner, holding: false, lockedElsewhere: false };
  runners.set(jobId, entry);
  // A job that was running (or stopping) when the page went away resumes by itself (checklist #18).
  // So does one paused by an expired session: this page is only shown signed in (the route's
  // <Signed>), so the session it waited for is back, and no 'restored' event will come for it.
  const { state, pause } = runner.getJob();
  if (state === 'running' || state === 'stopping' || (state === 'paused' && pause?.kind === 'session')) await startEntry(entry);
  return entry;
}

const noop = () => () => undefined;

/**
 * A job sends a progress event on every change of every item (a few per item: thousands a second
 * in a 20,000-item job at a high limit). The page hears of them at most every this many ms and then
 * renders the latest snapshot once, so the page's work follows the clock, not the events (issue 17).
 */
export const PROGRESS_UI_MS = 100;

/** `subscribe` for useSyncExternalStore that calls the listener at most every `ms` (the last change always arrives). */
export function throttledSubscribe(source: { subscribe(listener: () => void): () => void }, ms = PROGRESS_UI_MS): (listener: () => void) => () => void {
  return (listener) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = source.subscribe(() => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        listener();
      }, ms);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  };
}

/** How often a tab that sees the job running elsewhere looks at the journal and the lock. */
const LOCK_POLL_MS = 2_000;

export type BulkJobView =
  | { status: 'loading' }
  | { status: 'missing' }
  | { status: 'error'; message: string }
  | { status: 'ready'; runner: BulkRunner; progress: BulkProgress; lockedElsewhere: boolean };

/** The job `jobId`: its runner (opened from the journal when needed) and live progress. */
export function useBulkJob(jobId: string) {
  const [state, setState] = useState<{ id: string; entry: Entry | null | undefined; error?: string }>({ id: jobId, entry: null });
  const [lockTick, setLockTick] = useState(0);
  useEffect(() => {
    let alive = true;
    openEntry(jobId).then(
      (entry) => alive && setState({ id: jobId, entry }),
      (e: unknown) => alive && setState({ id: jobId, entry: undefined, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      alive = false;
    };
  }, [jobId]);
  const entry = state.id === jobId ? state.entry : null;
  const runner = entry?.runner;
  // Another tab runs the job: follow its progress from the journal, and take over (as after a
  // reload) when that tab is gone while the job is still running. A paused job waits for Resume.
  const watchingElsewhere = !!entry && entry.lockedElsewhere;
  useEffect(() => {
    if (!entry || !watchingElsewhere) return;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void (async () => {
        try {
          await entry.runner.peek();
          const s = entry.runner.getJob().state;
          if (s === 'running' || s === 'stopping' || s === 'done' || s === 'stopped') await startEntry(entry);
          if (!entry.lockedElsewhere) setLockTick((n) => n + 1);
        } catch {
          // the journal could not be read this time: try again on the next tick
        } finally {
          busy = false;
        }
      })();
    }, LOCK_POLL_MS);
    return () => clearInterval(timer);
  }, [entry, watchingElsewhere, lockTick]);
  const subscribe = useMemo(() => (runner ? throttledSubscribe(runner) : noop), [runner]);
  const progress = useSyncExternalStore(subscribe, () => runner?.getProgress() ?? null);

  const act = useCallback(
    async (action: 'pause' | 'resume' | 'stop' | 'continue-refused' | 'skip-like-refused') => {
      if (!entry) return;
      if (action === 'pause') entry.runner.pause();
      else if (action === 'stop') await stopEntry(entry);
      else if (action === 'continue-refused' || action === 'skip-like-refused') await resolveRefusalsEntry(entry, action === 'continue-refused' ? 'continue' : 'skip-like');
      else if (entry.holding) entry.runner.resume();
      else await startEntry(entry);
      setLockTick((n) => n + 1);
    },
    [entry],
  );

  let view: BulkJobView;
  if (state.id !== jobId || entry === null) view = { status: 'loading' };
  else if (state.error) view = { status: 'error', message: state.error };
  else if (!entry || !progress) view = { status: 'missing' };
  else view = { status: 'ready', runner: entry.runner, progress, lockedElsewhere: entry.lockedElsewhere && lockTick >= 0 };
  return { view, act };
}

/** Every journaled job, newest first (the history list). */
export async function listJobs(): Promise<BulkJob[]> {
  const jobs = await bulkJournal().listJobs();
  // A job this tab is running has fresher counts in memory than in its job record.
  return jobs.map((j) => runners.get(j.id)?.runner.getJob() ?? j);
}

/**
 * Deletes a finished job (done or stopped) and its items from this browser's journal. The audit
 * log keeps every write. A job that is not finished is refused: stop it first.
 */
export async function deleteJob(jobId: string): Promise<void> {
  const journal = bulkJournal();
  const stored = await journal.load(jobId);
  const state = runners.get(jobId)?.runner.getJob().state ?? stored?.job.state;
  if (state !== undefined && state !== 'done' && state !== 'stopped') throw new Error(`job ${jobId} is ${state}: stop it before deleting it`);
  runners.get(jobId)?.runner.dispose();
  runners.delete(jobId);
  await journal.remove(jobId);
}

function newJobId(): string {
  return globalThis.crypto.randomUUID();
}

/** Creates the job from the preview, journals it and starts it; resolves to its id. */
export async function startJob(plan: BulkPlan, choice: JobChoice): Promise<string> {
  const { job, items } = createJob(plan, choice, { id: newJobId(), now: Date.now() });
  await createAndStart(job, items);
  return job.id;
}

/** A new job of the failed items of `job` (see retry.ts), started; null when none failed. */
export async function retryFailed(job: BulkJob, items: readonly BulkItem[], choice: { includeFinal?: boolean } = {}): Promise<string | null> {
  const next = retryFailedJob(job, items, { id: newJobId(), now: Date.now() }, choice);
  if (!next) return null;
  await createAndStart(next.job, next.items);
  return next.job.id;
}

export type RestoreOutcome = 'restored' | 'kept' | 'failed';

/**
 * Writes back the code someone else set that our job's write may have replaced
 * (`item.mayHaveReplaced`), through the single write path: read first, and only if our code is
 * still there (`seenCode`), replace it with theirs. Recorded in the audit log like every write.
 */
export async function restoreReplaced(job: BulkJob, item: BulkItem): Promise<RestoreOutcome> {
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
  wiring?.onWrite({
    jobId: job.id,
    item: { ...item },
    code: req.code,
    notes: '',
    replace: true,
    method: req.method,
    error: error ? { status: error.status, code: error.code, message: error.message, contextId: error.contextId ?? null, class: classifyWriteError(error) } : null,
    at: Date.now(),
  });
  if (result.outcome === 'applied') return 'restored';
  if (result.outcome === 'already-coded') return 'kept';
  return 'failed';
}
