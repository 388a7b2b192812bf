/**
 * The notification watch as the runner uses it (issue 13: the runner in parts): one `WatchPort`
 * per running job, subscribed ahead of the job (DESIGN.md "Coverage"). Without a watch (none
 * configured, or it could not be created) nothing is covered: batched re-checks and live reads
 * keep the promise on their own.
 */
import { isTerminal, type BulkItem } from './model.ts';
import type { WatchEvent, WatchPort, WatchState } from './runner-types.ts';

/**
 * The conversations to watch next, or null to keep the current set: the next `ahead` conversations
 * with open items from `from`. The set is replaced (one subscription request) only when half of
 * it is done and there is something new.
 */
export function nextWatchSet(
  items: readonly BulkItem[],
  from: number,
  watched: ReadonlySet<string>,
  isOpen: (conversationId: string) => boolean,
  ahead: number,
): Set<string> | null {
  let open = 0;
  for (const cid of watched) if (isOpen(cid)) open += 1;
  if (watched.size > 0 && open >= ahead / 2) return null;
  const next = new Set<string>();
  for (let i = from; i < items.length && next.size < ahead; i++) {
    const it = items[i]!;
    if (!isTerminal(it.status) && it.media !== null) next.add(it.conversationId);
  }
  if (![...next].some((cid) => !watched.has(cid))) return null;
  return next;
}

export class WatchAhead {
  private watcher: WatchPort | null = null;
  /** Conversations the watch was last asked for. */
  private watched = new Set<string>();

  /** Opens the watch (once); returns its unsubscribers, none when there is no watch. */
  open(create: (() => WatchPort) | undefined, onEvent: (e: WatchEvent) => void, onStatus: () => void): (() => void)[] {
    if (this.watcher || !create) return [];
    try {
      this.watcher = create();
    } catch {
      return []; // no watch: batched re-checks and live reads keep the promise on their own
    }
    this.watched = new Set();
    const subs = [this.watcher.onWrapup(onEvent)];
    if (this.watcher.onStatus) subs.push(this.watcher.onStatus(onStatus));
    return subs;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    this.watched = new Set();
  }

  /** Subscribes ahead of the job (see `nextWatchSet`). */
  update(items: readonly BulkItem[], from: number, isOpen: (conversationId: string) => boolean, ahead: number): void {
    const w = this.watcher;
    if (!w) return;
    const next = nextWatchSet(items, from, this.watched, isOpen, ahead);
    if (!next) return;
    this.watched = next;
    w.watch(next);
  }

  /** Since when events for this conversation are certain to arrive; null: not covered (or no watch). */
  coveredSince(conversationId: string): number | null {
    return this.watcher?.coveredSince(conversationId) ?? null;
  }

  /** The watch's state for the progress snapshot (null: no watch). */
  state(): WatchState | null {
    return this.watcher ? (this.watcher.status?.() ?? 'live') : null;
  }
}
