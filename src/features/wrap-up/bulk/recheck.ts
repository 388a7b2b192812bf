/**
 * The batched re-check (issue 13: the runner in parts; verify 'batched'): one analytics request
 * for an item's conversation and up to 99 other upcoming ones whose observation is getting old or
 * would become covered (`Freshness.worthChecking`). Concurrent callers for the same conversation
 * share one request. The answer replaces observations, except where live knowledge (an unknown
 * outcome, a 409, an event analytics has not surely caught up with) beats it; what analytics left
 * out, or shows without a code where one was seen, is marked for a live read.
 */
import type { ApiError } from '@/lib/genesys/api-error.ts';
import { DETAILS_BATCH_SIZE } from '@/lib/genesys/api.ts';
import { backoffMs } from '@/lib/genesys/http-client.ts';
import type { Clock } from '@/lib/genesys/rate-limiter.ts';
import type { Freshness } from './freshness.ts';
import type { BulkItem } from './model.ts';
import { observeSession } from './planner.ts';
import type { DetailsConversation } from './platform-port.ts';
import type { Sent } from './request-gate.ts';

export interface RecheckDeps {
  /** The job's items in plan order, and the first one not yet finished. */
  items: () => readonly BulkItem[];
  firstOpen: () => number;
  byConversation: (conversationId: string) => readonly BulkItem[];
  fresh: Freshness;
  /** One analytics request through the gate. */
  check: (ids: readonly string[]) => Promise<Sent<DetailsConversation[]>>;
  saveItems: (items: readonly BulkItem[]) => Promise<void>;
  /** A failed re-check is handled like a failed live read of the item that asked for it. */
  failed: (item: BulkItem, err: ApiError) => Promise<void>;
  running: () => boolean;
  clock: Clock;
  random: () => number;
  analyticsLagMs: number;
}

/**
 * The conversations one re-check for `item` asks about: its own first, then upcoming open items'
 * that are worth checking and not already being checked (at most `DETAILS_BATCH_SIZE`).
 */
export function batchIds(item: BulkItem, items: readonly BulkItem[], from: number, fresh: Freshness, busy: (conversationId: string) => boolean): string[] {
  const ids = [item.conversationId];
  for (let i = from; i < items.length && ids.length < DETAILS_BATCH_SIZE; i++) {
    const it = items[i]!;
    if (it.status !== 'pending' || it.media === null || it.unknownOutcome || it.recheck || fresh.hasEvent(it.key) || !fresh.worthChecking(it)) continue;
    if (ids.includes(it.conversationId) || busy(it.conversationId)) continue;
    ids.push(it.conversationId);
  }
  return ids;
}

/**
 * Applies a re-check's answer (asked at `sentAt`) to the items of `ids`; returns the items that
 * changed (to be stored). `item` is the one that asked: when an event holds analytics back, it
 * waits until analytics has caught up.
 */
export function applyRecheck(
  item: BulkItem,
  ids: readonly string[],
  conversations: readonly DetailsConversation[],
  sentAt: number,
  d: Pick<RecheckDeps, 'byConversation' | 'fresh' | 'analyticsLagMs'>,
): BulkItem[] {
  const byId = new Map(conversations.filter((c) => c.conversationId).map((c) => [c.conversationId!, c]));
  const changed: BulkItem[] = [];
  for (const cid of ids) {
    const conv = byId.get(cid);
    for (const it of d.byConversation(cid)) {
      // Live knowledge (unknown outcome, 409) beats analytics, which may lag.
      if (it.status !== 'pending' || it.unknownOutcome || it.recheck) continue;
      const ev = d.fresh.event(it.key);
      if (ev && sentAt - d.analyticsLagMs < ev.at) {
        // An event beats analytics until analytics has surely caught up with it.
        if (it === item) item.notBefore = ev.at + d.analyticsLagMs;
        continue;
      }
      const session = conv?.participants?.find((p) => p.participantId === it.participantId)?.sessions?.find((s) => s.sessionId === it.communicationId);
      const next = conv && session ? observeSession(conv, session, sentAt) : null;
      // A live read decides when analytics left the item out (no news is not "still missing"),
      // or shows no code where one was already seen (an event, a live read): a code is only
      // ever replaced by another code, so analytics lags more than `analyticsLagMs` [M].
      if (!next || (next.codeId === null && (ev || it.observed.codeId !== null))) {
        it.recheck = true;
        changed.push(it);
        continue;
      }
      if (ev) d.fresh.dropEvent(it.key);
      it.observed = next;
      changed.push(it);
    }
  }
  return changed;
}

export class BatchedRecheck {
  /** The re-check under way per conversation (callers for the same conversation share it). */
  private readonly under = new Map<string, Promise<boolean>>();

  constructor(private readonly d: RecheckDeps) {}

  /** Re-checks `item` (and others with it). True: decide again on the fresh observation. */
  async run(item: BulkItem): Promise<boolean> {
    const { d } = this;
    const shared = this.under.get(item.conversationId);
    if (shared) {
      const ok = await shared;
      if (!ok && item.notBefore <= d.clock.now()) item.notBefore = d.clock.now() + backoffMs(1, d.random);
      return ok && d.running();
    }
    const ids = batchIds(item, d.items(), d.firstOpen(), d.fresh, (cid) => this.under.has(cid));
    const run = (async (): Promise<boolean> => {
      const r = await d.check(ids);
      if (r.halted) return false;
      if (!r.ok) {
        await d.failed(item, r.error);
        return false;
      }
      await d.saveItems(applyRecheck(item, ids, r.value, r.sentAt, d));
      return true;
    })();
    for (const cid of ids) this.under.set(cid, run);
    try {
      return (await run) && d.running();
    } finally {
      for (const cid of ids) if (this.under.get(cid) === run) this.under.delete(cid);
    }
  }
}
