/**
 * React's side of the bulk runner: the UI only subscribes (house style 6). The runners live in the
 * app's one bulk service (bulk-service.ts), not in a component: a job keeps running when the user
 * opens another page of the app and is found again on return.
 */
import { useCallback, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { BulkServiceContext } from './bulk-service-context.tsx';
import { createBulkService, type BulkService, type JobAction, type JobEntry } from './bulk-service.ts';
import type { BulkRunner, BulkProgress } from './runner.ts';

export type { RestoreOutcome } from './bulk-service.ts';

/** The app's bulk service (created on first use; `BulkServiceProvider` in app/provider.tsx holds it). */
export function useBulkService(): BulkService {
  const slot = useContext(BulkServiceContext);
  if (!slot) throw new Error('useBulkService needs <BulkServiceProvider> above it (app/provider.tsx)');
  return slot.get(createBulkService);
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

export type BulkJobView =
  | { status: 'loading' }
  | { status: 'missing' }
  | { status: 'error'; message: string }
  | { status: 'ready'; runner: BulkRunner; progress: BulkProgress; lockedElsewhere: boolean };

/** The job `jobId`: its runner (opened from the journal when needed) and live progress. */
export function useBulkJob(jobId: string) {
  const service = useBulkService();
  const [state, setState] = useState<{ id: string; entry: JobEntry | null | undefined; error?: string }>({ id: jobId, entry: null });
  useEffect(() => {
    let alive = true;
    service.open(jobId).then(
      (entry) => alive && setState({ id: jobId, entry }),
      (e: unknown) => alive && setState({ id: jobId, entry: undefined, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      alive = false;
    };
  }, [service, jobId]);
  const entry = state.id === jobId ? state.entry : null;
  const runner = entry?.runner;
  const subscribe = useMemo(() => (runner ? throttledSubscribe(runner) : noop), [runner]);
  const progress = useSyncExternalStore(subscribe, () => runner?.getProgress() ?? null);
  // Whether another tab runs the job: the service says when that changes (a takeover, a stop).
  const subscribeLock = useMemo(() => (entry ? (l: () => void) => entry.subscribe(l) : noop), [entry]);
  const lockedElsewhere = useSyncExternalStore(subscribeLock, () => entry?.lockedElsewhere ?? false);

  const act = useCallback(
    async (action: JobAction) => {
      if (entry) await service.act(entry, action);
    },
    [service, entry],
  );

  let view: BulkJobView;
  if (state.id !== jobId || entry === null) view = { status: 'loading' };
  else if (state.error) view = { status: 'error', message: state.error };
  else if (!entry || !progress) view = { status: 'missing' };
  else view = { status: 'ready', runner: entry.runner, progress, lockedElsewhere };
  return { view, act };
}
