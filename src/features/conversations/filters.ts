/**
 * The worklist's filters, kept in the URL (house style 4): parsed with defaults, anything malformed
 * turned into the default, so a hand-edited or stale link still opens a worklist. By the readers of
 * lib/search-params.ts rather than a zod schema: the router checks the URL on the sign-in page too,
 * which loads no zod (issue 17).
 *
 * Server-side inputs (interval, media, queue, agent, direction) go into the query key; the wrap-up
 * status, the sort and the open conversation are applied in the browser and never refetch.
 */
import { bool, oneOf, searchRecord, text, withoutUndefined } from '@/lib/search-params.ts';

export const RANGE_PRESETS = ['last4h', 'today', 'yesterday', 'last7d', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const MEDIA_TYPES = ['voice', 'callback', 'email', 'message', 'chat'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const STATUS_FILTERS = ['missing', 'system', 'coded', 'any'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const SORT_COLUMNS = ['start', 'duration', 'media', 'direction', 'queue', 'agents', 'wrapup'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** Longest "Find agent" text kept in the URL. */
export const FIND_MAX_LENGTH = 100;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const ID = /^[A-Za-z0-9-]{1,64}$/;

const instant = (v: unknown) => {
  const s = text(v, { pattern: ISO_INSTANT });
  return s !== undefined && !Number.isNaN(Date.parse(s)) ? s : undefined;
};
const id = (v: unknown) => text(v, { pattern: ID });

export const DEFAULT_FILTERS = {
  range: 'today',
  status: 'missing',
  sort: 'start',
  desc: true,
} as const;

export interface WorklistSearch {
  range: RangePreset;
  /** Custom range only: ISO instants with an offset (start inclusive, end exclusive). */
  from?: string;
  to?: string;
  media?: MediaType;
  queue?: string;
  agent?: string;
  direction?: Direction;
  /** "Find agent": text every word of which must be in an agent's name or email (applied in the browser). */
  find?: string;
  status: StatusFilter;
  sort: SortColumn;
  desc: boolean;
  /** The conversation shown in the detail panel. */
  open?: string;
}

/** The router's `validateSearch` (keys in the URL's usual order; absent optional keys stay absent). */
export function parseWorklistSearch(raw: unknown): WorklistSearch {
  const s = searchRecord(raw);
  return withoutUndefined({
    range: oneOf(RANGE_PRESETS, s.range) ?? DEFAULT_FILTERS.range,
    from: instant(s.from),
    to: instant(s.to),
    media: oneOf(MEDIA_TYPES, s.media),
    queue: id(s.queue),
    agent: id(s.agent),
    direction: oneOf(DIRECTIONS, s.direction),
    // Not trimmed: the field shows what was typed ("ben " on the way to "ben k").
    find: text(s.find, { min: 1, max: FIND_MAX_LENGTH }),
    status: oneOf(STATUS_FILTERS, s.status) ?? DEFAULT_FILTERS.status,
    sort: oneOf(SORT_COLUMNS, s.sort) ?? DEFAULT_FILTERS.sort,
    desc: bool(s.desc) ?? DEFAULT_FILTERS.desc,
    open: id(s.open),
  });
}

/** zod's calling convention (`.parse`), as the tests and callers used it. */
export const worklistSearchSchema = { parse: parseWorklistSearch };

/** Defaults are left out of the URL (`stripSearchParams`), so a plain /conversations is the default view. */
export const WORKLIST_DEFAULTS: Pick<WorklistSearch, 'range' | 'status' | 'sort' | 'desc'> = { ...DEFAULT_FILTERS };

export interface Interval {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Offset of `timeZone` from UTC at `at`, in ms (positive east of Greenwich). */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** Midnight of the day containing `at` in `timeZone` (DST-safe: the offset is taken at that midnight). */
export function startOfDay(at: number, timeZone: string): number {
  const offset = zoneOffset(at, timeZone);
  const local = at + offset;
  const localMidnight = local - (((local % DAY) + DAY) % DAY);
  const guess = localMidnight - offset;
  return localMidnight - zoneOffset(guess, timeZone);
}

/**
 * What is wrong with a custom range, if anything: `incomplete` (a start or an end is missing, e.g. a
 * hand-edited link) or `reversed` (the end is not after the start; the end is exclusive, so an equal
 * end is an empty range). The worklist refuses such a range where it is typed and loads nothing for
 * it: no list is shown rather than an older one that would look like the answer (issue 16 item 4).
 */
export type RangeProblem = 'incomplete' | 'reversed';

export function customRangeProblem(search: Pick<WorklistSearch, 'range' | 'from' | 'to'>): RangeProblem | null {
  if (search.range !== 'custom') return null;
  const start = search.from ? Date.parse(search.from) : NaN;
  const end = search.to ? Date.parse(search.to) : NaN;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return 'incomplete';
  return end > start ? null : 'reversed';
}

/**
 * The interval a filter stands for at `now` in the user's zone. Relative presets are resolved to
 * the minute (so one render and the next share a query key); custom ranges are taken as given. An
 * incomplete or reversed custom range (see `customRangeProblem`: the page loads nothing for it)
 * resolves to today, so the function stays total.
 */
export function resolveInterval(search: Pick<WorklistSearch, 'range' | 'from' | 'to'>, now: number, timeZone: string): Interval {
  const minute = Math.ceil(now / 60_000) * 60_000;
  const today = startOfDay(now, timeZone);
  switch (search.range) {
    case 'last4h':
      return { start: minute - 4 * HOUR, end: minute };
    case 'yesterday':
      return { start: startOfDay(today - HOUR, timeZone), end: today };
    case 'last7d':
      return { start: minute - 7 * DAY, end: minute };
    case 'custom': {
      const start = search.from ? Date.parse(search.from) : NaN;
      const end = search.to ? Date.parse(search.to) : NaN;
      if (Number.isFinite(start) && Number.isFinite(end) && end > start) return { start, end };
      return { start: today, end: minute };
    }
    case 'today':
      return { start: today, end: minute };
  }
}

/** `<ISO start>/<ISO end>` as the analytics API wants it. */
export function intervalString(i: Interval): string {
  return `${new Date(i.start).toISOString()}/${new Date(i.end).toISOString()}`;
}

/** The server-side part of the filters: exactly what the loader uses, so exactly the query key. */
export interface ListParams {
  interval: string;
  media: MediaType | null;
  queue: string | null;
  agent: string | null;
  direction: Direction | null;
}

export function listParams(search: WorklistSearch, interval: Interval): ListParams {
  return {
    interval: intervalString(interval),
    media: search.media ?? null,
    queue: search.queue ?? null,
    agent: search.agent ?? null,
    direction: search.direction ?? null,
  };
}
