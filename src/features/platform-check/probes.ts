/**
 * The platform check's read-only probes (issue 15 item 1): what only the user's own org can answer
 * (docs/genesys-platform.md §8, "Checks only a real org can settle"), each turned into a
 * `ProbeRecord` (what was sent, what came back, the contextId, and the facts the page words its
 * meaning from). Plain TypeScript: the platform calls are injected, so the interpretation is
 * unit-tested with fake answers; the page runs it through TanStack Query.
 *
 * Six requests, all reads or harmless, all through the shared client (the rate limiter counts them):
 * 1. `GET /api/v2/users/me?expand=authorization,organization`: the permissions per feature;
 * 2. a one-day details query with `paging.pageSize: 200` (is a 200-row page accepted?);
 * 3. an 8-day details query without any filter (refused beyond 7 days?);
 * 4. the same 8 days filtered on `purpose = agent` (the worklist's own filter: is it served?);
 * 5. `POST /api/v2/notifications/channels`, then its WebSocket opened and closed at once (CSP, proxies);
 * 6. `GET /api/v2/analytics/conversations/details/jobs/availability`.
 * The rate-limit headers cost nothing extra: every response above says whether the browser could
 * read `inin-ratelimit-*` (CORS `Access-Control-Expose-Headers`).
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { toApiError, type ApiError } from '@/lib/genesys/api-error.ts';
import type { CallOptions, ResponseSeen } from '@/lib/genesys/http-client.ts';
import type { ProbeRecord } from '@/lib/platform-verdict.ts';

export const PROBE_IDS = [
  'permissions',
  'rate-headers',
  'page-size',
  'interval-unfiltered',
  'interval-filtered',
  'notifications',
  'jobs-availability',
] as const;
export type ProbeId = (typeof PROBE_IDS)[number];

/** HTTP requests one run sends (the WebSocket comes on top): the page says so before it runs. */
export const PROBE_REQUESTS = 6;

const DAY = 86_400_000;
/** The larger page the worklist asks for first (features/conversations/loader.ts `LARGE_PAGE_SIZE`, 100 where refused). */
export const PROBE_PAGE_SIZE = 200;
/** One day longer than the documented 7 days for a query without a filter (§8 row 5). */
export const PROBE_INTERVAL_DAYS = 8;
/** How long the socket probe waits for the socket to open. */
export const SOCKET_TIMEOUT_MS = 10_000;

const QUERY_PATH = '/api/v2/analytics/conversations/details/query';

/** What each app feature needs and whether these permissions grant it (the auth feature's table, handed in). */
export type AccessCheck = (permissions: readonly string[]) => Record<string, { allowed: boolean; missing: string[] }>;

export type SocketOutcome = 'open' | 'failed' | 'timeout' | 'unavailable';

export interface ProbeDeps {
  getMe: (options: CallOptions) => Promise<Models.UserMe>;
  queryDetails: (body: Models.ConversationQuery, options: CallOptions) => Promise<Models.AnalyticsConversationQueryResponse>;
  createChannel: (options: CallOptions) => Promise<Models.Channel>;
  jobsAvailability: (options: CallOptions) => Promise<Models.DataAvailabilityResponse>;
  /** Opens the socket, waits for it to open (or fail, or `timeoutMs`), closes it. */
  openSocket: (url: string, timeoutMs: number) => Promise<{ outcome: SocketOutcome; ms: number }>;
  access: AccessCheck;
  now: () => number;
}

export interface ProbeRun {
  records: ProbeRecord[];
  /** Requests that reached the platform or failed on the way (a retried read counts each attempt). */
  requests: number;
  startedAt: string;
  finishedAt: string;
}

const iso = (t: number) => new Date(t).toISOString();

/** The worklist's own filter: agent segments only (keeps every agent participant, coded or not). */
export const AGENT_FILTER: Models.SegmentDetailQueryFilter[] = [
  { type: 'and', predicates: [{ type: 'dimension', dimension: 'purpose', operator: 'matches', value: 'agent' }] },
];

export function pageSizeQuery(now: number): Models.ConversationQuery {
  return {
    interval: `${iso(now - DAY)}/${iso(now)}`,
    order: 'asc',
    orderBy: 'conversationStart',
    paging: { pageSize: PROBE_PAGE_SIZE, pageNumber: 1 },
    segmentFilters: AGENT_FILTER,
  };
}

/** 8 days, one row: the answer is in the status, not the data. */
export function longIntervalQuery(now: number, filtered: boolean): Models.ConversationQuery {
  return {
    interval: `${iso(now - PROBE_INTERVAL_DAYS * DAY)}/${iso(now)}`,
    order: 'asc',
    orderBy: 'conversationStart',
    paging: { pageSize: 1, pageNumber: 1 },
    ...(filtered ? { segmentFilters: AGENT_FILTER } : {}),
  };
}

/** `HTTP 400 · bad.request · message` (never a token: errors carry no request headers). */
export function describeError(e: ApiError): string {
  const head = e.status > 0 ? `HTTP ${e.status}` : e.kind;
  return [head, e.code, e.message].filter(Boolean).join(' · ');
}

/** A 400 about the interval's length (the platform's words are not documented: message or field). */
export function isIntervalRefusal(e: ApiError): boolean {
  return e.status === 400 && (/interval/i.test(e.message) || (e.details ?? []).some((d) => d.fieldName === 'interval'));
}

/** A 400 about the page size. */
export function isPageSizeRefusal(e: ApiError): boolean {
  return e.status === 400 && (/page\s?size/i.test(e.message) || (e.details ?? []).some((d) => /pageSize/i.test(d.fieldName ?? '')));
}

/** One call with its responses observed: the correlation id (contextId of a success) and the readable headers. */
async function observed<T>(
  seen: ResponseSeen[],
  fn: (options: CallOptions) => Promise<T>,
): Promise<{ ok: true; value: T; contextId: string | null } | { ok: false; error: ApiError; contextId: string | null }> {
  const mine: ResponseSeen[] = [];
  const options: CallOptions = {
    onResponse: (s) => {
      mine.push(s);
      seen.push(s);
    },
  };
  const last = () => mine[mine.length - 1]?.headers['inin-correlation-id'] ?? null;
  try {
    const value = await fn(options);
    return { ok: true, value, contextId: last() };
  } catch (e) {
    const error = toApiError(e);
    if (mine.length === 0) seen.push({ status: 0, headers: {} }); // it failed before any answer
    return { ok: false, error, contextId: error.contextId ?? last() };
  }
}

function permissionsRecord(r: Awaited<ReturnType<typeof observed<Models.UserMe>>>, access: AccessCheck): ProbeRecord {
  const sent = 'GET /api/v2/users/me?expand=authorization,organization';
  if (!r.ok) return { id: 'permissions', ok: null, sent, received: describeError(r.error), contextId: r.contextId, facts: { error: r.error.code } };
  const held = r.value.authorization?.permissions ?? [];
  const table = access(held);
  const facts: ProbeRecord['facts'] = {};
  for (const [feature, a] of Object.entries(table)) {
    facts[`allowed.${feature}`] = a.allowed;
    facts[`missing.${feature}`] = a.missing.join(', ');
  }
  const blocked = Object.values(table).filter((a) => !a.allowed).length;
  facts.blocked = blocked;
  return {
    id: 'permissions',
    ok: blocked === 0,
    sent,
    received: `HTTP 200 · ${held.length} permissions`,
    contextId: r.contextId,
    facts,
  };
}

function pageSizeRecord(body: Models.ConversationQuery, r: Awaited<ReturnType<typeof observed<Models.AnalyticsConversationQueryResponse>>>): ProbeRecord {
  const sent = `POST ${QUERY_PATH} ${JSON.stringify(body)}`;
  if (r.ok) {
    const rows = r.value.conversations?.length ?? 0;
    return {
      id: 'page-size',
      ok: true,
      sent,
      received: `HTTP 200 · conversations: ${rows}`,
      contextId: r.contextId,
      facts: { accepted: true, rows, pageSize: PROBE_PAGE_SIZE },
    };
  }
  const refused = isPageSizeRefusal(r.error);
  return {
    id: 'page-size',
    ok: refused ? false : null,
    sent,
    received: describeError(r.error),
    contextId: r.contextId,
    facts: { accepted: refused ? false : null, pageSize: PROBE_PAGE_SIZE, error: r.error.code },
  };
}

function intervalRecord(
  filtered: boolean,
  body: Models.ConversationQuery,
  r: Awaited<ReturnType<typeof observed<Models.AnalyticsConversationQueryResponse>>>,
): ProbeRecord {
  const id: ProbeId = filtered ? 'interval-filtered' : 'interval-unfiltered';
  const sent = `POST ${QUERY_PATH} ${JSON.stringify(body)}`;
  if (r.ok) {
    // Without a filter either answer is fine for the app (it cuts ranges into 7-day chunks);
    // with the worklist's filter a refusal costs it extra requests (it splits on the 400).
    return {
      id,
      ok: true,
      sent,
      received: `HTTP 200 · conversations: ${r.value.conversations?.length ?? 0}`,
      contextId: r.contextId,
      facts: { accepted: true, days: PROBE_INTERVAL_DAYS },
    };
  }
  const refused = isIntervalRefusal(r.error);
  return {
    id,
    ok: refused ? !filtered : null,
    sent,
    received: describeError(r.error),
    contextId: r.contextId,
    facts: { accepted: refused ? false : null, days: PROBE_INTERVAL_DAYS, error: r.error.code },
  };
}

async function notificationsRecord(seen: ResponseSeen[], deps: ProbeDeps): Promise<ProbeRecord> {
  const r = await observed(seen, deps.createChannel);
  const post = 'POST /api/v2/notifications/channels';
  if (!r.ok) {
    return {
      id: 'notifications',
      ok: false,
      sent: post,
      received: describeError(r.error),
      contextId: r.contextId,
      facts: { channel: 'refused', socket: 'skipped', error: r.error.code },
    };
  }
  const uri = r.value.connectUri ?? '';
  if (!/^wss?:\/\//i.test(uri)) {
    return {
      id: 'notifications',
      ok: false,
      sent: post,
      received: 'HTTP 200 · no connectUri',
      contextId: r.contextId,
      facts: { channel: 'created', socket: 'skipped' },
    };
  }
  // The channel id in the address lets anyone open the socket: only the host goes into the record.
  const host = safeHost(uri);
  const socket = await deps.openSocket(uri, SOCKET_TIMEOUT_MS);
  return {
    id: 'notifications',
    ok: socket.outcome === 'open',
    sent: `${post}; WebSocket ${host}/channels/<channel id>`,
    received: `HTTP 200 · channel created; WebSocket: ${socket.outcome} after ${socket.ms} ms`,
    contextId: r.contextId,
    facts: { channel: 'created', socket: socket.outcome, socketHost: host, ms: socket.ms },
  };
}

function safeHost(uri: string): string {
  try {
    const u = new URL(uri);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'ws://?';
  }
}

function availabilityRecord(r: Awaited<ReturnType<typeof observed<Models.DataAvailabilityResponse>>>, now: number): ProbeRecord {
  const sent = 'GET /api/v2/analytics/conversations/details/jobs/availability';
  if (!r.ok) return { id: 'jobs-availability', ok: null, sent, received: describeError(r.error), contextId: r.contextId, facts: { error: r.error.code } };
  const date = r.value.dataAvailabilityDate;
  const at = date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(at))
    return { id: 'jobs-availability', ok: null, sent, received: 'HTTP 200 · no dataAvailabilityDate', contextId: r.contextId, facts: { date: null } };
  return {
    id: 'jobs-availability',
    ok: true,
    sent,
    received: `HTTP 200 · dataAvailabilityDate: ${date}`,
    contextId: r.contextId,
    facts: { date: new Date(at).toISOString(), lagMs: Math.max(0, now - at) },
  };
}

/**
 * From every response of the run: could the browser read the rate-limit headers? Present on any
 * response: readable. Absent on all of them while responses came: hidden from this origin (or not
 * sent; Genesys sends them [H], so hidden). `Retry-After` comes only with a 429, which the check does
 * not provoke; the platform's expose list names it with the others or not at all [M].
 */
export function rateHeadersRecord(seen: readonly ResponseSeen[]): ProbeRecord {
  const answered = seen.filter((s) => s.status > 0);
  const names = new Set<string>();
  for (const s of answered) for (const k of Object.keys(s.headers)) names.add(k);
  const rate = ['inin-ratelimit-count', 'inin-ratelimit-allowed', 'inin-ratelimit-reset'].filter((h) => names.has(h));
  const readable = answered.length === 0 ? null : rate.length > 0;
  const example = answered.find((s) => s.headers['inin-ratelimit-count'] !== undefined)?.headers;
  return {
    id: 'rate-headers',
    ok: readable,
    sent: `(the ${answered.length} responses of this check)`,
    received: names.size > 0 ? `readable: ${[...names].sort().join(', ')}` : 'readable: none of inin-ratelimit-*, retry-after, inin-correlation-id',
    contextId: null,
    facts: {
      readable,
      responses: answered.length,
      headers: rate.join(', '),
      correlationReadable: names.has('inin-correlation-id'),
      ...(example ? { count: example['inin-ratelimit-count'] ?? null, allowed: example['inin-ratelimit-allowed'] ?? null } : {}),
    },
  };
}

/** Runs every read-only probe (in parallel: the shared limiter paces them) and returns the records in PROBE_IDS order. */
export async function runReadOnlyProbes(deps: ProbeDeps): Promise<ProbeRun> {
  const startedAt = deps.now();
  const seen: ResponseSeen[] = [];
  const pageBody = pageSizeQuery(startedAt);
  const unfilteredBody = longIntervalQuery(startedAt, false);
  const filteredBody = longIntervalQuery(startedAt, true);
  const [me, page, unfiltered, filtered, notifications, availability] = await Promise.all([
    observed(seen, deps.getMe),
    observed(seen, (o) => deps.queryDetails(pageBody, o)),
    observed(seen, (o) => deps.queryDetails(unfilteredBody, o)),
    observed(seen, (o) => deps.queryDetails(filteredBody, o)),
    notificationsRecord(seen, deps),
    observed(seen, deps.jobsAvailability),
  ]);
  const finishedAt = deps.now();
  const records: ProbeRecord[] = [
    permissionsRecord(me, deps.access),
    rateHeadersRecord(seen),
    pageSizeRecord(pageBody, page),
    intervalRecord(false, unfilteredBody, unfiltered),
    intervalRecord(true, filteredBody, filtered),
    notifications,
    availabilityRecord(availability, finishedAt),
  ];
  return { records, requests: seen.length, startedAt: iso(startedAt), finishedAt: iso(finishedAt) };
}

/** The part of the browser's WebSocket the socket probe uses (a fake in tests). */
export interface ProbeSocket {
  onopen: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  close(code?: number): void;
}

/**
 * Opens a WebSocket, waits for it to open, closes it. A CSP `connect-src` without the streaming
 * host, a proxy that drops upgrades, or a network block all end in 'failed' (or 'timeout').
 * Nothing is logged: the address carries the channel id.
 */
export function openSocketOnce(
  url: string,
  timeoutMs: number,
  Ctor: (new (url: string) => ProbeSocket) | null = (globalThis as { WebSocket?: new (url: string) => ProbeSocket }).WebSocket ?? null,
  now: () => number = Date.now,
): Promise<{ outcome: SocketOutcome; ms: number }> {
  const start = now();
  if (typeof Ctor !== 'function') return Promise.resolve({ outcome: 'unavailable', ms: 0 });
  return new Promise((resolve) => {
    let done = false;
    let sock: ProbeSocket | null = null;
    const finish = (outcome: SocketOutcome) => {
      if (done) return;
      done = true;
      globalThis.clearTimeout(timer);
      if (sock) {
        sock.onopen = sock.onerror = sock.onclose = null;
        try {
          sock.close(1000);
        } catch {
          // already closed
        }
      }
      resolve({ outcome, ms: Math.max(0, now() - start) });
    };
    const timer = globalThis.setTimeout(() => finish('timeout'), timeoutMs);
    try {
      sock = new Ctor(url);
    } catch {
      finish('failed');
      return;
    }
    sock.onopen = () => finish('open');
    sock.onerror = () => finish('failed');
    sock.onclose = () => finish('failed');
  });
}
