import type { Models } from '@/lib/genesys/sdk.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import type { ListParams } from './filters.ts';
import {
  PAGE_SIZE,
  halve,
  isIntervalTooLong,
  loadWorklist,
  maxIntervalDays,
  queryFilters,
  splitInterval,
  type LoaderApi,
  type WorklistData,
} from './loader.ts';

const START = Date.parse('2025-03-01T00:00:00Z');
const DAY = 86_400_000;

/** n fake conversations spread over [start, end), each with one agent participant missing a wrap-up. */
function fakeConversations(n: number, start: number, end: number): Models.AnalyticsConversationWithoutAttributes[] {
  return Array.from({ length: n }, (_, i) => {
    const t = start + Math.floor(((end - start) * i) / n);
    return {
      conversationId: `c-${t}-${i}`,
      conversationStart: new Date(t).toISOString(),
      conversationEnd: new Date(t + 60_000).toISOString(),
      originatingDirection: 'inbound',
      participants: [
        {
          participantId: `p-${i}`,
          purpose: 'agent',
          userId: 'u1',
          sessions: [
            {
              sessionId: `s-${i}`,
              mediaType: 'voice',
              segments: [{ segmentType: 'interact', segmentStart: new Date(t).toISOString(), segmentEnd: new Date(t + 60_000).toISOString() }],
            },
          ],
        },
      ],
    };
  });
}

interface FakeOptions {
  conversations: Models.AnalyticsConversationWithoutAttributes[];
  failPages?: Set<number>;
  availableUntil?: number;
  jobPageSize?: number;
  /** 'day': the platform's rule, every conversation that started on a UTC day the interval touches. */
  semantics?: 'day' | 'exact';
  /** Longest accepted interval in days (400 over it). */
  maxDays?: number;
  /** Called before each query is answered: may add conversations (drift). */
  beforeAnswer?: (conversations: Models.AnalyticsConversationWithoutAttributes[]) => void;
}

function fakeApi(o: FakeOptions) {
  const calls: { kind: string; body?: Models.ConversationQuery; page?: number; cursor?: string; jobId?: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let jobIds: string[] = [];
  let jobPolls = 0;
  const inInterval = (interval: string) => {
    let [a, b] = interval.split('/').map((s) => Date.parse(s)) as [number, number];
    if (o.semantics === 'day') {
      a = Math.floor(a / DAY) * DAY;
      b = Math.ceil(b / DAY) * DAY;
    }
    return o.conversations
      .filter((c) => {
        const t = Date.parse(c.conversationStart!);
        return t >= a && t < b;
      })
      .sort((x, y) => Date.parse(x.conversationStart!) - Date.parse(y.conversationStart!));
  };
  const api: LoaderApi = {
    async query(body) {
      calls.push({ kind: 'query', body, page: body.paging?.pageNumber });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Answers out of order when several are in flight (a later page may be answered first).
      const page0 = body.paging?.pageNumber ?? 1;
      for (let i = 0; i < 2 + ((7 * page0) % 5); i++) await Promise.resolve();
      inFlight--;
      const page = body.paging?.pageNumber ?? 1;
      if (o.failPages?.has(page)) throw new ApiError({ kind: 'http', status: 503, code: 'service.unavailable', message: 'down', contextId: `ctx-${page}` });
      const [a, b] = body.interval.split('/').map((x) => Date.parse(x)) as [number, number];
      if (o.maxDays !== undefined && b - a > o.maxDays * DAY)
        throw new ApiError({ kind: 'http', status: 400, code: 'bad.request', message: `Interval ${body.interval} is longer than ${o.maxDays} days.` });
      o.beforeAnswer?.(o.conversations);
      const found = inInterval(body.interval);
      if (found.length === 0) return {};
      return { totalHits: found.length, conversations: found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) };
    },
    availability() {
      calls.push({ kind: 'availability' });
      return Promise.resolve({ dataAvailabilityDate: new Date(o.availableUntil ?? START).toISOString() });
    },
    createJob(body) {
      calls.push({ kind: 'createJob', body });
      jobIds = inInterval(body.interval).map((c) => c.conversationId!);
      return Promise.resolve({ jobId: 'job-1' });
    },
    deleteJob(jobId) {
      calls.push({ kind: 'deleteJob', jobId });
      return Promise.resolve();
    },
    getJob() {
      calls.push({ kind: 'getJob' });
      jobPolls++;
      return Promise.resolve({ state: jobPolls < 2 ? 'PENDING' : 'FULFILLED' });
    },
    jobResults(_id, cursor) {
      calls.push({ kind: 'jobResults', cursor });
      const size = o.jobPageSize ?? 1000;
      const offset = cursor ? Number(cursor) : 0;
      const slice = new Set(jobIds.slice(offset, offset + size));
      const conversations = o.conversations.filter((c) => slice.has(c.conversationId!));
      return Promise.resolve({ conversations, ...(offset + size < jobIds.length ? { cursor: String(offset + size) } : {}) });
    },
    sleep: () => Promise.resolve(),
    now: () => 0,
  };
  return { api, calls, maxInFlight: () => maxInFlight };
}

const params = (start: number, end: number, over: Partial<ListParams> = {}): ListParams => ({
  interval: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`,
  media: null,
  queue: null,
  agent: null,
  direction: null,
  ...over,
});

describe('splitting long intervals', () => {
  it('covers the range with chunks of at most 7 days, without gaps or overlaps', () => {
    const chunks = splitInterval({ start: START, end: START + 17 * DAY });
    expect(chunks.map((c) => (c.end - c.start) / DAY)).toEqual([7, 7, 3]);
    chunks.forEach((c, i) => i > 0 && expect(c.start).toBe(chunks[i - 1]!.end));
  });

  it('cuts at UTC midnights, so no two chunks touch the same day (each touches at most maxDays days)', () => {
    const start = START + 15 * 3_600_000; // 15:00 UTC
    const end = start + 20 * DAY;
    for (const maxDays of [1, 3, 7, 31]) {
      const chunks = splitInterval({ start, end }, maxDays);
      expect(chunks[0]!.start).toBe(start);
      expect(chunks.at(-1)!.end).toBe(end);
      const days = chunks.map((c) => [Math.floor(c.start / DAY), Math.ceil(c.end / DAY) - 1] as const);
      for (const [first, last] of days) expect(last - first + 1).toBeLessThanOrEqual(maxDays);
      days.forEach(([first], i) => i > 0 && expect(first).toBeGreaterThan(days[i - 1]![1]));
      chunks.slice(1).forEach((c) => expect(c.start % DAY).toBe(0));
    }
  });

  it('halves at a UTC midnight; a chunk of one day cannot be halved', () => {
    expect(halve({ start: START, end: START + 8 * DAY })).toEqual([
      { start: START, end: START + 4 * DAY },
      { start: START + 4 * DAY, end: START + 8 * DAY },
    ]);
    expect(halve({ start: START + 3_600_000, end: START + 5 * 3_600_000 })).toBeNull();
  });

  it('7 days without a filter, 31 with one; only a 400 about the interval is "too long"', () => {
    expect(maxIntervalDays({})).toBe(7);
    expect(maxIntervalDays(queryFilters({ media: null, queue: null, agent: null, direction: null }))).toBe(31);
    expect(isIntervalTooLong(new ApiError({ kind: 'http', status: 400, code: 'bad.request', message: 'Interval x is longer than 7 days.' }))).toBe(true);
    expect(isIntervalTooLong(new ApiError({ kind: 'http', status: 400, code: 'bad.request', message: 'x', details: [{ fieldName: 'interval' }] }))).toBe(true);
    expect(isIntervalTooLong(new ApiError({ kind: 'http', status: 400, code: 'bad.request', message: 'unknown dimension' }))).toBe(false);
    expect(isIntervalTooLong(new ApiError({ kind: 'http', status: 503, code: 'x', message: 'interval' }))).toBe(false);
  });
});

describe('query filters', () => {
  it('one agent segment must match media, queue and user together; direction is a conversation filter', () => {
    const f = queryFilters({ media: 'email', queue: 'q1', agent: 'u1', direction: 'outbound' });
    expect(f.segmentFilters).toEqual([
      {
        type: 'and',
        predicates: [
          { type: 'dimension', dimension: 'purpose', operator: 'matches', value: 'agent' },
          { type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'email' },
          { type: 'dimension', dimension: 'queueId', operator: 'matches', value: 'q1' },
          { type: 'dimension', dimension: 'userId', operator: 'matches', value: 'u1' },
        ],
      },
    ]);
    expect(f.conversationFilters).toEqual([
      { type: 'and', predicates: [{ type: 'dimension', dimension: 'originatingDirection', operator: 'matches', value: 'outbound' }] },
    ]);
    // Never the useless `wrapUpCode notExists` (genesys-platform.md §3).
    expect(JSON.stringify(f)).not.toContain('wrapUpCode');
  });
});

describe('loading the synchronous query', () => {
  it('pages in order, one at a time, until a short page; all rows arrive once, with progress as pages come', async () => {
    const conversations = fakeConversations(450, START, START + DAY);
    const { api, calls, maxInFlight } = fakeApi({ conversations });
    const updates: WorklistData[] = [];
    const result = await loadWorklist(params(START, START + DAY), { api, onUpdate: (d) => updates.push(d) });
    const pages = calls.filter((c) => c.kind === 'query').map((c) => c.page);
    expect(pages).toEqual([1, 2, 3, 4, 5]);
    // One chunk is paged sequentially (see the loader's header for why).
    expect(maxInFlight()).toBe(1);
    expect(calls.every((c) => c.kind !== 'query' || (c.body?.paging?.pageSize === 100 && c.body.order === 'asc'))).toBe(true);
    expect(result).toMatchObject({ phase: 'done', loaded: 450, total: 450, pagesDone: 5, pagesTotal: 5, mode: 'sync', failures: [] });
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(450);
    // Rows were shown before the end; the total is not claimed from the approximate totalHits.
    expect(updates.length).toBeGreaterThan(0);
    expect(updates[0]).toMatchObject({ total: null, phase: 'loading' });
    expect(updates[0]!.loaded).toBeLessThan(450);
  });

  it('an exact multiple of the page size ends at the first empty page', async () => {
    const { api, calls } = fakeApi({ conversations: fakeConversations(300, START, START + DAY) });
    const result = await loadWorklist(params(START, START + DAY), { api });
    expect(calls.filter((c) => c.kind === 'query').map((c) => c.page)).toEqual([1, 2, 3, 4]);
    expect(result.loaded).toBe(300);
  });

  it('an empty result ({} without conversations) is an empty, finished list', async () => {
    const { api } = fakeApi({ conversations: [] });
    const result = await loadWorklist(params(START, START + DAY), { api });
    expect(result).toMatchObject({ phase: 'done', loaded: 0, total: 0, rows: [] });
  });

  it('a failed later page is a partial failure: the pages before it stay, the failure says which and why', async () => {
    const { api } = fakeApi({ conversations: fakeConversations(350, START, START + DAY), failPages: new Set([3]) });
    const result = await loadWorklist(params(START, START + DAY), { api });
    expect(result.phase).toBe('done');
    expect(result.loaded).toBe(200);
    expect(result.failures).toEqual([
      { source: expect.stringContaining('2025-03-01') as string, page: 3, status: 503, code: 'service.unavailable', message: 'down', contextId: 'ctx-3' },
    ]);
  });

  it('a failed first page of the only source fails the load', async () => {
    const { api } = fakeApi({ conversations: fakeConversations(10, START, START + DAY), failPages: new Set([1]) });
    await expect(loadWorklist(params(START, START + DAY), { api })).rejects.toMatchObject({ status: 503, code: 'service.unavailable' });
  });

  it('Cancel keeps what arrived and says so; nothing more is requested', async () => {
    const stop = new AbortController();
    const { api, calls } = fakeApi({ conversations: fakeConversations(1000, START, START + DAY) });
    const query = api.query.bind(api);
    api.query = async (body, signal) => {
      const r = await query(body, signal);
      if (body.paging?.pageNumber === 1) stop.abort();
      if (signal.aborted) throw new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'cancelled' });
      return r;
    };
    const result = await loadWorklist(params(START, START + DAY), { api, stopSignal: stop.signal });
    expect(result.phase).toBe('cancelled');
    expect(result.loaded).toBe(0);
    expect(calls.filter((c) => c.kind === 'query')).toHaveLength(1);
  });

  it('the query signal (filters changed, page left) rejects instead', async () => {
    const ac = new AbortController();
    ac.abort();
    const { api } = fakeApi({ conversations: fakeConversations(10, START, START + DAY) });
    await expect(loadWorklist(params(START, START + DAY), { api, signal: ac.signal })).rejects.toMatchObject({ kind: 'aborted' });
  });
});

describe('long ranges', () => {
  it('over 7 days: a job for the part before dataAvailabilityDate (cursor paging), the synchronous query for the rest', async () => {
    const end = START + 10 * DAY;
    const availableUntil = end - 2 * 3_600_000;
    const conversations = fakeConversations(2500, START, end);
    const { api, calls } = fakeApi({ conversations, availableUntil, jobPageSize: 1000 });
    const updates: WorklistData[] = [];
    const result = await loadWorklist(params(START, end), { api, onUpdate: (d) => updates.push(d) });
    const job = calls.find((c) => c.kind === 'createJob');
    expect(job?.body?.interval).toBe(`${new Date(START).toISOString()}/${new Date(availableUntil).toISOString()}`);
    expect(calls.filter((c) => c.kind === 'jobResults').map((c) => c.cursor)).toEqual([undefined, '1000', '2000']);
    const sync = calls.filter((c) => c.kind === 'query');
    expect(sync.every((c) => c.body!.interval.startsWith(new Date(availableUntil).toISOString()))).toBe(true);
    expect(result).toMatchObject({ phase: 'done', loaded: 2500, total: 2500, mode: 'mixed' });
    expect(updates.some((u) => u.phase === 'job-waiting')).toBe(true);
  });

  it('a load cancelled while its job runs deletes the job (and a finished one is kept)', async () => {
    const end = START + 10 * DAY;
    const conversations = fakeConversations(500, START, end);
    const stop = new AbortController();
    const { api, calls } = fakeApi({ conversations, availableUntil: end - 2 * 3_600_000 });
    api.getJob = () => {
      stop.abort(); // the user presses Cancel while the job is pending: the poll is aborted
      return Promise.reject(new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'cancelled' }));
    };
    const result = await loadWorklist(params(START, end), { api, stopSignal: stop.signal });
    expect(result.phase).toBe('cancelled');
    expect(calls.filter((c) => c.kind === 'deleteJob').map((c) => c.jobId)).toEqual(['job-1']);
    const done = fakeApi({ conversations, availableUntil: end - 2 * 3_600_000 });
    await loadWorklist(params(START, end), { api: done.api });
    expect(done.calls.some((c) => c.kind === 'deleteJob')).toBe(false);
  });

  it('over 7 days without job data (availability before the range): synchronous chunks within the filtered limit (31 days)', async () => {
    const end = START + 40 * DAY;
    const { api, calls } = fakeApi({ conversations: fakeConversations(300, START, end), availableUntil: START - DAY, maxDays: 31 });
    const result = await loadWorklist(params(START, end), { api });
    const intervals = new Set(calls.filter((c) => c.kind === 'query').map((c) => c.body!.interval));
    expect(intervals.size).toBe(2);
    expect(result).toMatchObject({ loaded: 300, total: 300, mode: 'sync', failures: [] });
  });

  it('a 400 for the interval length is answered by splitting, never shown', async () => {
    const end = START + 20 * DAY;
    const { api, calls } = fakeApi({ conversations: fakeConversations(900, START, end), availableUntil: START - DAY, maxDays: 7 });
    const result = await loadWorklist(params(START, end), { api });
    expect(result).toMatchObject({ loaded: 900, total: 900, phase: 'done', failures: [] });
    const served = calls.filter((c) => c.kind === 'query').map((c) => c.body!.interval.split('/').map(Date.parse) as [number, number]);
    expect(served.some(([a, b]) => b - a > 7 * DAY)).toBe(true); // it was tried, refused, split
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(900);
  });

  it('more than 10,000 hits in a short range switch to a job for the covered part', async () => {
    const end = START + 2 * DAY;
    const { api, calls } = fakeApi({ conversations: fakeConversations(10_050, START, end), availableUntil: end });
    const result = await loadWorklist(params(START, end), { api });
    expect(calls.filter((c) => c.kind === 'query')).toHaveLength(1);
    expect(calls.some((c) => c.kind === 'createJob')).toBe(true);
    expect(result).toMatchObject({ loaded: 10_050, mode: 'job', phase: 'done' });
  });
});

describe("the window is the user's, whatever the platform returns around it", () => {
  const HOUR = 3_600_000;
  const win = { start: START + 13 * HOUR, end: START + 17 * HOUR };
  const conversations = fakeConversations(1000, START, START + DAY); // one every ~86 s, all day
  const inWindow = conversations.filter((c) => {
    const t = Date.parse(c.conversationStart!);
    return t >= win.start && t < win.end;
  });

  it('day semantics: "last 4 hours" keeps only the window; pages before it are skipped by binary search', async () => {
    const { api, calls } = fakeApi({ conversations, semantics: 'day' });
    const result = await loadWorklist(params(win.start, win.end), { api });
    expect(result.rows.map((r) => r.id).sort()).toEqual(inWindow.map((c) => c.conversationId).sort());
    expect(result.total).toBe(inWindow.length);
    // 10 pages of the day: paging all would take 10; the search plus the window's pages take fewer.
    const queries = calls.filter((c) => c.kind === 'query').length;
    expect(queries).toBeLessThan(10);
  });

  it('conversations arriving while it pages (drift) lose no row of the window and show none twice', async () => {
    // Paging the whole day: new conversations start "now" (after the window) on every request,
    // and a few are indexed late with a start inside the window (they shift every later row).
    let n = 0;
    const late: string[] = [];
    const { api } = fakeApi({
      conversations: [...conversations],
      semantics: 'day',
      beforeAnswer: (all) => {
        n++;
        all.push(
          ...fakeConversations(3, START + 20 * HOUR + n * 1000, START + 20 * HOUR + n * 1000 + 900).map((c) => ({
            ...c,
            conversationId: `new-${n}-${c.conversationId}`,
          })),
        );
        const t = START + 8 * HOUR + n * 60_000; // before the window: shifts everything after it
        const c = fakeConversations(1, t, t + 1)[0]!;
        all.push({ ...c, conversationId: `late-${n}` });
        late.push(`late-${n}`);
      },
    });
    const full = { start: START, end: START + 18 * HOUR };
    const result = await loadWorklist(params(full.start, full.end), { api });
    const ids = result.rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const expected = conversations.filter((c) => Date.parse(c.conversationStart!) < full.end).map((c) => c.conversationId);
    for (const id of expected) expect(ids).toContain(id);
    expect(ids.some((id) => id.startsWith('new-'))).toBe(false); // they started after the window
    expect(result.loaded).toBe(ids.length);
  });

  it('async jobs (activity semantics): conversations that started before the window are not shown', async () => {
    const end = START + 10 * DAY;
    const all = fakeConversations(500, START - 2 * DAY, end);
    const { api } = fakeApi({ conversations: all, availableUntil: end });
    // The fake job answers with everything that started in its interval; add some older "activity".
    const createJob = api.createJob.bind(api);
    api.createJob = async (body, signal) => {
      const r = await createJob({ ...body, interval: `${new Date(START - 2 * DAY).toISOString()}/${body.interval.split('/')[1]}` }, signal);
      return r;
    };
    const result = await loadWorklist(params(START, end), { api });
    expect(result.rows.every((r) => r.start >= START)).toBe(true);
    expect(result.loaded).toBe(all.filter((c) => Date.parse(c.conversationStart!) >= START).length);
  });
});
