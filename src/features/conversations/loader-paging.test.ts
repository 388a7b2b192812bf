/**
 * The loader's cheapest paths (issue 17 item 2), against a fake platform that honours `order`,
 * `paging.pageSize` (up to a limit, refusing or silently capping beyond it) and the day semantics
 * of the synchronous query (docs/genesys-platform.md §8 row 2).
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import type { ListParams } from './filters.ts';
import { EMIT_EVERY_MS, EMIT_ROWS_PER_MS, LARGE_PAGE_SIZE, PAGE_SIZE, loadWorklist, type LoaderApi, type PageSizeMemory, type WorklistData } from './loader.ts';

type Conversation = Models.AnalyticsConversationWithoutAttributes;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D0 = Date.parse('2025-03-01T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

/** n conversations evenly spread over [start, end), each with one agent participant. */
function conversationsIn(n: number, start: number, end: number, prefix = 'c'): Conversation[] {
  return Array.from({ length: n }, (_, i) => {
    const t = start + Math.floor(((end - start) * i) / n);
    return {
      conversationId: `${prefix}-${i}`,
      conversationStart: iso(t),
      conversationEnd: iso(t + 60_000),
      originatingDirection: 'inbound',
      participants: [
        {
          participantId: `p-${i}`,
          purpose: 'agent',
          userId: 'u1',
          sessions: [{ sessionId: `s-${i}`, mediaType: 'voice', segments: [{ segmentType: 'interact' }] }],
        },
      ],
    };
  });
}

interface PlatformOptions {
  conversations: Conversation[];
  now: number;
  /** Largest page served; larger → 400 (unless `silentCap`). */
  maxPageSize?: number;
  /** Over `maxPageSize`: serve that many rows instead of refusing (offsets computed at the served size). */
  silentCap?: boolean;
  /** Jobs cover conversations that started before this; none when absent. */
  availableUntil?: number;
  /** Longest accepted interval in days (400 about the interval over it). */
  maxDays?: number;
  /** Called before each query is answered: may add conversations (arrivals while paging). */
  beforeAnswer?: (all: Conversation[]) => void;
}

const startOf = (c: Conversation) => Date.parse(c.conversationStart!);

function fakePlatform(o: PlatformOptions) {
  const queries: Models.ConversationQuery[] = [];
  const calls: string[] = [];
  let jobIds: string[] = [];
  const api: LoaderApi = {
    query(body) {
      queries.push(body);
      calls.push('query');
      const asked = body.paging?.pageSize ?? 25;
      const max = o.maxPageSize ?? 100;
      if (asked > max && !o.silentCap)
        return Promise.reject(
          new ApiError({
            kind: 'http',
            status: 400,
            code: 'bad.request',
            message: `paging.pageSize must be at most ${max}.`,
            details: [{ fieldName: 'pageSize' }],
          }),
        );
      const [a, b] = body.interval.split('/').map(Date.parse) as [number, number];
      if (o.maxDays !== undefined && b - a > o.maxDays * DAY)
        return Promise.reject(
          new ApiError({ kind: 'http', status: 400, code: 'bad.request', message: `Interval ${body.interval} is longer than ${o.maxDays} days.` }),
        );
      o.beforeAnswer?.(o.conversations);
      // Day semantics: every conversation that started on a UTC day the interval touches.
      const from = Math.floor(a / DAY) * DAY;
      const to = Math.ceil(b / DAY) * DAY;
      const found = o.conversations
        .filter((c) => startOf(c) >= from && startOf(c) < to)
        .sort((x, y) => startOf(x) - startOf(y) || x.conversationId!.localeCompare(y.conversationId!));
      if (body.order === 'desc') found.reverse();
      if (found.length === 0) return Promise.resolve({});
      const size = Math.min(asked, max);
      const page = body.paging?.pageNumber ?? 1;
      return Promise.resolve({ totalHits: found.length, conversations: found.slice((page - 1) * size, page * size) });
    },
    availability() {
      calls.push('availability');
      return Promise.resolve(o.availableUntil === undefined ? {} : { dataAvailabilityDate: iso(o.availableUntil) });
    },
    createJob(body) {
      calls.push('createJob');
      const [a, b] = body.interval.split('/').map(Date.parse) as [number, number];
      const until = Math.min(b, o.availableUntil ?? -Infinity);
      // Activity semantics: started before the end, not ended before the start.
      jobIds = o.conversations.filter((c) => startOf(c) < until && Date.parse(c.conversationEnd!) >= a).map((c) => c.conversationId!);
      return Promise.resolve({ jobId: 'job-1' });
    },
    getJob() {
      calls.push('getJob');
      return Promise.resolve({ state: 'FULFILLED' });
    },
    jobResults(_id, cursor) {
      calls.push('jobResults');
      const offset = cursor ? Number(cursor) : 0;
      const ids = new Set(jobIds.slice(offset, offset + 1000));
      return Promise.resolve({
        conversations: o.conversations.filter((c) => ids.has(c.conversationId!)),
        ...(offset + 1000 < jobIds.length ? { cursor: String(offset + 1000) } : {}),
      });
    },
    sleep: () => Promise.resolve(),
    now: () => o.now,
  };
  return { api, queries, calls };
}

const params = (start: number, end: number): ListParams => ({ interval: `${iso(start)}/${iso(end)}`, media: null, queue: null, agent: null, direction: null });
const inside = (all: Conversation[], start: number, end: number) => all.filter((c) => startOf(c) >= start && startOf(c) < end).map((c) => c.conversationId!);

describe('a day of conversations: the part after dataAvailabilityDate', () => {
  it('is paged on its own: descending from now to the job boundary, not through the day the job already read', async () => {
    const now = D0 + DAY + 14.5 * HOUR; // 14:30 UTC, the window crosses midnight
    const window = { start: now - DAY, end: now };
    const all = conversationsIn(20_000, window.start, window.end);
    const availableUntil = D0 + DAY + 13 * HOUR; // the start of the previous hour
    const { api, queries, calls } = fakePlatform({ conversations: all, now, availableUntil });
    const result = await loadWorklist(params(window.start, window.end), { api });

    expect(result).toMatchObject({ phase: 'done', loaded: 20_000, mode: 'mixed', failures: [] });
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(20_000);
    const tail = queries.filter((q) => q.interval.startsWith(iso(availableUntil)));
    expect(tail.every((q) => q.order === 'desc')).toBe(true);
    // 1,250 conversations after 13:00: 13 pages of 100 (the first page past 13:00 ends it). Paging
    // today's UTC day from midnight (before) took 146.
    const tailRows = inside(all, availableUntil, now).length;
    expect(tail.length).toBeLessThanOrEqual(Math.ceil(tailRows / PAGE_SIZE) + 1);
    // Everything else: one first page to count, the availability, the job and its result pages (1,000 each).
    const jobPages = Math.ceil(inside(all, window.start, availableUntil).length / 1000);
    expect(jobPages).toBe(19);
    expect(calls.filter((c) => c !== 'query')).toEqual(['availability', 'createJob', 'getJob', ...Array<string>(jobPages).fill('jobResults')]);
    expect(queries.length).toBe(tail.length + 1);
  });
});

describe('order: the one that reaches the chunk first', () => {
  it('"last 4 hours" on a busy day: descending from now, no search through the morning, no row lost while conversations arrive', async () => {
    const now = D0 + 15 * HOUR;
    const window = { start: now - 4 * HOUR, end: now };
    const all = conversationsIn(1800, D0, now); // one every 30 s since midnight
    const expected = inside(all, window.start, window.end);
    let n = 0;
    const { api, queries } = fakePlatform({
      conversations: [...all],
      now,
      beforeAnswer: (list) => {
        // Arrivals while paging: new conversations at the front of the descending order, and one
        // indexed late inside the window; each moves every row behind it one place later.
        n++;
        list.push(...conversationsIn(2, now - 1000 + n * 10, now - 999 + n * 10, `new-${n}`));
        list.push(...conversationsIn(1, window.start + n * 60_000 + 7, window.start + n * 60_000 + 8, `late-${n}`));
      },
    });
    const result = await loadWorklist(params(window.start, window.end), { api });
    const ids = result.rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of expected) expect(ids).toContain(id);
    expect(result.rows.every((r) => r.start >= window.start && r.start < window.end)).toBe(true);
    expect(queries.every((q) => q.order === 'desc')).toBe(true);
    // 480 rows in the window (+ arrivals): about 5 pages; ascending would first search the morning.
    expect(queries.length).toBeLessThanOrEqual(7);
  });

  it('a window starting at a UTC midnight keeps the ascending order', async () => {
    const { api, queries } = fakePlatform({ conversations: conversationsIn(250, D0, D0 + DAY), now: D0 + 2 * DAY });
    const result = await loadWorklist(params(D0, D0 + DAY), { api });
    expect(result.loaded).toBe(250);
    expect(queries.map((q) => [q.order, q.paging?.pageNumber])).toEqual([
      ['asc', 1],
      ['asc', 2],
      ['asc', 3],
    ]);
  });

  it('a window ending mid-day in the past ("yesterday" east of UTC) pages ascending and skips the rows before it by search', async () => {
    const all = conversationsIn(2400, D0, D0 + DAY); // one every 36 s
    const window = { start: D0 + 13 * HOUR, end: D0 + 17 * HOUR };
    const { api, queries } = fakePlatform({ conversations: all, now: D0 + 3 * DAY });
    const result = await loadWorklist(params(window.start, window.end), { api });
    expect(result.rows.map((r) => r.id).sort()).toEqual(inside(all, window.start, window.end).sort());
    expect(queries.every((q) => q.order === 'asc')).toBe(true);
    // 24 pages in the day, 4 of them in the window: the search (about log2 24) plus the window's pages.
    expect(queries.length).toBeLessThan(12);
  });

  it('a platform that serves ascending when descending was asked is paged in the order it served', async () => {
    const now = D0 + 15 * HOUR;
    const all = conversationsIn(900, D0, now);
    const { api, queries } = fakePlatform({ conversations: all, now });
    const query = api.query.bind(api);
    api.query = (body, signal) => query({ ...body, order: 'asc' }, signal);
    const result = await loadWorklist(params(now - 4 * HOUR, now), { api });
    expect(result.rows.map((r) => r.id).sort()).toEqual(inside(all, now - 4 * HOUR, now).sort());
    expect(queries[0]?.order).toBe('asc'); // what the fake answered with (the loader asked desc)
  });
});

describe('page size: 200 where the platform serves it', () => {
  const now = D0 + 2 * DAY;
  const all = conversationsIn(1050, D0, D0 + DAY);

  it('without a memory: always 100', async () => {
    const { api, queries } = fakePlatform({ conversations: all, now, maxPageSize: 200 });
    await loadWorklist(params(D0, D0 + DAY), { api });
    expect(new Set(queries.map((q) => q.paging?.pageSize))).toEqual(new Set([PAGE_SIZE]));
  });

  it('served: more than 100 rows prove it, every page is 200 and the memory keeps it for the next load', async () => {
    const memory: PageSizeMemory = { size: null };
    const { api, queries } = fakePlatform({ conversations: all, now, maxPageSize: 200 });
    const result = await loadWorklist(params(D0, D0 + DAY), { api, pageSize: memory });
    expect(result.loaded).toBe(1050);
    expect(queries.map((q) => q.paging?.pageSize)).toEqual(Array<number>(6).fill(LARGE_PAGE_SIZE));
    expect(memory.size).toBe(LARGE_PAGE_SIZE);
  });

  it('refused (400): the same page again at 100, remembered, so the next load asks 100 at once', async () => {
    const memory: PageSizeMemory = { size: null };
    const first = fakePlatform({ conversations: all, now, maxPageSize: 100 });
    const result = await loadWorklist(params(D0, D0 + DAY), { api: first.api, pageSize: memory });
    expect(result).toMatchObject({ loaded: 1050, failures: [] });
    expect(first.queries.map((q) => [q.paging?.pageSize, q.paging?.pageNumber]).slice(0, 3)).toEqual([
      [200, 1],
      [100, 1],
      [100, 2],
    ]);
    expect(memory.size).toBe(PAGE_SIZE);
    const second = fakePlatform({ conversations: all, now, maxPageSize: 100 });
    await loadWorklist(params(D0, D0 + DAY), { api: second.api, pageSize: memory });
    expect(new Set(second.queries.map((q) => q.paging?.pageSize))).toEqual(new Set([PAGE_SIZE]));
  });

  it('a platform that serves 100 rows for 200 asked: pages on at 100 from page 2, no row skipped, nothing learned', async () => {
    const memory: PageSizeMemory = { size: null };
    const { api, queries } = fakePlatform({ conversations: all, now, maxPageSize: 100, silentCap: true });
    const result = await loadWorklist(params(D0, D0 + DAY), { api, pageSize: memory });
    expect(result.loaded).toBe(1050);
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(1050);
    expect(queries.map((q) => q.paging?.pageSize)).toEqual([200, ...Array<number>(10).fill(100)]);
    expect(memory.size).toBeNull();
  });

  it('a remembered 200 that is refused later falls back to 100 instead of failing the load', async () => {
    const memory: PageSizeMemory = { size: LARGE_PAGE_SIZE };
    const { api } = fakePlatform({ conversations: all, now, maxPageSize: 100 });
    const result = await loadWorklist(params(D0, D0 + DAY), { api, pageSize: memory });
    expect(result).toMatchObject({ loaded: 1050, failures: [] });
    expect(memory.size).toBe(PAGE_SIZE);
  });

  it('a 400 about the interval is not taken for a page-size refusal: the chunk is split, the memory unchanged', async () => {
    const memory: PageSizeMemory = { size: null };
    const long = conversationsIn(300, D0, D0 + 40 * DAY);
    const { api, queries } = fakePlatform({ conversations: long, now: D0 + 41 * DAY, maxPageSize: 200, maxDays: 20 });
    const result = await loadWorklist(params(D0, D0 + 40 * DAY), { api, pageSize: memory });
    expect(result).toMatchObject({ loaded: 300, failures: [] });
    expect(queries.every((q) => q.paging?.pageSize === LARGE_PAGE_SIZE)).toBe(true);
    // Not 100: the refusals were about the interval; the halves' first pages (150 rows each) proved 200.
    expect(memory.size).toBe(LARGE_PAGE_SIZE);
  });
});

describe('progress snapshots', () => {
  it('come at most every 250 ms, and less often as rows grow (each costs the page a pass over every row)', async () => {
    let clock = D0;
    // 16,000 rows keep the test light on a loaded machine and still reach the growing interval (> 10,000).
    const all = conversationsIn(16_000, D0, D0 + DAY); // no job data: all of it by the synchronous query
    const { api } = fakePlatform({ conversations: all, now: D0 + 2 * DAY });
    api.now = () => (clock += 20); // 20 ms of page time per look at the clock
    const updates: { at: number; rows: number }[] = [];
    const onUpdate = (d: WorklistData) => updates.push({ at: clock, rows: d.rows.length });
    const result = await loadWorklist(params(D0, D0 + DAY), { api, onUpdate });
    expect(result.loaded).toBe(16_000);
    const gaps = updates.slice(1).map((u, i) => ({ gap: u.at - updates[i]!.at, rows: u.rows }));
    // Forced snapshots (phase changes) aside, each waits for the larger of 250 ms and rows / 40 ms.
    for (const g of gaps.filter((x) => x.rows > 1_000)) expect(g.gap).toBeGreaterThanOrEqual(EMIT_EVERY_MS);
    const late = gaps.filter((g) => g.rows > 12_000);
    expect(late.length).toBeGreaterThan(0);
    for (const g of late) expect(g.gap).toBeGreaterThanOrEqual(12_000 / EMIT_ROWS_PER_MS);
    expect(updates.length).toBeLessThan(60); // 160 pages: not one snapshot per page
  });
});
