/**
 * Loads the worklist for one set of server-side filters (plain TypeScript, no React).
 *
 * - The window is the user's: only conversations that STARTED inside it are kept and counted. The
 *   platform's sync query returns every conversation that started on a UTC day the interval touches
 *   (docs/genesys-platform.md §8 row 2, [H]) and async jobs every conversation with activity in it (row 3):
 *   both return more than the window, so every page is filtered here. `totalHits` is approximate
 *   (row 4) and is never shown as a count: totals are what was loaded.
 * - Synchronous details query (§3): page size 100 (200 where the platform was seen to serve it:
 *   {@link PageSizeMemory}), ordered by start, pages of one chunk requested ONE AT A TIME, in order,
 *   until a short page. Why this loses no row while new conversations arrive (row 4, the sim's
 *   `--page-drift-per-minute`): a new conversation is inserted at its start time, i.e. at the end
 *   of an ascending order and at the front of a descending one (or, indexed late, near there); an
 *   insertion only moves the rows after it one place later. Reading pages in increasing order, a
 *   row moved later is read on a later page (seen twice at worst: rows are de-duplicated by
 *   conversation id); it can never move to a page already read. Pages requested in parallel could
 *   be answered out of order, and a row moved from page k onto page k+1 already answered would be
 *   lost. The cost is none in practice: the token's budget (270 requests/min, 4.5 pages/s) caps the
 *   pace either way.
 * - Under day semantics (row 2) a chunk's query returns every conversation of the UTC days it
 *   touches, most of them outside the chunk when it starts or ends mid-day (the last hour after
 *   `dataAvailabilityDate`, "today" in a zone east of UTC). Each chunk is paged in the order that
 *   reaches its own rows first: DESCENDING when it starts mid-day and nothing started after its end
 *   (its end is now, or a UTC midnight), ascending otherwise. Paging stops at a short page or at a
 *   page that ends past the chunk (asc: a start at or after its end; desc: a start before its
 *   start); rows of other days ahead of the chunk in that order are skipped by a binary search over
 *   pages. The chunk's bounds, not the whole window's, decide: a last-hour chunk beside an async job
 *   must not page the whole day the job already read.
 * - Chunks: at most {@link maxIntervalDays} days each (7 without a filter, 31 with one: row 5), cut at
 *   UTC midnights so two chunks never touch the same day (under day semantics they would return the
 *   same conversations twice). Chunks are independent result sets, so they run in parallel. A 400
 *   about the interval's length splits the chunk in two (never shown to the user).
 * - Ranges over 7 days, or more than {@link SYNC_MAX_CONVERSATIONS} hits, use the async details
 *   jobs with cursor paging for the part before `dataAvailabilityDate`; the rest (the last hour or
 *   so, which jobs do not cover) still goes through the synchronous query.
 * - A failed page does not lose the others: it is reported as a partial failure. A failed first
 *   page of the only source fails the whole load (there is nothing to show).
 * - Two ways to stop: `signal` (the query is dropped: reject) and `stopSignal` (the user pressed
 *   Cancel: resolve with what arrived, marked cancelled).
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { ApiError, toApiError } from '@/lib/genesys/api-error.ts';
import { DAY, type Interval, type ListParams } from './filters.ts';
import { conversationRow, type AnalyticsConversation, type ConversationRow } from './wrapup-status.ts';

/** The page size every org serves (docs/genesys-platform.md §3). */
export const PAGE_SIZE = 100;
/** The larger page Genesys's own examples use (§8 row 6, [M]): asked for only with a {@link PageSizeMemory}. */
export const LARGE_PAGE_SIZE = 200;
/** Ranges longer than this go to async jobs where their data is available. */
export const SYNC_MAX_DAYS = 7;
/** Longest sync interval the platform serves (docs/genesys-platform.md §8 row 5, [H]). */
export const MAX_INTERVAL_DAYS_UNFILTERED = 7;
export const MAX_INTERVAL_DAYS_FILTERED = 31;
export const SYNC_MAX_CONVERSATIONS = 10_000;
export const JOB_PAGE_SIZE = 1000;
/** Snapshots are handed out at most this often while loading (the last one always). */
export const EMIT_EVERY_MS = 250;
/**
 * Each snapshot costs the page a pass over every row (filter, sort, counts): past 10,000 rows the
 * interval grows by 1 ms per this many rows (100,000 rows: every 2.5 s), so a big load spends the
 * browser's time on loading rather than on re-sorting what it has.
 */
export const EMIT_ROWS_PER_MS = 40;

export interface LoaderApi {
  query(body: Models.ConversationQuery, signal: AbortSignal): Promise<Models.AnalyticsConversationQueryResponse>;
  availability(signal: AbortSignal): Promise<Models.DataAvailabilityResponse>;
  createJob(body: Models.AsyncConversationQuery, signal: AbortSignal): Promise<Models.AsyncQueryResponse>;
  getJob(jobId: string, signal: AbortSignal): Promise<Models.AsyncQueryStatus>;
  jobResults(jobId: string, cursor: string | undefined, signal: AbortSignal): Promise<Models.AnalyticsConversationAsyncQueryResponse>;
  /** Deletes a job whose results are no longer wanted (a cancelled or failed load). Optional. */
  deleteJob?(jobId: string): Promise<void>;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
}

export type LoadPhase = 'loading' | 'job-waiting' | 'done' | 'cancelled';

export interface PageFailure {
  /** `<start>/<end>` of the chunk, or `job` for the async part. */
  source: string;
  page: number;
  status: number;
  code: string;
  message: string;
  contextId?: string;
}

export interface WorklistData {
  rows: ConversationRow[];
  /** Conversations received so far (after removing duplicates). */
  loaded: number;
  /** Conversations the synchronous query reported; null while unknown (jobs do not say in advance). */
  total: number | null;
  pagesDone: number;
  /** Known number of pages, null while a job is still running. */
  pagesTotal: number | null;
  /** How the data came: synchronous query, async job, or both. */
  mode: 'sync' | 'job' | 'mixed';
  phase: LoadPhase;
  failures: PageFailure[];
  /** When loading started and ended (epoch ms): shown as "loaded at". */
  startedAt: number;
  finishedAt: number | null;
}

export function emptyWorklist(now: number): WorklistData {
  return { rows: [], loaded: 0, total: null, pagesDone: 0, pagesTotal: null, mode: 'sync', phase: 'loading', failures: [], startedAt: now, finishedAt: null };
}

export function parseIntervalString(s: string): Interval {
  const [a, b] = s.split('/');
  const start = Date.parse(a ?? '');
  const end = Date.parse(b ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) throw new RangeError(`Bad interval ${s}`);
  return { start, end };
}

const utcDay = (t: number) => Math.floor(t / DAY) * DAY;

/**
 * Consecutive chunks covering [start, end), each touching at most `maxDays` UTC days, cut at UTC
 * midnights (so no two chunks touch the same day).
 */
export function splitInterval(i: Interval, maxDays = SYNC_MAX_DAYS): Interval[] {
  const out: Interval[] = [];
  for (let s = i.start; s < i.end;) {
    const e = Math.min(i.end, utcDay(s) + Math.max(1, maxDays) * DAY);
    out.push({ start: s, end: e });
    s = e;
  }
  return out;
}

/** The longest interval the platform accepts for a query with these filters. */
export function maxIntervalDays(f: Pick<Models.ConversationQuery, 'segmentFilters' | 'conversationFilters'>): number {
  const filtered = [...(f.segmentFilters ?? []), ...(f.conversationFilters ?? [])].some((x) => (x.predicates?.length ?? 0) + (x.clauses?.length ?? 0) > 0);
  return filtered ? MAX_INTERVAL_DAYS_FILTERED : MAX_INTERVAL_DAYS_UNFILTERED;
}

/** A 400 about the interval (its length): answered by splitting, never shown. */
export function isIntervalTooLong(e: unknown): boolean {
  const err = toApiError(e);
  if (err.status !== 400) return false;
  return /interval/i.test(err.message) || (err.details ?? []).some((d) => d.fieldName === 'interval');
}

/** Two halves cut at a UTC midnight, or null when the chunk touches one day only. */
export function halve(i: Interval): [Interval, Interval] | null {
  const days = Math.ceil((i.end - utcDay(i.start)) / DAY);
  if (days <= 1) return null;
  const cut = utcDay(i.start) + Math.ceil(days / 2) * DAY;
  return [
    { start: i.start, end: cut },
    { start: cut, end: i.end },
  ];
}

const iso = (t: number) => new Date(t).toISOString();
const intervalOf = (i: Interval) => `${iso(i.start)}/${iso(i.end)}`;

/** Segment and conversation filters for the server-side part of the filters. */
export function queryFilters(
  p: Pick<ListParams, 'media' | 'queue' | 'agent' | 'direction'>,
): Pick<Models.ConversationQuery, 'segmentFilters' | 'conversationFilters'> {
  // One AND filter: a single agent segment must match all of these (a queue filter alone would also
  // match the ACD participant's segment; the agent's own queue is what the worklist is about).
  const predicates: Models.SegmentDetailQueryPredicate[] = [{ type: 'dimension', dimension: 'purpose', operator: 'matches', value: 'agent' }];
  if (p.media) predicates.push({ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: p.media });
  if (p.queue) predicates.push({ type: 'dimension', dimension: 'queueId', operator: 'matches', value: p.queue });
  if (p.agent) predicates.push({ type: 'dimension', dimension: 'userId', operator: 'matches', value: p.agent });
  const out: Pick<Models.ConversationQuery, 'segmentFilters' | 'conversationFilters'> = { segmentFilters: [{ type: 'and', predicates }] };
  if (p.direction)
    out.conversationFilters = [
      { type: 'and', predicates: [{ type: 'dimension', dimension: 'originatingDirection', operator: 'matches', value: p.direction }] },
    ];
  return out;
}

function abortError(): ApiError {
  return new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'The request was cancelled.', sent: false });
}

/** One signal that aborts when any of the given ones does. */
function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal {
  const c = new AbortController();
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) {
      c.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => c.abort(s.reason), { once: true });
  }
  return c.signal;
}

/**
 * What the loads of one session learned about the synchronous page size. `null`: not known yet;
 * each chunk's first page then asks for {@link LARGE_PAGE_SIZE} rows. A 400 for it (not about the
 * interval) is answered by asking again for 100, and the memory says 100 from then on; more than 100
 * rows prove the larger size, and the memory says so. At most 100 rows prove nothing (a platform
 * could serve 100 for 200 asked): that chunk pages on at 100 from page 2, the same offset either
 * way, so no row is skipped.
 */
export interface PageSizeMemory {
  size: number | null;
}

export interface LoadOptions {
  api: LoaderApi;
  /** Learn and use the larger page (see {@link PageSizeMemory}); absent: always {@link PAGE_SIZE}. */
  pageSize?: PageSizeMemory;
  /** The query's own signal: when it aborts, the load rejects. */
  signal?: AbortSignal;
  /** The user's Cancel: when it aborts, the load resolves with what it has, phase `cancelled`. */
  stopSignal?: AbortSignal;
  onUpdate?: (data: WorklistData) => void;
}

/** How one synchronous chunk is paged: its order, and its page size (decided by its first page). */
interface Paging {
  chunk: Interval;
  order: 'asc' | 'desc';
  size: number;
}

const JOB_DONE = new Set(['FULFILLED']);
const JOB_FAILED = new Set(['FAILED', 'CANCELLED', 'EXPIRED']);

export async function loadWorklist(params: ListParams, options: LoadOptions): Promise<WorklistData> {
  const { api } = options;
  const interval = parseIntervalString(params.interval);
  const signal = anySignal([options.signal, options.stopSignal]);
  const filters = queryFilters(params);
  const chunkDays = maxIntervalDays(filters);
  const byId = new Map<string, ConversationRow>();
  let data = emptyWorklist(api.now());
  let syncPages = 0;
  let jobPages = 0;
  let lastEmit = -Infinity;

  const snapshot = (final: boolean): WorklistData => {
    const rows = [...byId.values()];
    data = {
      ...data,
      rows,
      loaded: rows.length,
      // `totalHits` is approximate and counts conversations outside the window: the total is
      // known once everything has been read.
      total: final ? rows.length : null,
      pagesTotal: final ? syncPages + jobPages : null,
      finishedAt: final ? api.now() : null,
    };
    return data;
  };
  const emit = (force = false) => {
    if (!options.onUpdate || signal.aborted) return;
    const now = api.now();
    if (!force && now - lastEmit < Math.max(EMIT_EVERY_MS, byId.size / EMIT_ROWS_PER_MS)) return;
    lastEmit = now;
    options.onUpdate(snapshot(false));
  };
  const add = (conversations: readonly AnalyticsConversation[] | undefined) => {
    for (const c of conversations ?? []) {
      if (!c.conversationId) continue;
      const start = Date.parse(c.conversationStart ?? '');
      // Only what started inside the window (whatever the platform returned around it).
      if (!(start >= interval.start && start < interval.end)) continue;
      byId.set(c.conversationId, conversationRow(c));
    }
    data = { ...data, pagesDone: data.pagesDone + 1 };
    emit();
  };
  const fail = (source: string, page: number, e: unknown) => {
    const err = toApiError(e);
    const f: PageFailure = { source, page, status: err.status, code: err.code, message: err.message };
    if (err.contextId) f.contextId = err.contextId;
    data = { ...data, failures: [...data.failures, f] };
  };
  const stopped = () => signal.aborted;

  const body = (p: Paging, pageNumber: number, pageSize = p.size): Models.ConversationQuery => ({
    interval: intervalOf(p.chunk),
    order: p.order,
    orderBy: 'conversationStart',
    paging: { pageSize, pageNumber },
    ...filters,
  });
  const startOf = (c: AnalyticsConversation | undefined) => Date.parse(c?.conversationStart ?? '');
  /** A start ahead of the chunk in its paging order (asc: before its start; desc: at or after its end). */
  const ahead = (p: Paging, t: number) => (p.order === 'asc' ? t < p.chunk.start : t >= p.chunk.end);
  /** A start past the chunk in its paging order: nothing after it belongs to the chunk. */
  const past = (p: Paging, t: number) => (p.order === 'asc' ? t >= p.chunk.end : t < p.chunk.start);
  /** See the header: descending when the chunk starts mid-day and nothing started after its end. */
  const paging = (chunk: Interval): Paging => ({
    chunk,
    order: chunk.start % DAY !== 0 && (chunk.end % DAY === 0 || chunk.end >= api.now()) ? 'desc' : 'asc',
    size: PAGE_SIZE,
  });

  // --- decide sync / job split -----------------------------------------------------------------
  const longRange = interval.end - interval.start > SYNC_MAX_DAYS * DAY;
  let availableUntil: number | null = null;
  const jobsAvailableUntil = async (): Promise<number | null> => {
    try {
      const a = await api.availability(signal);
      const t = a.dataAvailabilityDate ? Date.parse(a.dataAvailabilityDate) : NaN;
      return Number.isFinite(t) ? t : null;
    } catch (e) {
      if (stopped()) throw e;
      return null; // no jobs: the synchronous query in chunks still works
    }
  };

  // --- async job part --------------------------------------------------------------------------
  const runJob = async (part: Interval): Promise<void> => {
    data = { ...data, mode: data.pagesDone > 0 || part.end < interval.end ? 'mixed' : 'job', phase: 'job-waiting' };
    emit(true);
    let jobId: string | undefined;
    let read = false;
    try {
      const created = await api.createJob({ interval: intervalOf(part), order: 'asc', orderBy: 'conversationStart', ...filters }, signal);
      jobId = created.jobId;
      if (!jobId) throw new ApiError({ kind: 'http', status: 0, code: 'job.no-id', message: 'The platform did not return a job id.' });
      let delay = 500;
      for (;;) {
        await api.sleep(delay, signal);
        const status = await api.getJob(jobId, signal);
        const state = (status.state ?? '').toUpperCase();
        if (JOB_DONE.has(state)) break;
        if (JOB_FAILED.has(state))
          throw new ApiError({
            kind: 'http',
            status: 0,
            code: `job.${state.toLowerCase()}`,
            message: status.errorMessage ?? `The details job ended as ${state}.`,
          });
        delay = Math.min(3000, delay * 2);
      }
      data = { ...data, phase: 'loading' };
      let cursor: string | undefined;
      do {
        const res = await api.jobResults(jobId, cursor, signal);
        jobPages++;
        add(res.conversations);
        cursor = res.cursor || undefined;
      } while (cursor);
      read = true;
    } catch (e) {
      if (stopped()) throw e;
      fail('job', jobPages + 1, e);
    } finally {
      // Cancelled or failed before all results were read: the platform need not keep computing
      // and storing it. Best effort, without the aborted signal; a refusal changes nothing here.
      if (jobId && !read) void api.deleteJob?.(jobId).catch(() => undefined);
    }
  };

  // --- synchronous part ------------------------------------------------------------------------
  /**
   * Pages one chunk in order, one page at a time, until a short page or a page past the chunk (see
   * the header: sequential pages lose no row when conversations arrive while we page).
   */
  const pageChunk = async (p: Paging, first: Models.AnalyticsConversationQueryResponse): Promise<void> => {
    let { page, response } = await firstUsefulPage(p, first);
    for (;;) {
      const rows = response.conversations ?? [];
      if (rows.length < p.size) return;
      const last = startOf(rows[rows.length - 1]);
      if (Number.isFinite(last) && past(p, last)) return;
      page++;
      try {
        response = await api.query(body(p, page), signal);
      } catch (e) {
        if (stopped()) throw e;
        fail(intervalOf(p.chunk), page, e);
        return;
      }
      syncPages++;
      add(response.conversations);
    }
  };

  /**
   * Under "started on a day the chunk touches" the rows of those days ahead of the chunk (in its
   * paging order) are skipped by a binary search over pages (log2 of the pages instead of all of
   * them): paging goes on from the last page whose first row is ahead of the chunk, already read.
   */
  const firstUsefulPage = async (
    p: Paging,
    first: Models.AnalyticsConversationQueryResponse,
  ): Promise<{ page: number; response: Models.AnalyticsConversationQueryResponse }> => {
    const rows = first.conversations ?? [];
    const lastStart = rows.length === p.size ? startOf(rows[rows.length - 1]) : NaN;
    if (!ahead(p, lastStart)) return { page: 1, response: first };
    const read = new Map([[1, first]]);
    let lo = 1; // its first row is ahead of the chunk
    let hi = Math.max(2, Math.ceil((first.totalHits ?? 0) / p.size)) + 1; // upper bound (exclusive)
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      let r: Models.AnalyticsConversationQueryResponse;
      try {
        r = await api.query(body(p, mid), signal);
      } catch (e) {
        if (stopped()) throw e;
        break; // page on from what is known: slower, never lossy
      }
      syncPages++;
      add(r.conversations);
      const firstStart = startOf(r.conversations?.[0]);
      if (Number.isFinite(firstStart) && ahead(p, firstStart)) {
        lo = mid;
        read.set(mid, r);
      } else hi = mid;
    }
    return { page: lo, response: read.get(lo) ?? first };
  };

  /**
   * A chunk's first page. With a {@link PageSizeMemory} it asks for the larger page unless the
   * memory says 100; the chunk pages on at the larger size only when more than 100 rows came.
   */
  const firstPage = async (p: Paging): Promise<Models.AnalyticsConversationQueryResponse> => {
    const memory = options.pageSize;
    const ask = memory ? (memory.size ?? LARGE_PAGE_SIZE) : PAGE_SIZE;
    if (ask <= PAGE_SIZE) return api.query(body(p, 1, PAGE_SIZE), signal);
    let r: Models.AnalyticsConversationQueryResponse;
    try {
      r = await api.query(body(p, 1, ask), signal);
    } catch (e) {
      if (stopped() || toApiError(e).status !== 400 || isIntervalTooLong(e)) throw e;
      // Refused: the same page at the size every org serves; if that is served, remember it.
      const small = await api.query(body(p, 1, PAGE_SIZE), signal);
      if (memory) memory.size = PAGE_SIZE;
      return small;
    }
    if ((r.conversations?.length ?? 0) > PAGE_SIZE) {
      p.size = ask;
      if (memory) memory.size = ask;
    }
    return r;
  };

  /**
   * The order the first page came in, when its rows tell (paging relies on it: the skip and the stop
   * follow the order served, whatever was asked).
   */
  const servedOrder = (rows: readonly AnalyticsConversation[]): Paging['order'] | null => {
    const a = startOf(rows[0]);
    const b = startOf(rows[rows.length - 1]);
    return a < b ? 'asc' : a > b ? 'desc' : null;
  };

  /** First page of a chunk; an interval the platform finds too long is split (never shown). */
  const firstPages = async (chunk: Interval): Promise<Array<{ p: Paging; first: Models.AnalyticsConversationQueryResponse }>> => {
    const p = paging(chunk);
    try {
      const first = await firstPage(p);
      p.order = servedOrder(first.conversations ?? []) ?? p.order;
      return [{ p, first }];
    } catch (e) {
      if (stopped()) throw e;
      const halves = isIntervalTooLong(e) ? halve(chunk) : null;
      if (!halves) throw e;
      const parts = await Promise.all(halves.map(firstPages));
      return parts.flat();
    }
  };

  /** Resolves false when the hits are too many and a job should take the early part. */
  const runSync = async (part: Interval, allowSwitch: boolean, onlySource: boolean): Promise<boolean> => {
    const chunks = splitInterval(part, chunkDays);
    const firsts = (
      await Promise.all(
        chunks.map(async (chunk) => {
          try {
            return await firstPages(chunk);
          } catch (e) {
            if (stopped()) throw e;
            if (onlySource && chunks.length === 1) throw toApiError(e);
            fail(intervalOf(chunk), 1, e);
            return [];
          }
        }),
      )
    ).flat();
    const hits = firsts.reduce((n, r) => n + (r.first.totalHits ?? r.first.conversations?.length ?? 0), 0);
    if (allowSwitch && hits > SYNC_MAX_CONVERSATIONS) return false;
    if (onlySource && firsts.length === 0) {
      const f = data.failures[0];
      throw new ApiError({ kind: 'http', status: f?.status ?? 0, code: f?.code ?? 'http.unknown', message: f?.message ?? 'No page could be loaded.' });
    }
    syncPages += firsts.length;
    for (const { first } of firsts) add(first.conversations);
    emit(true);
    await Promise.all(firsts.map(({ p, first }) => pageChunk(p, first)));
    return true;
  };

  try {
    if (longRange) availableUntil = await jobsAvailableUntil();
    const jobCovers = (until: number | null): until is number => until !== null && until > interval.start;
    if (longRange && jobCovers(availableUntil)) {
      const split = Math.min(interval.end, availableUntil);
      const tasks: Promise<unknown>[] = [runJob({ start: interval.start, end: split })];
      if (split < interval.end) tasks.push(runSync({ start: split, end: interval.end }, false, false));
      await Promise.all(tasks);
    } else {
      const done = await runSync(interval, !longRange, true);
      if (!done) {
        // Too many for paging: the job takes what it covers, the synchronous query the rest.
        availableUntil = await jobsAvailableUntil();
        if (jobCovers(availableUntil)) {
          const split = Math.min(interval.end, availableUntil);
          const tasks: Promise<unknown>[] = [runJob({ start: interval.start, end: split })];
          if (split < interval.end) tasks.push(runSync({ start: split, end: interval.end }, false, false));
          await Promise.all(tasks);
        } else {
          await runSync(interval, false, true);
        }
      }
    }
  } catch (e) {
    if (options.stopSignal?.aborted && !options.signal?.aborted) {
      data = { ...snapshot(true), total: null, phase: 'cancelled' };
      return data;
    }
    if (options.signal?.aborted) throw abortError();
    throw toApiError(e);
  }
  if (options.stopSignal?.aborted && !options.signal?.aborted) return { ...snapshot(true), total: null, phase: 'cancelled' };
  if (options.signal?.aborted) throw abortError();
  return { ...snapshot(true), phase: 'done' };
}
