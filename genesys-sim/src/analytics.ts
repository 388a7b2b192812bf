/** Analytics conversation details: query validation, filtering, ordering, paging and async jobs. */
import type { Models } from 'purecloud-platform-client-v2';
import { badRequest, type ApiError } from './errors.ts';
import type { SimConversation, SimOrg } from './model.ts';

const DAY = 86_400_000;
/** The sync details query's largest page when the options do not say (`maxPageSize`). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ApiError };
const fail = <T>(message: string, fieldName?: string): Parsed<T> => ({
  ok: false,
  error: { ...badRequest(message), ...(fieldName ? { details: [{ fieldName, errorCode: 'invalid' }] } : {}) },
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface Interval {
  start: number;
  end: number;
}

export function parseInterval(value: unknown, maxIntervalDays: number): Parsed<Interval> {
  if (typeof value !== 'string' || value === '') return fail('interval is required and must be "<ISO start>/<ISO end>".', 'interval');
  const parts = value.split('/');
  if (parts.length !== 2) return fail(`Invalid interval ${value}; expected "<ISO start>/<ISO end>".`, 'interval');
  const [a = '', b = ''] = parts;
  const isoLike = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
  if (!isoLike.test(a) || !isoLike.test(b)) return fail(`Invalid interval ${value}; both ends must be ISO-8601 date-times with a zone.`, 'interval');
  const start = Date.parse(a);
  const end = Date.parse(b);
  if (Number.isNaN(start) || Number.isNaN(end)) return fail(`Invalid interval ${value}.`, 'interval');
  if (end <= start) return fail(`Invalid interval ${value}; the end must be after the start.`, 'interval');
  if (maxIntervalDays > 0 && end - start > maxIntervalDays * DAY) return fail(`Interval ${value} is longer than ${maxIntervalDays} days.`, 'interval');
  return { ok: true, value: { start, end } };
}

export type Operator = 'matches' | 'exists' | 'notExists';
export interface Predicate {
  dimension: string;
  operator: Operator;
  value?: string;
}
export interface FilterNode {
  type: 'and' | 'or';
  predicates: Predicate[];
  clauses: Array<{ type: 'and' | 'or'; predicates: Predicate[] }>;
}

export const SEGMENT_DIMENSIONS = new Set([
  'purpose',
  'mediaType',
  'queueId',
  'userId',
  'segmentType',
  'wrapUpCode',
  'direction',
  'participantId',
  'sessionId',
  'disconnectType',
  'conversationId',
  'participantName',
  'wrapUpNote',
]);
export const CONVERSATION_DIMENSIONS = new Set(['conversationEnd', 'conversationId', 'originatingDirection', 'divisionId', 'conversationStart']);

function parsePredicates(raw: unknown, dims: Set<string>, where: string): Parsed<Predicate[]> {
  if (raw === undefined) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return fail(`${where}.predicates must be an array.`);
  const out: Predicate[] = [];
  for (const p of raw as unknown[]) {
    if (!isRecord(p)) return fail(`${where}.predicates entries must be objects.`);
    const type = p.type ?? 'dimension';
    if (type !== 'dimension') return fail(`${where}: predicate type ${JSON.stringify(type)} is not supported (only dimension).`);
    if (typeof p.dimension !== 'string' || !dims.has(p.dimension)) return fail(`${where}: unknown dimension ${JSON.stringify(p.dimension)}.`, 'dimension');
    const operator = p.operator ?? 'matches';
    if (operator !== 'matches' && operator !== 'exists' && operator !== 'notExists')
      return fail(`${where}: unsupported operator ${JSON.stringify(operator)}.`, 'operator');
    if (operator === 'matches') {
      if (typeof p.value !== 'string' || p.value === '') return fail(`${where}: a matches predicate on ${p.dimension} needs a value.`, 'value');
      out.push({ dimension: p.dimension, operator, value: p.value });
    } else {
      if (p.value !== undefined && p.value !== null) return fail(`${where}: ${operator} takes no value.`, 'value');
      out.push({ dimension: p.dimension, operator });
    }
  }
  return { ok: true, value: out };
}

const isAndOr = (v: unknown): v is 'and' | 'or' => v === 'and' || v === 'or';

export function parseFilters(raw: unknown, dims: Set<string>, name: string): Parsed<FilterNode[]> {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return fail(`${name} must be an array.`, name);
  const out: FilterNode[] = [];
  for (const [i, f] of (raw as unknown[]).entries()) {
    const where = `${name}[${i}]`;
    if (!isRecord(f)) return fail(`${where} must be an object.`, name);
    if (!isAndOr(f.type)) return fail(`${where}.type must be "and" or "or".`, 'type');
    const preds = parsePredicates(f.predicates, dims, where);
    if (!preds.ok) return preds;
    const clauses: FilterNode['clauses'] = [];
    if (f.clauses !== undefined) {
      if (!Array.isArray(f.clauses)) return fail(`${where}.clauses must be an array.`, 'clauses');
      for (const [j, c] of (f.clauses as unknown[]).entries()) {
        if (!isRecord(c) || !isAndOr(c.type)) return fail(`${where}.clauses[${j}].type must be "and" or "or".`, 'type');
        const cp = parsePredicates(c.predicates, dims, `${where}.clauses[${j}]`);
        if (!cp.ok) return cp;
        if (cp.value.length === 0) return fail(`${where}.clauses[${j}] needs at least one predicate.`, 'predicates');
        clauses.push({ type: c.type, predicates: cp.value });
      }
    }
    if (preds.value.length === 0 && clauses.length === 0) return fail(`${where} needs predicates or clauses.`, 'predicates');
    out.push({ type: f.type, predicates: preds.value, clauses });
  }
  return { ok: true, value: out };
}

export type OrderBy = 'conversationStart' | 'conversationEnd';
export interface ParsedQuery {
  interval: Interval;
  order: 'asc' | 'desc';
  orderBy: OrderBy;
  pageSize: number;
  pageNumber: number;
  conversationFilters: FilterNode[];
  segmentFilters: FilterNode[];
  limit?: number;
}

/** Interval limits of the sync query: with a filter (`maxIntervalDays`) and without any (`maxIntervalDaysUnfiltered`); 0 = unlimited. */
export interface IntervalLimits {
  maxIntervalDays: number;
  maxIntervalDaysUnfiltered: number;
  /** Largest sync page (`SimOptions.maxPageSize`); absent: {@link MAX_PAGE_SIZE}. */
  maxPageSize?: number;
}

/** `limits` as one number: the same limit with and without a filter. */
export function parseQuery(body: unknown, limitsIn: IntervalLimits | number, kind: 'query' | 'job'): Parsed<ParsedQuery> {
  const limits: IntervalLimits = typeof limitsIn === 'number' ? { maxIntervalDays: limitsIn, maxIntervalDaysUnfiltered: limitsIn } : limitsIn;
  const maxPageSize = limits.maxPageSize ?? MAX_PAGE_SIZE;
  if (!isRecord(body)) return fail('The request could not be understood by the server due to malformed syntax.');
  const interval = parseInterval(body.interval, 0);
  if (!interval.ok) return interval;
  const order = body.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') return fail(`order must be asc or desc.`, 'order');
  const orderBy = body.orderBy ?? 'conversationStart';
  if (orderBy !== 'conversationStart' && orderBy !== 'conversationEnd')
    return fail(`orderBy ${JSON.stringify(orderBy)} is not supported (conversationStart, conversationEnd).`, 'orderBy');
  let pageSize = DEFAULT_PAGE_SIZE;
  let pageNumber = 1;
  if (kind === 'query' && body.paging !== undefined) {
    if (!isRecord(body.paging)) return fail('paging must be an object.', 'paging');
    const ps = body.paging.pageSize;
    const pn = body.paging.pageNumber;
    if (ps !== undefined && (typeof ps !== 'number' || !Number.isInteger(ps) || ps < 1)) return fail('paging.pageSize must be a positive integer.', 'pageSize');
    if (typeof ps === 'number' && ps > maxPageSize) return fail(`paging.pageSize must be at most ${maxPageSize}.`, 'pageSize');
    if (pn !== undefined && (typeof pn !== 'number' || !Number.isInteger(pn) || pn < 1))
      return fail('paging.pageNumber must be a positive integer.', 'pageNumber');
    if (typeof ps === 'number') pageSize = ps;
    if (typeof pn === 'number') pageNumber = pn;
  }
  let limit: number | undefined;
  if (kind === 'job' && body.limit !== undefined) {
    if (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 1) return fail('limit must be a positive integer.', 'limit');
    limit = body.limit;
  }
  const cf = parseFilters(body.conversationFilters, CONVERSATION_DIMENSIONS, 'conversationFilters');
  if (!cf.ok) return cf;
  const sf = parseFilters(body.segmentFilters, SEGMENT_DIMENSIONS, 'segmentFilters');
  if (!sf.ok) return sf;
  if (kind === 'query') {
    // parseFilters refuses filters without predicates or clauses, so "no filter" = both arrays empty.
    const filtered = cf.value.length > 0 || sf.value.length > 0;
    const max = filtered ? limits.maxIntervalDays : limits.maxIntervalDaysUnfiltered;
    const length = interval.value.end - interval.value.start;
    if (max > 0 && length > max * DAY) {
      const message = filtered
        ? `Interval ${String(body.interval)} is longer than ${max} days.`
        : `Interval ${String(body.interval)} is longer than ${max} days; a query without a filter may span at most ${max} days.`;
      return fail(message, 'interval');
    }
  }
  return {
    ok: true,
    value: {
      interval: interval.value,
      order,
      orderBy,
      pageSize,
      pageNumber,
      conversationFilters: cf.value,
      segmentFilters: sf.value,
      ...(limit !== undefined ? { limit } : {}),
    },
  };
}

// --- evaluation -------------------------------------------------------------------------------

type Lookup = (dimension: string) => string | readonly string[] | undefined;

function testPredicate(p: Predicate, lookup: Lookup): boolean {
  const v = lookup(p.dimension);
  const present = Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '';
  switch (p.operator) {
    case 'exists':
      return present;
    case 'notExists':
      return !present;
    case 'matches':
      if (!present) return false;
      return Array.isArray(v) ? v.includes(p.value ?? '') : v === p.value;
  }
}

function combine(type: 'and' | 'or', results: Iterable<boolean>): boolean {
  if (type === 'and') {
    for (const r of results) if (!r) return false;
    return true;
  }
  for (const r of results) if (r) return true;
  return false;
}

function* nodeResults(f: FilterNode, lookup: Lookup): Generator<boolean> {
  for (const p of f.predicates) yield testPredicate(p, lookup);
  for (const c of f.clauses)
    yield combine(
      c.type,
      (function* () {
        for (const p of c.predicates) yield testPredicate(p, lookup);
      })(),
    );
}

export function matchesFilter(f: FilterNode, lookup: Lookup): boolean {
  return combine(f.type, nodeResults(f, lookup));
}

/** Does the analytics view of a conversation satisfy all conversation and segment filters? */
export function conversationMatches(view: Models.AnalyticsConversation, q: Pick<ParsedQuery, 'conversationFilters' | 'segmentFilters'>): boolean {
  for (const f of q.conversationFilters) {
    const lookup: Lookup = (d) => {
      switch (d) {
        case 'conversationEnd':
          return view.conversationEnd;
        case 'conversationStart':
          return view.conversationStart;
        case 'conversationId':
          return view.conversationId;
        case 'originatingDirection':
          return view.originatingDirection;
        case 'divisionId':
          return view.divisionIds ?? [];
        default:
          return undefined;
      }
    };
    if (!matchesFilter(f, lookup)) return false;
  }
  for (const f of q.segmentFilters) {
    let any = false;
    outer: for (const p of view.participants ?? []) {
      for (const s of p.sessions ?? []) {
        for (const seg of s.segments ?? []) {
          const lookup: Lookup = (d) => {
            switch (d) {
              case 'purpose':
                return p.purpose;
              case 'userId':
                return p.userId;
              case 'participantId':
                return p.participantId;
              case 'participantName':
                return p.participantName;
              case 'mediaType':
                return s.mediaType;
              case 'direction':
                return s.direction;
              case 'sessionId':
                return s.sessionId;
              case 'segmentType':
                return seg.segmentType;
              case 'queueId':
                return seg.queueId;
              case 'wrapUpCode':
                return seg.wrapUpCode;
              case 'wrapUpNote':
                return seg.wrapUpNote;
              case 'disconnectType':
                return seg.disconnectType;
              case 'conversationId':
                return view.conversationId;
              default:
                return undefined;
            }
          };
          if (matchesFilter(f, lookup)) {
            any = true;
            break outer;
          }
        }
      }
    }
    if (!any) return false;
  }
  return true;
}

/** Index of the first conversation with start >= t (conversations are sorted by start). */
export function lowerBound(list: readonly SimConversation[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = list[mid];
    if (c && c.start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Which conversations an interval selects:
 * - `exact`: conversationStart in [start, end);
 * - `day`: conversationStart on any UTC day the interval touches (the sync query, §8 row 2);
 * - `activity`: any activity in the interval: started before its end and not ended before its start
 *   (async jobs, §8 row 3).
 */
export type IntervalSelection = 'exact' | 'day' | 'activity';

/** Start-of-UTC-day range covering every day [start, end) touches. */
export function utcDayRange(iv: Interval): Interval {
  const start = Math.floor(iv.start / DAY) * DAY;
  const end = Math.floor((iv.end - 1) / DAY) * DAY + DAY;
  return { start, end };
}

/**
 * Filter results per analytics view object and filter set. A view is never changed once rendered
 * (a write or the analytics lag renders a new one: `SimState.analyticsView`), so its match with a
 * given filter set never changes either. Without this memo every page of a 100,000-conversation day
 * re-ran the filters over the whole day (about a second per page); with it a page costs a lookup
 * per conversation.
 */
const matchMemo = new WeakMap<object, Map<string, boolean>>();

function memoMatches(view: Models.AnalyticsConversation, q: Pick<ParsedQuery, 'conversationFilters' | 'segmentFilters'>, key: string): boolean {
  let byFilter = matchMemo.get(view);
  if (!byFilter) {
    byFilter = new Map();
    matchMemo.set(view, byFilter);
  }
  let hit = byFilter.get(key);
  if (hit === undefined) {
    hit = conversationMatches(view, q);
    byFilter.set(key, hit);
  }
  return hit;
}

/** All conversations matching the query, selected by interval as `selection` says, ordered as asked. */
export function findConversations(
  org: SimOrg,
  q: ParsedQuery,
  view: (c: SimConversation) => Models.AnalyticsConversation,
  availableUntil = Number.POSITIVE_INFINITY,
  selection: IntervalSelection = 'exact',
): SimConversation[] {
  const list = org.conversations;
  const range = selection === 'day' ? utcDayRange(q.interval) : q.interval;
  // Activity: a conversation that started before the interval counts while it had not ended by its start.
  const from = selection === 'activity' ? 0 : lowerBound(list, range.start);
  const to = lowerBound(list, Math.min(range.end, availableUntil));
  const out: SimConversation[] = [];
  const filterKey = JSON.stringify([q.conversationFilters, q.segmentFilters]);
  for (let i = from; i < to; i++) {
    const c = list[i];
    if (!c) continue;
    if (selection === 'activity' && c.start < range.start && c.end !== undefined && c.end < range.start) continue;
    if (memoMatches(view(c), q, filterKey)) out.push(c);
  }
  if (q.orderBy === 'conversationEnd') {
    out.sort((a, b) => (a.end ?? Number.POSITIVE_INFINITY) - (b.end ?? Number.POSITIVE_INFINITY) || a.start - b.start);
  }
  if (q.order === 'desc') out.reverse();
  return q.limit !== undefined ? out.slice(0, q.limit) : out;
}

// --- async jobs --------------------------------------------------------------------------------

export interface DetailsJob {
  id: string;
  ownerUserId: string;
  submittedAt: number;
  ids: string[];
  dataAvailabilityDate: number;
}

export function jobState(job: DetailsJob, now: number, delayMs: number): 'QUEUED' | 'PENDING' | 'FULFILLED' {
  const age = now - job.submittedAt;
  if (age >= delayMs) return 'FULFILLED';
  return age < delayMs / 2 ? 'QUEUED' : 'PENDING';
}

export function jobStatus(job: DetailsJob, now: number, delayMs: number): Models.AsyncQueryStatus {
  const state = jobState(job, now, delayMs);
  return {
    state,
    submissionDate: new Date(job.submittedAt).toISOString(),
    expirationDate: new Date(job.submittedAt + DAY).toISOString(),
    ...(state === 'FULFILLED' ? { completionDate: new Date(job.submittedAt + delayMs).toISOString() } : {}),
  };
}

export const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');
export function decodeCursor(cursor: string): number | null {
  const s = Buffer.from(cursor, 'base64url').toString();
  const m = /^o:(\d+)$/.exec(s);
  return m?.[1] ? Number(m[1]) : null;
}

/** The platform's data availability for jobs: the start of the previous full hour. */
export function dataAvailabilityDate(now: number): number {
  const hour = 3_600_000;
  return Math.floor(now / hour) * hour - hour;
}
