/**
 * Freshness (issue 13: the runner in parts): is what the job knows about an item still good enough
 * to write on? It keeps the per-item memory that decides it: the latest wrap-up event, when our
 * write left, when the latest live read was answered, another code that raced our write, and
 * whether the platform has shown that it reports this user's own writes (`eventsProven`). The rules
 * (coverage, staleness, live reads, DESIGN.md "The promise") are in `validForWrite`.
 */
import type { Clock } from '@/lib/genesys/rate-limiter.ts';
import { isTerminal, type BulkItem, type JobOptions } from './model.ts';
import { observeCode } from './planner.ts';
import { RACE_WINDOW_MS, type RunnerConfig, type WatchEvent } from './runner-types.ts';

export interface FreshnessDeps {
  clock: Clock;
  cfg: Required<Pick<RunnerConfig, 'maxStaleMs' | 'maxReadAgeMs' | 'analyticsLagMs' | 'requireEventProof'>>;
  /** The job's code and options (the job record is replaced on reload; these do not change). */
  job: () => { code: { id: string }; options: Pick<JobOptions, 'verify'> };
  /** Since when the watch covers the conversation (null: no watch, or not covered). */
  coveredSince: (conversationId: string) => number | null;
}

/** What an event means for the runner. */
export interface EventEffect {
  /** The platform reported one of our own writes: from now on it is trusted (`eventsProven`). */
  proven: boolean;
  /** An applied item whose write may have replaced another code (now flagged): store it. */
  raced: BulkItem | null;
  /** Something a waiting write depends on changed: the gate must check again. */
  drain: boolean;
}

export class Freshness {
  /** The latest wrap-up event per item key (applied to the observation when newer). */
  private readonly events = new Map<string, { code: string; at: number }>();
  /** When each item's latest write left (in memory: after a reload the live re-read decides). */
  private readonly writeSentAt = new Map<string, number>();
  /** Another code reported while this item's write was in flight (see `racedOurWrite`). */
  private readonly racing = new Map<string, { code: string; at: number }>();
  /** When each item's latest live read was answered (a slow answer must not make it stale at once). */
  private readonly readAnsweredAt = new Map<string, number>();
  /**
   * Whether the platform has shown, in this job, that a write by THIS user fires the wrap-up event
   * (an event for one of our own applied writes arrived). Until then the watch only proves what
   * agents did: whether another supervisor's write fires the event is unknown (docs/genesys-platform.md §8
   * row 9, the sim's `--wrapup-events agent-only`), so every write is verified by a live read first
   * (as `verify: 'per-item'`). Without a watch it is never proven.
   */
  private eventsProven = false;

  constructor(private readonly deps: FreshnessDeps) {}

  private now(): number {
    return this.deps.clock.now();
  }

  /** Every write is verified by a live read: chosen by the user, or events not (yet) proven for our writes. */
  perItem(): boolean {
    return this.deps.job().options.verify === 'per-item' || (this.deps.cfg.requireEventProof && !this.eventsProven);
  }

  /** Our write of this item leaves now. */
  writeLeft(key: string): void {
    this.writeSentAt.set(key, this.now());
  }

  /** A live read of this item was answered now. */
  readAnswered(key: string): void {
    this.readAnsweredAt.set(key, this.now());
  }

  /** The item ended: its per-write memory goes (the race flag is on the item by now). */
  forget(key: string): void {
    this.racing.delete(key);
    this.readAnsweredAt.delete(key);
  }

  hasEvent(key: string): boolean {
    return this.events.has(key);
  }

  event(key: string): { code: string; at: number } | undefined {
    return this.events.get(key);
  }

  /** Analytics has caught up with the event (a batched re-check replaced the observation). */
  dropEvent(key: string): void {
    this.events.delete(key);
  }

  /** The time of the event that carries our code for our latest write (proof it landed), or null. */
  ownWriteSeenAt(item: BulkItem): number | null {
    const ev = this.events.get(item.key);
    const sentAt = this.writeSentAt.get(item.key);
    return ev && sentAt !== undefined && ev.at >= sentAt && ev.code === this.deps.job().code.id ? ev.at : null;
  }

  /**
   * The live read behind the observation was answered at most `maxReadAgeMs` ago. Counted from the
   * answer, not from when it was sent: with answers slower than `maxReadAgeMs` a read would be
   * stale on arrival and the item would be read again forever.
   */
  liveReadRecent(item: BulkItem): boolean {
    const now = this.now();
    const max = this.deps.cfg.maxReadAgeMs;
    if (now - item.observed.at <= max) return true;
    const answered = this.readAnsweredAt.get(item.key);
    return answered !== undefined && answered >= item.observed.at && now - answered <= max;
  }

  /**
   * Another code reported at `at` for an item we wrote: inside the race window of our write (from
   * when it left to `RACE_WINDOW_MS` after), theirs may have landed just before ours and been
   * replaced by it. An event before our write left stops the write at the gate instead.
   */
  racedOurWrite(item: BulkItem, otherCode: string, at: number): boolean {
    const sentAt = this.writeSentAt.get(item.key);
    return sentAt !== undefined && otherCode !== this.deps.job().code.id && at >= sentAt && at - sentAt <= RACE_WINDOW_MS;
  }

  /** Our write landed: another code reported while it was on its way may have been replaced by it. */
  flagIfRaced(item: BulkItem): void {
    const raced = this.racing.get(item.key);
    if (raced) item.mayHaveReplaced = raced;
  }

  /** An event newer than the observation replaces it (analytics never overrides an event: it lags). */
  mergeEvent(item: BulkItem): void {
    const ev = this.events.get(item.key);
    if (!ev || ev.at <= item.observed.at) return;
    item.observed = observeCode(ev.code, ev.at);
  }

  /** The watch has reported every wrap-up of this item since before the observation was true. */
  isCovered(item: BulkItem): boolean {
    const since = this.deps.coveredSince(item.conversationId);
    if (since === null) return false;
    return item.observed.at >= since + (item.observed.live ? 0 : this.deps.cfg.analyticsLagMs);
  }

  /** From when an analytics observation of this conversation would be covered (null: not watched). */
  coverableAt(item: BulkItem): number | null {
    const since = this.deps.coveredSince(item.conversationId);
    return since === null ? null : since + this.deps.cfg.analyticsLagMs;
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
  validForWrite(item: BulkItem): boolean {
    if (item.recheck) return false; // to be read live first
    const o = item.observed;
    const ev = this.events.get(item.key);
    if (ev && ev.at > o.at) return false;
    const age = this.now() - o.at;
    if (this.perItem()) return o.live === true && this.liveReadRecent(item);
    if (this.isCovered(item)) return true;
    if (o.acwSince !== undefined) return o.live === true && this.liveReadRecent(item);
    return age <= this.deps.cfg.maxStaleMs;
  }

  /** Would a batched re-check now help this upcoming item (soon stale, or it would become covered)? */
  worthChecking(it: BulkItem): boolean {
    const now = this.now();
    const { analyticsLagMs, maxStaleMs } = this.deps.cfg;
    const since = this.deps.coveredSince(it.conversationId);
    if (since !== null) return !this.isCovered(it) && (now >= since + analyticsLagMs || now - it.observed.at > maxStaleMs / 2);
    if (it.observed.acwSince !== undefined) return false; // needs a live read (or coverage) anyway
    return now - it.observed.at > maxStaleMs / 2;
  }

  /**
   * A wrap-up event from the watch, for the items of its conversation. Recorded for the item it
   * names; an event that names none of them exactly marks the conversation's open items for a live
   * read. Says what the runner must do about it (`EventEffect`).
   */
  onEvent(e: WatchEvent, items: readonly BulkItem[]): EventEffect {
    const effect: EventEffect = { proven: false, raced: null, drain: false };
    const now = this.now();
    const codeId = this.deps.job().code.id;
    const item = e.code !== '' ? items.find((it) => it.participantId === e.participantId && it.communicationId === e.communicationId) : undefined;
    if (item) {
      const sentAt = this.writeSentAt.get(item.key);
      // Our own write's event: the platform tells this user's writes too (see `eventsProven`).
      if (!this.eventsProven && sentAt !== undefined && e.code === codeId && now >= sentAt) {
        this.eventsProven = true;
        effect.proven = true;
      }
      if (item.status === 'applied' && this.racedOurWrite(item, e.code, now)) {
        item.mayHaveReplaced = { code: e.code, at: now };
        effect.raced = item;
        return effect;
      }
      if (isTerminal(item.status)) return effect;
      // While our write is in flight or its outcome unknown (it may land any moment, also one
      // left by a tab that went away), another code reported may be replaced by it.
      if ((item.status === 'in-flight' || item.unknownOutcome) && e.code !== codeId) this.racing.set(item.key, { code: e.code, at: now });
      this.events.set(item.key, { code: e.code, at: now });
      effect.drain = true;
      return effect;
    }
    // An event that names none of our items exactly (fields missing, or its ids are not the
    // ones analytics gave [M]): something in this conversation was wrapped up. Rather than
    // trust an observation the event may contradict, its open items are read live first.
    for (const it of items) {
      if (isTerminal(it.status)) continue;
      it.recheck = true;
      effect.drain = true;
    }
    return effect;
  }
}
