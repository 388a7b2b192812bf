import type { Models } from '@/lib/genesys/sdk.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import type { CallOptions, ResponseSeen } from '@/lib/genesys/http-client.ts';
import type { ProbeRecord } from '@/lib/platform-verdict.ts';
import { probeMeaning, permissionLines } from './probe-meaning.ts';
import {
  isIntervalRefusal,
  openSocketOnce,
  PROBE_IDS,
  PROBE_REQUESTS,
  rateHeadersRecord,
  runReadOnlyProbes,
  type ProbeDeps,
  type ProbeSocket,
} from './probes.ts';

const NOW = Date.parse('2026-05-04T12:00:00Z');
const RATE_HEADERS = { 'inin-ratelimit-count': '5', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '40', 'inin-correlation-id': 'corr' };

function httpError(status: number, code: string, message: string, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) {
  return new ApiError({ kind: 'http', status, code, message, contextId: `ctx-${code}`, ...extra });
}

/** A fake org: every call answers through `onResponse` like the HTTP client does. */
function fakeDeps(
  over: Partial<{
    headers: ResponseSeen['headers'];
    maxUnfilteredDays: number;
    maxFilteredDays: number;
    pageSizeMax: number;
    channel: 'ok' | 'refused';
    socket: 'open' | 'failed';
  }> = {},
) {
  const o = { headers: RATE_HEADERS, maxUnfilteredDays: 0, maxFilteredDays: 0, pageSizeMax: 200, channel: 'ok' as const, socket: 'open' as const, ...over };
  const calls: string[] = [];
  let corr = 0;
  const tell = (opts: CallOptions, status: number) => {
    corr += 1;
    opts.onResponse?.({ status, headers: { ...o.headers, ...(o.headers['inin-correlation-id'] ? { 'inin-correlation-id': `corr-${corr}` } : {}) } });
  };
  const answer = <T>(opts: CallOptions, status: number, value: T): Promise<T> => {
    tell(opts, status);
    return Promise.resolve(value);
  };
  const fail = (opts: CallOptions, status: number, e: ApiError): Promise<never> => {
    tell(opts, status);
    return Promise.reject(e);
  };
  const deps: ProbeDeps = {
    getMe: (opts) => {
      calls.push('me');
      return answer(opts, 200, { id: 'u1', authorization: { permissions: ['analytics:conversationDetail:view', 'conversation:*:*'] } } as Models.UserMe);
    },
    queryDetails: (body, opts) => {
      calls.push('query');
      const [a, b] = (body.interval ?? '').split('/').map((s) => Date.parse(s));
      const days = (b! - a!) / 86_400_000;
      const filtered = (body.segmentFilters?.length ?? 0) > 0;
      const max = filtered ? o.maxFilteredDays : o.maxUnfilteredDays;
      if (max > 0 && days > max) return fail(opts, 400, httpError(400, 'bad.request', `Interval ${body.interval} is longer than ${max} days.`));
      if ((body.paging?.pageSize ?? 0) > o.pageSizeMax)
        return fail(opts, 400, httpError(400, 'bad.request', `paging.pageSize must be at most ${o.pageSizeMax}.`));
      const n = Math.min(body.paging?.pageSize ?? 25, 3);
      return answer<Models.AnalyticsConversationQueryResponse>(opts, 200, {
        conversations: Array.from({ length: n }, (_, i) => ({ conversationId: `c${i}` })),
      });
    },
    createChannel: (opts) => {
      calls.push('channel');
      return o.channel === 'ok'
        ? answer<Models.Channel>(opts, 200, { id: 'secret-channel', connectUri: 'wss://streaming.example.test/channels/secret-channel' })
        : fail(opts, 403, httpError(403, 'missing.permissions', 'no notifications'));
    },
    jobsAvailability: (opts) => {
      calls.push('availability');
      return answer(opts, 200, { dataAvailabilityDate: new Date(NOW - 3 * 3_600_000).toISOString() });
    },
    openSocket: (url) => {
      calls.push(`socket ${url}`);
      return Promise.resolve({ outcome: o.socket, ms: 12 });
    },
    access: (held) => ({
      worklist: {
        allowed: held.includes('analytics:conversationDetail:view'),
        missing: held.includes('analytics:conversationDetail:view') ? [] : ['analytics:conversationDetail:view'],
      },
      write: { allowed: false, missing: ['conversation:participant:wrapup'] },
    }),
    now: () => NOW,
  };
  return { deps, calls };
}

const byId = (records: ProbeRecord[], id: string) => {
  const r = records.find((x) => x.id === id);
  if (!r) throw new Error(`no ${id}`);
  return r;
};

describe('runReadOnlyProbes', () => {
  it('sends the six requests it announces, plus the socket, and returns one record per probe', async () => {
    const { deps, calls } = fakeDeps();
    const run = await runReadOnlyProbes(deps);
    expect(calls.filter((c) => !c.startsWith('socket'))).toHaveLength(PROBE_REQUESTS);
    expect(calls.filter((c) => c.startsWith('socket'))).toHaveLength(1);
    expect(run.requests).toBe(PROBE_REQUESTS);
    expect(run.records.map((r) => r.id)).toEqual([...PROBE_IDS]);
  });

  it('on a kind org: headers readable, 200 rows accepted, 8 days served with and without a filter', async () => {
    const { records } = await runReadOnlyProbes(fakeDeps().deps);
    expect(byId(records, 'rate-headers')).toMatchObject({ ok: true, facts: { readable: true, responses: 6, count: '5', allowed: '300' } });
    expect(byId(records, 'page-size')).toMatchObject({ ok: true, facts: { accepted: true, rows: 3, pageSize: 200 } });
    expect(byId(records, 'interval-unfiltered')).toMatchObject({ ok: true, facts: { accepted: true, days: 8 } });
    expect(byId(records, 'interval-filtered')).toMatchObject({ ok: true, facts: { accepted: true } });
    expect(byId(records, 'notifications')).toMatchObject({
      ok: true,
      facts: { channel: 'created', socket: 'open', socketHost: 'wss://streaming.example.test' },
    });
    expect(byId(records, 'jobs-availability')).toMatchObject({ ok: true, facts: { lagMs: 3 * 3_600_000 } });
    // Each record carries the answer's correlation id (the contextId of a success).
    expect(byId(records, 'page-size').contextId).toMatch(/^corr-\d$/);
  });

  it('on a harsh org: headers hidden, 8 days without a filter refused, with the filter served', async () => {
    const { records } = await runReadOnlyProbes(fakeDeps({ headers: {}, maxUnfilteredDays: 7 }).deps);
    expect(byId(records, 'rate-headers')).toMatchObject({ ok: false, facts: { readable: false, correlationReadable: false } });
    const unfiltered = byId(records, 'interval-unfiltered');
    expect(unfiltered).toMatchObject({ ok: true, facts: { accepted: false }, contextId: 'ctx-bad.request' });
    expect(unfiltered.received).toContain('HTTP 400');
    expect(unfiltered.sent).not.toContain('segmentFilters');
    expect(byId(records, 'interval-filtered')).toMatchObject({ ok: true, facts: { accepted: true } });
    expect(byId(records, 'interval-filtered').sent).toContain('"dimension":"purpose"');
  });

  it('a filtered refusal and a refused page size are problems; permissions list what is missing', async () => {
    const { records } = await runReadOnlyProbes(fakeDeps({ maxUnfilteredDays: 7, maxFilteredDays: 7, pageSizeMax: 100 }).deps);
    expect(byId(records, 'interval-filtered')).toMatchObject({ ok: false, facts: { accepted: false } });
    expect(byId(records, 'page-size')).toMatchObject({ ok: false, facts: { accepted: false } });
    const perms = byId(records, 'permissions');
    expect(perms.ok).toBe(false);
    expect(permissionLines(perms)).toEqual([
      { feature: 'worklist', allowed: true, missing: '' },
      { feature: 'write', allowed: false, missing: 'conversation:participant:wrapup' },
    ]);
  });

  it('a refused channel skips the socket; a failed socket is a problem; the channel id never reaches the record', async () => {
    const refused = await runReadOnlyProbes(fakeDeps({ channel: 'refused' }).deps);
    expect(byId(refused.records, 'notifications')).toMatchObject({
      ok: false,
      facts: { channel: 'refused', socket: 'skipped' },
      contextId: 'ctx-missing.permissions',
    });
    const { deps, calls } = fakeDeps({ socket: 'failed' });
    const blocked = await runReadOnlyProbes(deps);
    const rec = byId(blocked.records, 'notifications');
    expect(rec).toMatchObject({ ok: false, facts: { channel: 'created', socket: 'failed' } });
    expect(JSON.stringify(rec)).not.toContain('secret-channel');
    expect(calls).toContain('socket wss://streaming.example.test/channels/secret-channel');
  });
});

describe('interpretation', () => {
  it('rate headers: none readable on answered responses is "hidden"; no answers is "could not tell"', () => {
    expect(rateHeadersRecord([{ status: 200, headers: { 'inin-correlation-id': 'x' } }])).toMatchObject({
      ok: false,
      facts: { readable: false, correlationReadable: true },
    });
    expect(rateHeadersRecord([{ status: 0, headers: {} }])).toMatchObject({ ok: null, facts: { readable: null } });
    expect(rateHeadersRecord([{ status: 429, headers: { 'inin-ratelimit-reset': '3' } }])).toMatchObject({
      ok: true,
      facts: { headers: 'inin-ratelimit-reset' },
    });
  });

  it('an interval refusal is a 400 naming the interval (in the message or a detail)', () => {
    expect(isIntervalRefusal(httpError(400, 'bad.request', 'Interval is too long'))).toBe(true);
    expect(isIntervalRefusal(httpError(400, 'bad.request', 'x', { details: [{ fieldName: 'interval' }] }))).toBe(true);
    expect(isIntervalRefusal(httpError(400, 'bad.request', 'paging.pageSize too big'))).toBe(false);
    expect(isIntervalRefusal(httpError(403, 'not.authorized', 'interval'))).toBe(false);
  });

  it('words each probe by its facts', async () => {
    const kind = (await runReadOnlyProbes(fakeDeps().deps)).records;
    const harsh = (await runReadOnlyProbes(fakeDeps({ headers: {}, maxUnfilteredDays: 7, socket: 'failed' }).deps)).records;
    expect(probeMeaning(byId(kind, 'rate-headers')).key).toBe('probes.rate-headers.ok');
    expect(probeMeaning(byId(harsh, 'rate-headers')).key).toBe('probes.rate-headers.problem');
    expect(probeMeaning(byId(kind, 'interval-unfiltered')).key).toBe('probes.interval-unfiltered.accepted');
    expect(probeMeaning(byId(harsh, 'interval-unfiltered')).key).toBe('probes.interval-unfiltered.refused');
    expect(probeMeaning(byId(harsh, 'notifications'))).toEqual({
      key: 'probes.notifications.socketFailed',
      values: { host: 'wss://streaming.example.test', socket: 'failed' },
    });
    expect(probeMeaning(byId(kind, 'page-size'))).toMatchObject({ key: 'probes.page-size.ok', values: { rows: 3 } });
    expect(probeMeaning(byId(kind, 'jobs-availability'))).toMatchObject({ key: 'probes.jobs-availability.ok', values: { lagMs: 3 * 3_600_000 } });
  });
});

describe('openSocketOnce', () => {
  class FakeSocket implements ProbeSocket {
    static last: FakeSocket | null = null;
    onopen: ((ev: unknown) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    onclose: ((ev: unknown) => void) | null = null;
    closed: number | undefined;
    constructor(readonly url: string) {
      FakeSocket.last = this;
    }
    close(code?: number) {
      this.closed = code;
    }
  }

  it('resolves "open" when the socket opens, and closes it', async () => {
    const p = openSocketOnce('wss://x/channels/1', 1000, FakeSocket);
    FakeSocket.last!.onopen?.({});
    await expect(p).resolves.toMatchObject({ outcome: 'open' });
    expect(FakeSocket.last!.closed).toBe(1000);
  });

  it('resolves "failed" on an error (a CSP block, a refused upgrade)', async () => {
    const p = openSocketOnce('wss://x/channels/1', 1000, FakeSocket);
    FakeSocket.last!.onerror?.({});
    await expect(p).resolves.toMatchObject({ outcome: 'failed' });
  });

  it('resolves "timeout" when nothing happens', async () => {
    vi.useFakeTimers();
    try {
      const p = openSocketOnce('wss://x/channels/1', 1000, FakeSocket);
      await vi.advanceTimersByTimeAsync(1000);
      await expect(p).resolves.toMatchObject({ outcome: 'timeout' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('resolves "failed" when the constructor throws, "unavailable" without WebSocket', async () => {
    class Throwing {
      constructor() {
        throw new DOMException('blocked', 'SecurityError');
      }
    }
    await expect(openSocketOnce('wss://x', 1000, Throwing as unknown as new (url: string) => ProbeSocket)).resolves.toMatchObject({ outcome: 'failed' });
    await expect(openSocketOnce('wss://x', 1000, null)).resolves.toEqual({ outcome: 'unavailable', ms: 0 });
  });
});
