/**
 * Loads the worklist for one set of server-side filters (plain TypeScript, no React).
 *
 * - Synchronous details query (genesys-platform.md §3): page size 100, ordered by start ascending
 *   (a conversation that starts during the load lands on the last page instead of shifting every
 *   page), the first page of each interval chunk tells `totalHits`, the remaining pages are all
 *   requested at once: the shared limiter inside the HTTP client decides how fast they go (one
 *   budget for the token, 429 pauses everyone). Rows are handed out as pages arrive.
 * - Long ranges are split into chunks of at most {@link SYNC_MAX_DAYS} days (the platform's maximum
 *   interval is unknown [L]; the sim refuses over 31).
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

export const PAGE_SIZE = 100;
export const SYNC_MAX_DAYS = 7;
export const SYNC_MAX_CONVERSATIONS = 10_000;
export const JOB_PAGE_SIZE = 1000;
/** Snapshots are handed out at most this often while loading (the last one always). */
export const EMIT_EVERY_MS = 250;

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

/** Consecutive chunks of at most `maxDays`, covering [start, end). */
export function splitInterval(i: Interval, maxDays = SYNC_MAX_DAYS): Interval[] {
  const out: Interval[] = [];
  const step = maxDays * DAY;
  for (let s = i.start; s < i.end; s += step) out.push({ start: s, end: Math.min(i.end, s + step) });
  return out;
}

const iso = (t: number) => new Date(t).toISOString();
const intervalOf = (i: Interval) => `${iso(i.start)}/${iso(i.end)}`;

/** Segment and conversation filters for the server-side part of the filters. */
export function queryFilters(p: Pick<ListParams, 'media' | 'queue' | 'agent' | 'direction'>): Pick<Models.ConversationQuery, 'segmentFilters' | 'conversationFilters'> {
  // One AND filter: a single agent segment must match all of these (a queue filter alone would also
  // match the ACD participant's segment; the agent's own queue is what the worklist is about).
  const predicates: Models.SegmentDetailQueryPredicate[] = [{ type: 'dimension', dimension: 'purpose', operator: 'matches', value: 'agent' }];
  if (p.media) predicates.push({ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: p.media });
  if (p.queue) predicates.push({ type: 'dimension', dimension: 'queueId', operator: 'matches', value: p.queue });
  if (p.agent) predicates.push({ type: 'dimension', dimension: 'userId', operator: 'matches', value: p.agent });
  const out: Pick<Models.ConversationQuery, 'segmentFilters' | 'conversationFilters'> = { segmentFilters: [{ type: 'and', predicates }] };
  if (p.direction)
    out.conversationFilters = [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'originatingDirection', operator: 'matches', value: p.direction }] }];
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

export interface LoadOptions {
  api: LoaderApi;
  /** The query's own signal: when it aborts, the load rejects. */
  signal?: AbortSignal;
  /** The user's Cancel: when it aborts, the load resolves with what it has, phase `cancelled`. */
  stopSignal?: AbortSignal;
  onUpdate?: (data: WorklistData) => void;
}

const JOB_DONE = new Set(['FULFILLED']);
const JOB_FAILED = new Set(['FAILED', 'CANCELLED', 'EXPIRED']);

export async function loadWorklist(params: ListParams, options: LoadOptions): Promise<WorklistData> {
  const { api } = options;
  const interval = parseIntervalString(params.interval);
  const signal = anySignal([options.signal, options.stopSignal]);
  const filters = queryFilters(params);
  const byId = new Map<string, ConversationRow>();
  let data = emptyWorklist(api.now());
  let syncTotal = 0;
  let syncPages = 0;
  let jobRunning = false;
  let jobPages = 0;
  let lastEmit = -Infinity;

  const snapshot = (final: boolean): WorklistData => {
    const rows = [...byId.values()];
    data = {
      ...data,
      rows,
      loaded: rows.length,
      // A job does not say how many it holds: the total is known once it has been read.
      total: data.mode === 'sync' ? syncTotal : jobRunning ? null : rows.length,
      pagesTotal: jobRunning ? null : syncPages + jobPages,
      finishedAt: final ? api.now() : null,
    };
    return data;
  };
  const emit = (force = false) => {
    if (!options.onUpdate || signal.aborted) return;
    const now = api.now();
    if (!force && now - lastEmit < EMIT_EVERY_MS) return;
    lastEmit = now;
    options.onUpdate(snapshot(false));
  };
  const add = (conversations: readonly AnalyticsConversation[] | undefined) => {
    for (const c of conversations ?? []) if (c.conversationId) byId.set(c.conversationId, conversationRow(c));
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

  const body = (chunk: Interval, pageNumber: number): Models.ConversationQuery => ({
    interval: intervalOf(chunk),
    order: 'asc',
    orderBy: 'conversationStart',
    paging: { pageSize: PAGE_SIZE, pageNumber },
    ...filters,
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
    jobRunning = true;
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
          throw new ApiError({ kind: 'http', status: 0, code: `job.${state.toLowerCase()}`, message: status.errorMessage ?? `The details job ended as ${state}.` });
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
      jobRunning = false;
      // Cancelled or failed before all results were read: the platform need not keep computing
      // and storing it. Best effort, without the aborted signal; a refusal changes nothing here.
      if (jobId && !read) void api.deleteJob?.(jobId).catch(() => undefined);
    }
  };

  // --- synchronous part ------------------------------------------------------------------------
  /** Resolves false when the hits are too many and a job should take the early part. */
  const runSync = async (part: Interval, allowSwitch: boolean, onlySource: boolean): Promise<boolean> => {
    const chunks = splitInterval(part);
    const firsts = await Promise.all(
      chunks.map(async (chunk) => {
        try {
          return await api.query(body(chunk, 1), signal);
        } catch (e) {
          if (stopped()) throw e;
          if (onlySource && chunks.length === 1) throw toApiError(e);
          fail(intervalOf(chunk), 1, e);
          return null;
        }
      }),
    );
    const hits = firsts.reduce((n, r) => n + (r?.totalHits ?? r?.conversations?.length ?? 0), 0);
    if (allowSwitch && hits > SYNC_MAX_CONVERSATIONS) return false;
    if (onlySource && firsts.every((r) => r === null)) {
      const f = data.failures[0];
      throw new ApiError({ kind: 'http', status: f?.status ?? 0, code: f?.code ?? 'http.unknown', message: f?.message ?? 'No page could be loaded.' });
    }
    const rest: Promise<void>[] = [];
    let pages = 0;
    chunks.forEach((chunk, i) => {
      const first = firsts[i];
      if (!first) {
        pages += 1;
        return;
      }
      const count = Math.max(1, Math.ceil((first.totalHits ?? 0) / PAGE_SIZE));
      pages += count;
      syncTotal += (first.totalHits ?? first.conversations?.length ?? 0);
      add(first.conversations);
      for (let n = 2; n <= count; n++)
        rest.push(
          api.query(body(chunk, n), signal).then(
            (r) => add(r.conversations),
            (e: unknown) => {
              if (stopped()) throw e;
              fail(intervalOf(chunk), n, e);
            },
          ),
        );
    });
    syncPages += pages;
    emit(true);
    await Promise.all(rest);
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
      data = { ...snapshot(true), phase: 'cancelled' };
      return data;
    }
    if (options.signal?.aborted) throw abortError();
    throw toApiError(e);
  }
  if (options.stopSignal?.aborted && !options.signal?.aborted) return { ...snapshot(true), phase: 'cancelled' };
  if (options.signal?.aborted) throw abortError();
  return { ...snapshot(true), phase: 'done' };
}
