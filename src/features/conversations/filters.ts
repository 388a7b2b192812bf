/**
 * The worklist's filters, kept in the URL (house style 4): parsed by a zod schema whose `.catch()`
 * turns anything malformed into the default, so a hand-edited or stale link still opens a worklist.
 *
 * Server-side inputs (interval, media, queue, agent, direction) go into the query key; the wrap-up
 * status, the sort and the open conversation are applied in the browser and never refetch.
 */
import { z } from '@/lib/zod.ts';

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

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const ID = /^[A-Za-z0-9-]{1,64}$/;

const instant = z
  .string()
  .regex(ISO_INSTANT)
  .refine((s) => !Number.isNaN(Date.parse(s)))
  .optional()
  .catch(undefined);
const id = z.string().regex(ID).optional().catch(undefined);

export const DEFAULT_FILTERS = {
  range: 'today',
  status: 'missing',
  sort: 'start',
  desc: true,
} as const;

export const worklistSearchSchema = z.object({
  range: z.enum(RANGE_PRESETS).default(DEFAULT_FILTERS.range).catch(DEFAULT_FILTERS.range),
  /** Custom range only: ISO instants with an offset (start inclusive, end exclusive). */
  from: instant,
  to: instant,
  media: z.enum(MEDIA_TYPES).optional().catch(undefined),
  queue: id,
  agent: id,
  direction: z.enum(DIRECTIONS).optional().catch(undefined),
  status: z.enum(STATUS_FILTERS).default(DEFAULT_FILTERS.status).catch(DEFAULT_FILTERS.status),
  sort: z.enum(SORT_COLUMNS).default(DEFAULT_FILTERS.sort).catch(DEFAULT_FILTERS.sort),
  desc: z.boolean().default(DEFAULT_FILTERS.desc).catch(DEFAULT_FILTERS.desc),
  /** The conversation shown in the detail panel. */
  open: id,
});

export type WorklistSearch = z.output<typeof worklistSearchSchema>;

/** Defaults are left out of the URL (`stripSearchParams`), so a plain /conversations is the default view. */
export const WORKLIST_DEFAULTS: Pick<WorklistSearch, 'range' | 'status' | 'sort' | 'desc'> = { ...DEFAULT_FILTERS };

export function parseWorklistSearch(raw: unknown): WorklistSearch {
  return worklistSearchSchema.parse(raw ?? {});
}

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
 * The interval a filter stands for at `now` in the user's zone. Relative presets are resolved to
 * the minute (so one render and the next share a query key); custom ranges are taken as given, and
 * an incomplete or reversed custom range falls back to today.
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
