/**
 * Test helpers for the bulk runner (not imported by app code):
 * - `VirtualClock`: a Clock whose time only moves when the test says so (the runner, the REAL
 *   RateLimiter and the fake platform all schedule on it);
 * - `FakeGenesys`: an in-memory org behind the `BulkPlatform` port that behaves like
 *   `src/lib/genesys` does in front of the real one: every request waits for the shared limiter,
 *   a 429 pauses the whole limiter, reads are retried (≤ 4 attempts, 429 up to 180 s), writes never;
 *   faults (5xx, lost responses, timeouts, 429, 401, refusals) come from a schedule;
 * - `MemoryJournal`, `TabJournal` (a journal that dies with its tab), `FakeLockManager`, a session
 *   emitter, and `drive()`, which advances virtual time until a condition holds.
 *
 * `FakeGenesys` copies the HTTP client's retry/429 policy instead of running it. New runner tests use
 * `sim-harness.ts` (the real client and limiter against the in-process simulated org); the tests
 * still on `harness()` need what the sim harness does not offer yet: per-request fault schedules
 * (refusals by status, a fault on the n-th request), the notification watch (`FakeWatch`), ACW and
 * not-allowed items, crash/reopen with a dead tab, and jobs of hundreds of items.
 */
import { ApiError } from '@/lib/genesys/api-error.ts';
import { backoffMs } from '@/lib/genesys/http-client.ts';
import { RateLimiter, type Clock } from '@/lib/genesys/rate-limiter.ts';
import type { BulkJournal, StoredJob } from './journal.ts';
import { createJobLocks, type LockManagerLike } from './job-lock.ts';
import type { BulkItem, BulkJob, JobOptions } from './model.ts';
import { createJob, planBulk } from './planner.ts';
import type { BulkPlatform, CodeRef, DetailsConversation } from './platform-port.ts';
import { BulkRunner, type RunnerConfig, type SessionEvent, type SessionPort, type WatchEvent, type WatchPort } from './runner.ts';

export const T0 = Date.parse('2026-03-02T10:00:00Z');

// ---------------------------------------------------------------------------------------------
// Time

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = T0) {
    this.t = start;
  }

  now = (): number => this.t;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return timer;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t !== handle);
  };

  get pending(): number {
    return this.timers.length;
  }

  /** Runs the earliest timer (moving time to it). False when none is left. */
  advance(): boolean {
    if (this.timers.length === 0) return false;
    let best = 0;
    for (let i = 1; i < this.timers.length; i++) {
      const a = this.timers[i]!;
      const b = this.timers[best]!;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    const [timer] = this.timers.splice(best, 1);
    this.t = Math.max(this.t, timer!.at);
    timer!.fn();
    return true;
  }

  /** Moves time forward by `ms`, running the timers due on the way. */
  async advanceBy(ms: number, io?: () => Promise<void>): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      if (io) await io();
      const next = this.timers.reduce<Timer | undefined>((m, t) => (!m || t.at < m.at || (t.at === m.at && t.seq < m.seq) ? t : m), undefined);
      if (!next || next.at > target) break;
      this.advance();
    }
    this.t = target;
    if (io) await io();
  }
}

const macrotask = () => new Promise<void>((r) => setImmediate(r));

/** Lets promise chains and IndexedDB (fake-indexeddb runs on setImmediate) settle. */
export async function flushIO(journal?: { pending: number }): Promise<void> {
  for (let quiet = 0; quiet < 3;) {
    await macrotask();
    quiet = journal && journal.pending > 0 ? 0 : quiet + 1;
  }
}

/** Advances virtual time until `done()` holds. Throws when nothing is left to happen (a hang). */
export async function drive(
  clock: VirtualClock,
  done: () => boolean,
  opts: { journal?: { pending: number }; maxSteps?: number; onIdle?: () => boolean } = {},
): Promise<void> {
  const max = opts.maxSteps ?? 200_000;
  for (let i = 0; i < max; i++) {
    await flushIO(opts.journal);
    if (done()) return;
    if (!clock.advance()) {
      if (opts.onIdle?.()) continue;
      await flushIO(opts.journal);
      if (done()) return;
      throw new Error(`drive(): nothing left to happen at t+${clock.now() - T0} ms`);
    }
  }
  throw new Error('drive(): too many steps');
}

// ---------------------------------------------------------------------------------------------
// The fake org

export type Fault =
  | { type: '5xx'; status?: number } // not applied, empty body: unknown outcome
  | { type: 'lost' } // applied, the response never arrives (network error)
  | { type: 'timeout'; applied: boolean }
  | { type: 'slow'; applyAfterMs: number } // the client times out; the platform applies it this much later
  | { type: '429'; retryAfterMs?: number } // not applied; pauses the limiter
  | { type: '401' } // the token stops working until `restoreToken()`
  | { type: 'refuse'; status: 400 | 403 | 404 | 422 };

export interface FakeComm {
  cid: string;
  pid: string;
  commId: string;
  mediaType: string;
  queueId: string | null;
  userId: string;
  active: boolean;
  inAcw: boolean;
  /** When after-call work began (epoch ms); unknown when absent. */
  acwStart?: number;
  /** Every wrap-up ever set, oldest first. */
  history: { code: string; at: number; by: 'runner' | 'agent' | 'other' | 'seed' }[];
}

export interface RequestLog {
  n: number;
  at: number;
  kind: 'details' | 'read' | 'write' | 'codes' | 'other';
  key: string | null;
  ids: string[];
  status: number;
  /** For writes: whether the platform applied it. */
  applied: boolean;
  retryAfterMs: number | null;
  /** A runner request that had to wait in the limiter queue. */
  queued: boolean;
}

export interface FakeOptions {
  clock: VirtualClock;
  limiter: RateLimiter;
  /** Response latency per request. Default 150 ms. */
  latency?: (n: number) => number;
  analyticsLagMs?: number;
  rewrap?: 'allow' | 'refuse';
  /** Fault for the n-th request overall, or for a request on an item. Null: none. */
  fault?: (req: { n: number; kind: RequestLog['kind']; key: string | null; writeNo: number }) => Fault | null;
  /** Items whose writes the platform refuses with 400 (e.g. window closed). */
  refuseKeys?: ReadonlySet<string>;
  queueCodes?: ReadonlyMap<string, CodeRef[]>;
  random?: () => number;
  /** 'agent-only': writes by anyone but the participant's agent fire no event (the sim's `--wrapup-events`). */
  wrapupEvents?: 'all' | 'agent-only';
}

const keyOf = (c: Pick<FakeComm, 'cid' | 'pid' | 'commId'>) => `${c.cid}/${c.pid}/${c.commId}`;

export class FakeGenesys {
  readonly comms = new Map<string, FakeComm>();
  readonly log: RequestLog[] = [];
  tokenValid = true;
  private n = 0;
  private readonly writeNo = new Map<string, number>();
  private readonly opts: Required<Omit<FakeOptions, 'fault' | 'refuseKeys' | 'queueCodes'>> & Pick<FakeOptions, 'fault' | 'refuseKeys' | 'queueCodes'>;

  constructor(opts: FakeOptions) {
    this.opts = { latency: () => 150, analyticsLagMs: 2_000, rewrap: 'allow', random: () => 0.5, wrapupEvents: 'all', ...opts };
  }

  add(c: Omit<FakeComm, 'history'> & { code?: string | null }): FakeComm {
    const { code, ...rest } = c;
    const comm: FakeComm = { ...rest, history: code ? [{ code, at: Number.NEGATIVE_INFINITY, by: 'seed' }] : [] };
    this.comms.set(keyOf(comm), comm);
    return comm;
  }

  current(key: string): string | null {
    const h = this.comms.get(key)?.history;
    return h && h.length > 0 ? h[h.length - 1]!.code : null;
  }

  /** An agent (another token) wraps up now. */
  agentWrapup(key: string, code: string): void {
    const c = this.comms.get(key);
    if (!c) throw new Error(`no comm ${key}`);
    c.history.push({ code, at: this.opts.clock.now(), by: 'agent' });
    c.inAcw = false;
    this.notify(c, code);
  }

  /** Another user (a second supervisor, not the participant's agent) wraps up now through the API. */
  otherUserWrapup(key: string, code: string): void {
    const c = this.comms.get(key);
    if (!c) throw new Error(`no comm ${key}`);
    c.history.push({ code, at: this.opts.clock.now(), by: 'other' });
    if (this.opts.wrapupEvents !== 'agent-only') this.notify(c, code);
  }

  // ------------------------------------------------------------------ notifications

  readonly watches = new Set<FakeWatch>();

  /** A notification watch over this org (like `createWrapupWatch` over the platform). */
  createWatch(opts: FakeWatchOptions = {}): FakeWatch {
    const w = new FakeWatch(this.opts.clock, opts, () => this.watches.delete(w));
    this.watches.add(w);
    return w;
  }

  private notify(c: FakeComm, code: string): void {
    for (const w of this.watches) w.deliver({ conversationId: c.cid, participantId: c.pid, communicationId: c.commId, code, receivedAt: 0 });
  }

  restoreToken(): void {
    this.tokenValid = true;
  }

  /** Landed runner writes per item. */
  runnerWrites(key: string): { code: string; at: number }[] {
    return (this.comms.get(key)?.history ?? []).filter((h) => h.by === 'runner');
  }

  // ------------------------------------------------------------------ the port

  readonly port: BulkPlatform = {
    listUsers: () =>
      this.request('other', null, [], () => [...new Set([...this.comms.values()].map((c) => c.userId))].map((id) => ({ id, email: `${id}@example.com` }))),
    getDetails: (ids) => this.request('details', null, [...ids], () => ids.flatMap((id) => this.details(id))),
    listQueueCodes: (queueId) => this.request('codes', null, [queueId], () => [...(this.opts.queueCodes?.get(queueId) ?? [])]),
    participantCodes: (_media, cid, pid) =>
      this.request('codes', null, [cid], () => {
        const q = [...this.comms.values()].find((c) => c.cid === cid && c.pid === pid)?.queueId;
        return [...((q && this.opts.queueCodes?.get(q)) || [])];
      }),
    readWrapup: (_media, cid, pid, mid) =>
      this.request('read', `${cid}/${pid}/${mid}`, [cid], () => {
        const code = this.current(`${cid}/${pid}/${mid}`);
        return code === null ? undefined : { code };
      }),
    writeWrapup: (_media, cid, pid, mid, input) => this.write(`${cid}/${pid}/${mid}`, input.code.id),
  };

  private details(id: string): DetailsConversation[] {
    const comms = [...this.comms.values()].filter((c) => c.cid === id);
    if (comms.length === 0) return [];
    const now = this.opts.clock.now();
    const lag = this.opts.analyticsLagMs;
    const active = comms.some((c) => c.active);
    const pids = [...new Set(comms.map((c) => c.pid))];
    return [
      {
        conversationId: id,
        ...(active ? {} : { conversationEnd: new Date(now - 3_600_000).toISOString() }),
        participants: [
          { participantId: `${id}-customer`, purpose: 'customer', sessions: [{ sessionId: `${id}-cs`, mediaType: 'voice', segments: [] }] },
          ...pids.map((pid) => ({
            participantId: pid,
            purpose: 'agent',
            userId: comms.find((c) => c.pid === pid)!.userId,
            sessions: comms
              .filter((c) => c.pid === pid)
              .map((c) => {
                const visible = [...c.history].reverse().find((h) => h.at + lag <= now);
                const segments = [
                  { segmentType: 'interact', segmentStart: 'x', ...(c.active ? {} : { segmentEnd: 'y' }), ...(c.queueId ? { queueId: c.queueId } : {}) },
                  ...(visible
                    ? [{ segmentType: 'wrapup', segmentStart: 'y', segmentEnd: 'z', wrapUpCode: visible.code }]
                    : c.inAcw
                      ? [{ segmentType: 'wrapup', segmentStart: c.acwStart === undefined ? 'y' : new Date(c.acwStart).toISOString() }]
                      : []),
                ];
                return { sessionId: c.commId, mediaType: c.mediaType, segments };
              }),
          })),
        ],
      },
    ];
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => this.opts.clock.setTimeout(r, ms));
  }

  private err(status: number, method: string, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}): ApiError {
    return new ApiError({ kind: 'http', status, code: `http.${status}`, message: `Fake ${status}`, contextId: `ctx-${this.n}`, method, ...extra });
  }

  /** 429s since the last answer that was not one (PlatformHttpClient's `throttled`). */
  private throttled = 0;

  /** A 429's pause without Retry-After, as PlatformHttpClient computes it: doubling while 429s follow each other. */
  private throttle(attempt: number): number {
    this.throttled += 1;
    return backoffMs(Math.max(attempt, this.throttled), this.opts.random);
  }

  /** Like PlatformHttpClient.run: limiter, one attempt, 429 pause, retries for reads only. */
  private async request<T>(kind: RequestLog['kind'], key: string | null, ids: string[], handler: () => T): Promise<T> {
    const clock = this.opts.clock;
    const limiter = this.opts.limiter;
    for (let attempt = 1; ; attempt++) {
      const acquiring = limiter.acquire();
      const queued = attempt === 1 && limiter.getState().queued > 0;
      const release = await acquiring;
      const n = ++this.n;
      const entry: RequestLog = { n, at: clock.now(), kind, key, ids, status: 200, applied: false, retryAfterMs: null, queued };
      this.log.push(entry);
      const fault = this.tokenValid ? (this.opts.fault?.({ n, kind, key, writeNo: 0 }) ?? null) : ({ type: '401' } as const);
      // The platform reads its state halfway through the round trip.
      await this.sleep(this.opts.latency(n) / 2);
      const value = fault ? undefined : { v: handler() };
      await this.sleep(this.opts.latency(n) / 2);
      release();
      let error: ApiError | null = null;
      if (fault?.type === '401') {
        this.tokenValid = false;
        error = this.err(401, 'GET');
      } else if (fault?.type === '429') {
        error = this.err(429, 'GET', { retryAfterMs: fault.retryAfterMs ?? this.throttle(attempt) });
      } else if (fault?.type === 'refuse') error = this.err(fault.status, 'GET');
      else if (fault?.type === '5xx') error = this.err(fault.status ?? 503, 'GET');
      else if (fault?.type === 'lost') error = new ApiError({ kind: 'network', status: 0, code: 'network', message: 'lost', method: 'GET' });
      else if (fault?.type === 'timeout') error = new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'timeout', method: 'GET' });
      if (!error || (error.kind === 'http' && error.status !== 429)) this.throttled = 0;
      if (!error) return value!.v;
      entry.status = error.status;
      if (error.status === 401) throw error;
      let wait = backoffMs(attempt, this.opts.random);
      if (error.status === 429) {
        wait = error.retryAfterMs ?? wait;
        entry.retryAfterMs = wait;
        limiter.pauseUntil(clock.now() + wait);
      }
      const retryable = error.status === 429 || error.status >= 500 || error.kind !== 'http';
      if (attempt >= 4 || !retryable) throw error;
      if (error.status === 429) {
        if (wait > 180_000) throw error;
        continue;
      }
      await this.sleep(wait);
    }
  }

  private async write(key: string, code: string): Promise<void> {
    const clock = this.opts.clock;
    const limiter = this.opts.limiter;
    const acquiring = limiter.acquire();
    const queued = limiter.getState().queued > 0;
    const release = await acquiring;
    const n = ++this.n;
    const writeNo = (this.writeNo.get(key) ?? 0) + 1;
    this.writeNo.set(key, writeNo);
    const entry: RequestLog = { n, at: clock.now(), kind: 'write', key, ids: [key.split('/')[0]!], status: 202, applied: false, retryAfterMs: null, queued };
    this.log.push(entry);
    const fault = this.tokenValid ? (this.opts.fault?.({ n, kind: 'write', key, writeNo }) ?? null) : ({ type: '401' } as const);
    const comm = this.comms.get(key);
    await this.sleep(this.opts.latency(n) / 2); // the platform processes it halfway through the round trip
    const post = (extra: Partial<ConstructorParameters<typeof ApiError>[0]>, status: number) =>
      this.err(status, 'POST', { url: `/api/v2/conversations/calls/${key}/wrapup`, ...extra });

    // What the platform does with it (before the response travels back).
    let error: ApiError | null = null;
    let apply = false;
    if (fault?.type === '401') {
      this.tokenValid = false;
      error = post({}, 401);
    } else if (fault?.type === '429') error = post({ retryAfterMs: fault.retryAfterMs ?? this.throttle(1) }, 429);
    else if (fault?.type === 'refuse') error = post({}, fault.status);
    else if (!comm) error = post({}, 404);
    else if (this.opts.refuseKeys?.has(key)) error = post({ message: 'The wrap-up window has closed.', code: 'bad.request' }, 400);
    else if (comm.active) error = post({ message: 'Communication is not disconnected.' }, 400);
    else if (comm.queueId && this.opts.queueCodes && !(this.opts.queueCodes.get(comm.queueId) ?? []).some((c) => c.id === code))
      error = post({ message: `Wrap-up code ${code} is not valid for this participant.` }, 400);
    else if (this.opts.rewrap === 'refuse' && this.current(key) !== null) error = post({ message: 'already has a wrap-up', code: 'conflict' }, 409);
    else if (fault?.type === '5xx') error = post({}, fault.status ?? 503);
    else if (fault?.type === 'lost') {
      apply = true;
      error = new ApiError({ kind: 'network', status: 0, code: 'network', message: 'The response was lost.', method: 'POST' });
    } else if (fault?.type === 'timeout') {
      apply = fault.applied;
      error = new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'The platform did not answer in time.', method: 'POST' });
    } else if (fault?.type === 'slow') {
      const late = comm;
      clock.setTimeout(() => {
        late.history.push({ code, at: clock.now(), by: 'runner' });
        entry.applied = true;
        if (this.opts.wrapupEvents !== 'agent-only') this.notify(late, code);
      }, fault.applyAfterMs);
      error = new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'The platform did not answer in time.', method: 'POST' });
    } else apply = true;

    if (apply && comm) {
      comm.history.push({ code, at: clock.now(), by: 'runner' });
      entry.applied = true;
      // The runner writes as a supervisor, not as the participant's agent.
      if (this.opts.wrapupEvents !== 'agent-only') this.notify(comm, code);
    }
    await this.sleep(this.opts.latency(n) / 2);
    release();
    if (!error || (error.kind === 'http' && error.status !== 429)) this.throttled = 0;
    if (error) {
      entry.status = error.status;
      if (error.status === 429) {
        entry.retryAfterMs = error.retryAfterMs ?? null;
        limiter.pauseUntil(clock.now() + (error.retryAfterMs ?? 0));
      }
      throw error;
    }
  }
}

export interface FakeWatchOptions {
  /** Subscription round trip: topics are covered this long after `watch()`. Default 150 ms. */
  subscribeMs?: number;
  /** Event delivery delay. Default 100 ms. */
  eventDelayMs?: number;
  /** Reconnect time after `dropConnection()`. Default 2 s. */
  reconnectMs?: number;
  /** Changes each event before delivery (an event whose ids differ from analytics', or that lacks some). */
  reshape?: (e: WatchEvent) => WatchEvent;
}

/** The fake counterpart of `createWrapupWatch`: coverage after a subscription round trip, delayed events. */
export class FakeWatch implements WatchPort {
  private readonly covered = new Map<string, number>();
  private wanted = new Set<string>();
  private readonly listeners = new Set<(e: WatchEvent) => void>();
  private connected = true;
  closed = false;
  /** `watch()` calls that changed the set (each is one subscription request on the platform). */
  subscriptions = 0;
  delivered = 0;
  private readonly o: Required<FakeWatchOptions>;

  constructor(
    private readonly clock: VirtualClock,
    opts: FakeWatchOptions,
    private readonly onClose: () => void,
  ) {
    this.o = { subscribeMs: 150, eventDelayMs: 100, reconnectMs: 2_000, reshape: (e) => e, ...opts };
  }

  watch(ids: Iterable<string>): void {
    const next = new Set(ids);
    this.wanted = next;
    this.subscriptions += 1;
    for (const cid of [...this.covered.keys()]) if (!next.has(cid)) this.covered.delete(cid);
    this.clock.setTimeout(() => this.confirm(next), this.o.subscribeMs);
  }

  private confirm(set: Set<string>): void {
    if (this.closed || !this.connected || set !== this.wanted) return;
    const now = this.clock.now();
    for (const cid of set) if (!this.covered.has(cid)) this.covered.set(cid, now);
  }

  coveredSince(cid: string): number | null {
    return this.covered.get(cid) ?? null;
  }

  onWrapup(listener: (e: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The socket breaks: coverage is gone, events are lost until it is back and resubscribed. */
  dropConnection(): void {
    this.connected = false;
    this.covered.clear();
    this.clock.setTimeout(() => {
      if (this.closed) return;
      this.connected = true;
      this.confirm(this.wanted);
    }, this.o.reconnectMs);
  }

  deliver(e: WatchEvent): void {
    if (this.closed || !this.connected || !this.wanted.has(e.conversationId)) return;
    this.clock.setTimeout(() => {
      if (this.closed || !this.connected) return;
      this.delivered += 1;
      for (const l of this.listeners) l(this.o.reshape({ ...e, receivedAt: this.clock.now() }));
    }, this.o.eventDelayMs);
  }

  close(): void {
    this.closed = true;
    this.covered.clear();
    this.listeners.clear();
    this.onClose();
  }
}

/**
 * One browser tab's view of the platform: after `crash()`, nothing new leaves the tab and the
 * answers to requests already sent are never delivered (the platform may still have applied them).
 */
export function tabPlatform(inner: BulkPlatform): { port: BulkPlatform; crash(): void } {
  let dead = false;
  const never = new Promise<never>(() => undefined);
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> => {
      if (dead) return never;
      return fn(...a).then(
        (v) => (dead ? never : v),
        (e: unknown) => (dead ? never : Promise.reject(e instanceof Error ? e : new Error(String(e)))),
      );
    };
  return {
    port: {
      getDetails: wrap(inner.getDetails),
      listUsers: wrap(inner.listUsers),
      listQueueCodes: wrap(inner.listQueueCodes),
      participantCodes: wrap(inner.participantCodes),
      readWrapup: wrap(inner.readWrapup),
      writeWrapup: wrap(inner.writeWrapup),
    },
    crash: () => {
      dead = true;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Journal, session, locks

/** Journal kept in memory as structured clones (so nothing is shared with the runner's objects). */
export class MemoryJournal implements BulkJournal {
  jobs = new Map<string, BulkJob>();
  items = new Map<string, Map<string, BulkItem>>();
  /** Every item write, in order: [key, status] (for "in-flight is stored before the request"). */
  trail: { key: string; status: BulkItem['status']; attempts: number }[] = [];

  create(job: BulkJob, items: readonly BulkItem[]): Promise<void> {
    this.jobs.set(job.id, structuredClone(job));
    this.items.set(job.id, new Map(items.map((i) => [i.key, structuredClone(i)])));
    return Promise.resolve();
  }
  saveJob(job: BulkJob): Promise<void> {
    this.jobs.set(job.id, structuredClone(job));
    return Promise.resolve();
  }
  saveItem(jobId: string, item: BulkItem): Promise<void> {
    this.items.get(jobId)?.set(item.key, structuredClone(item));
    this.trail.push({ key: item.key, status: item.status, attempts: item.attempts });
    return Promise.resolve();
  }
  async saveItems(jobId: string, items: readonly BulkItem[]): Promise<void> {
    for (const i of items) await this.saveItem(jobId, i);
  }
  load(jobId: string): Promise<StoredJob | undefined> {
    const job = this.jobs.get(jobId);
    if (!job) return Promise.resolve(undefined);
    const items = [...(this.items.get(jobId)?.values() ?? [])].map((i) => structuredClone(i)).sort((a, b) => a.seq - b.seq);
    return Promise.resolve({ job: structuredClone(job), items });
  }
  listJobs(): Promise<BulkJob[]> {
    return Promise.resolve([...this.jobs.values()]);
  }
  remove(jobId: string): Promise<void> {
    this.jobs.delete(jobId);
    this.items.delete(jobId);
    return Promise.resolve();
  }
}

/** Counts operations in progress (for `flushIO`), and dies with its tab: after `crash()` nothing is stored. */
export class TabJournal implements BulkJournal {
  pending = 0;
  private dead = false;
  constructor(private readonly inner: BulkJournal) {}

  crash(): void {
    this.dead = true;
  }

  private op<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dead) return new Promise<T>(() => undefined);
    this.pending += 1;
    return fn().finally(() => {
      this.pending -= 1;
    });
  }
  create(job: BulkJob, items: readonly BulkItem[]) {
    return this.op(() => this.inner.create(job, items));
  }
  saveJob(job: BulkJob) {
    return this.op(() => this.inner.saveJob(job));
  }
  saveItem(jobId: string, item: BulkItem) {
    return this.op(() => this.inner.saveItem(jobId, item));
  }
  saveItems(jobId: string, items: readonly BulkItem[]) {
    return this.op(() => this.inner.saveItems(jobId, items));
  }
  load(jobId: string) {
    return this.op(() => this.inner.load(jobId));
  }
  listJobs() {
    return this.op(() => this.inner.listJobs());
  }
  remove(jobId: string) {
    return this.op(() => this.inner.remove(jobId));
  }
}

export class FakeSession implements SessionPort {
  private readonly listeners = new Set<(e: SessionEvent) => void>();
  subscribe(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: SessionEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
  get size(): number {
    return this.listeners.size;
  }
}

/** Web Locks with `ifAvailable`, per tab; a crashed tab's locks are released like the browser does. */
export class FakeLockManager {
  readonly held = new Map<string, string>();
  private readonly releasers = new Map<string, () => void>();

  forTab(tab: string): LockManagerLike {
    return {
      request: (name, _options, callback) => {
        if (this.held.has(name)) return callback(null);
        this.held.set(name, tab);
        let drop!: () => void;
        const dropped = new Promise<void>((r) => (drop = r));
        this.releasers.set(name, drop);
        const held = callback({ name, mode: 'exclusive' });
        return Promise.race([held, dropped]).finally(() => {
          if (this.held.get(name) === tab) this.held.delete(name);
          this.releasers.delete(name);
        });
      },
    };
  }

  crash(tab: string): void {
    for (const [name, holder] of this.held) if (holder === tab) this.releasers.get(name)?.();
  }
}

/** The largest number of requests inside any `windowMs` window (a window (t - w, t]). */
export function maxInWindow(times: readonly number[], windowMs = 60_000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// A whole setup: org, limiter, planner, job, runner

export interface ItemSpec {
  /** Existing code (agent or seed), a system code, or null (missing). */
  code?: string | null;
  active?: boolean;
  inAcw?: boolean;
  /** ACW began this long before the job was planned (default: unknown, so within the grace period). */
  acwAgoMs?: number;
  mediaType?: string;
  queueId?: string | null;
}

export const JOB_CODE = { id: 'code-sale', name: 'Sale' };
export const OTHER_CODE = { id: 'code-other', name: 'Other' };

export interface HarnessOptions {
  items: ItemSpec[] | number;
  budget?: number;
  maxConcurrent?: number;
  fault?: FakeOptions['fault'];
  refuseKeys?: ReadonlySet<string>;
  rewrap?: 'allow' | 'refuse';
  analyticsLagMs?: number;
  latency?: (n: number) => number;
  options?: Partial<JobOptions>;
  journal?: BulkJournal;
  config?: RunnerConfig;
  random?: () => number;
  /** Give the runner a notification watch over the fake org. */
  watch?: FakeWatchOptions | boolean;
  /** Whether writes by users other than the agent fire events (the sim's `--wrapup-events`). */
  wrapupEvents?: 'all' | 'agent-only';
}

export async function harness(o: HarnessOptions) {
  const clock = new VirtualClock();
  const limiter = new RateLimiter({ budgetPerMinute: o.budget ?? 270, maxConcurrent: o.maxConcurrent ?? 6, clock });
  const queueCodes = new Map<string, CodeRef[]>([
    ['q1', [JOB_CODE, OTHER_CODE]],
    ['q2', [OTHER_CODE]],
  ]);
  const fake = new FakeGenesys({
    clock,
    limiter,
    queueCodes,
    ...(o.fault ? { fault: o.fault } : {}),
    ...(o.refuseKeys ? { refuseKeys: o.refuseKeys } : {}),
    ...(o.rewrap ? { rewrap: o.rewrap } : {}),
    ...(o.analyticsLagMs !== undefined ? { analyticsLagMs: o.analyticsLagMs } : {}),
    ...(o.latency ? { latency: o.latency } : {}),
    ...(o.random ? { random: o.random } : {}),
    ...(o.wrapupEvents ? { wrapupEvents: o.wrapupEvents } : {}),
  });
  const specs: ItemSpec[] = typeof o.items === 'number' ? Array.from({ length: o.items }, () => ({})) : o.items;
  const keys: string[] = [];
  specs.forEach((s, i) => {
    const cid = `c${String(i).padStart(4, '0')}`;
    const c = fake.add({
      cid,
      pid: `${cid}-a`,
      commId: `${cid}-m`,
      mediaType: s.mediaType ?? 'voice',
      queueId: s.queueId === undefined ? 'q1' : s.queueId,
      userId: `u${i % 7}`,
      active: s.active ?? false,
      inAcw: s.inAcw ?? false,
      ...(s.acwAgoMs !== undefined ? { acwStart: clock.now() - s.acwAgoMs } : {}),
      code: s.code ?? null,
    });
    keys.push(keyOf(c));
  });
  const journal = new TabJournal(o.journal ?? new MemoryJournal());
  const session = new FakeSession();
  const lockManager = new FakeLockManager();
  const tab = tabPlatform(fake.port);
  const watches: FakeWatch[] = [];
  const watchOptions: FakeWatchOptions = o.watch === true || !o.watch ? {} : o.watch;
  const deps = {
    platform: tab.port,
    journal,
    session,
    limiter,
    locks: createJobLocks({ locks: lockManager.forTab('tab-1') }),
    clock,
    random: o.random ?? (() => 0.5),
    ...(o.watch
      ? {
          createWatch: () => {
            const w = fake.createWatch(watchOptions);
            watches.push(w);
            return w;
          },
        }
      : {}),
  };

  const planning = planBulk(
    specs.map((_, i) => ({ conversationId: `c${String(i).padStart(4, '0')}` })),
    { platform: tab.port, now: clock.now },
  );
  let plan: Awaited<typeof planning> | undefined;
  void planning.then((p) => (plan = p));
  await drive(clock, () => plan !== undefined, { journal });
  const { job, items } = createJob(plan!, { code: JOB_CODE, notes: 'bulk fix', options: o.options ?? {} }, { id: 'job-1', now: clock.now() });
  let runner: BulkRunner | undefined;
  // The runner tests below were written for the watch-trusting path; the event-proof rule has its own.
  void BulkRunner.create(job, items, deps, { requireEventProof: false, ...o.config }).then((r) => (runner = r));
  await drive(clock, () => runner !== undefined, { journal });
  const planRequests = fake.log.length;
  return { clock, limiter, fake, journal, session, lockManager, tab, deps, plan: plan!, keys, runner: runner!, planRequests, watches };
}
