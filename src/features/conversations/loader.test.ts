import type { Models } from '@/lib/genesys/sdk.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import type { ListParams } from './filters.ts';
import { PAGE_SIZE, loadWorklist, queryFilters, splitInterval, type LoaderApi, type WorklistData } from './loader.ts';

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
          sessions: [{ sessionId: `s-${i}`, mediaType: 'voice', segments: [{ segmentType: 'interact', segmentStart: new Date(t).toISOString(), segmentEnd: new Date(t + 60_000).toISOString() }] }],
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
}

function fakeApi(o: FakeOptions) {
  const calls: { kind: string; body?: Models.ConversationQuery; page?: number; cursor?: string; jobId?: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let jobIds: string[] = [];
  let jobPolls = 0;
  const inInterval = (interval: string) => {
    const [a, b] = interval.split('/').map((s) => Date.parse(s));
    return o.conversations.filter((c) => {
      const t = Date.parse(c.conversationStart!);
      return t >= a! && t < b!;
    });
  };
  const api: LoaderApi = {
    async query(body) {
      calls.push({ kind: 'query', body, page: body.paging?.pageNumber });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      await Promise.resolve();
      inFlight--;
      const page = body.paging?.pageNumber ?? 1;
      if (o.failPages?.has(page)) throw new ApiError({ kind: 'http', status: 503, code: 'service.unavailable', message: 'down', contextId: `ctx-${page}` });
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
    expect(f.conversationFilters).toEqual([{ type: 'and', predicates: [{ type: 'dimension', dimension: 'originatingDirection', operator: 'matches', value: 'outbound' }] }]);
    // Never the useless `wrapUpCode notExists` (genesys-platform.md §3).
    expect(JSON.stringify(f)).not.toContain('wrapUpCode');
  });
});

describe('loading the synchronous query', () => {
  it('first page, then every other page at once; all rows arrive once, with progress as pages come', async () => {
    const conversations = fakeConversations(450, START, START + DAY);
    const { api, calls, maxInFlight } = fakeApi({ conversations });
    const updates: WorklistData[] = [];
    const result = await loadWorklist(params(START, START + DAY), { api, onUpdate: (d) => updates.push(d) });
    const pages = calls.filter((c) => c.kind === 'query').map((c) => c.page);
    expect(pages[0]).toBe(1);
    expect([...pages].sort()).toEqual([1, 2, 3, 4, 5]);
    // Pages 2..5 were in flight together: the limiter, not the loader, sets the pace.
    expect(maxInFlight()).toBe(4);
    expect(calls.every((c) => c.kind !== 'query' || (c.body?.paging?.pageSize === 100 && c.body.order === 'asc'))).toBe(true);
    expect(result).toMatchObject({ phase: 'done', loaded: 450, total: 450, pagesDone: 5, pagesTotal: 5, mode: 'sync', failures: [] });
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(450);
    // Rows were shown before the end, with the total known from the first page.
    expect(updates.length).toBeGreaterThan(0);
    expect(updates[0]).toMatchObject({ total: 450, phase: 'loading' });
    expect(updates[0]!.loaded).toBeLessThan(450);
  });

  it('an empty result ({} without conversations) is an empty, finished list', async () => {
    const { api } = fakeApi({ conversations: [] });
    const result = await loadWorklist(params(START, START + DAY), { api });
    expect(result).toMatchObject({ phase: 'done', loaded: 0, total: 0, rows: [] });
  });

  it('a failed later page is a partial failure: the other pages stay, the failure says which and why', async () => {
    const { api } = fakeApi({ conversations: fakeConversations(350, START, START + DAY), failPages: new Set([3]) });
    const result = await loadWorklist(params(START, START + DAY), { api });
    expect(result.phase).toBe('done');
    expect(result.loaded).toBe(250);
    expect(result.failures).toEqual([{ source: expect.stringContaining('2025-03-01') as string, page: 3, status: 503, code: 'service.unavailable', message: 'down', contextId: 'ctx-3' }]);
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

  it('over 7 days without job data (availability before the range): split into 7-day synchronous chunks', async () => {
    const end = START + 10 * DAY;
    const { api, calls } = fakeApi({ conversations: fakeConversations(300, START, end), availableUntil: START - DAY });
    const result = await loadWorklist(params(START, end), { api });
    const intervals = new Set(calls.filter((c) => c.kind === 'query').map((c) => c.body!.interval));
    expect(intervals.size).toBe(2);
    expect(result).toMatchObject({ loaded: 300, total: 300, mode: 'sync' });
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
