/** Options of the simulated org: defaults, validation, and command-line parsing. */

export type WrapupPolicy = 'permissive' | 'during-acw' | 'strict';
export type PatchPolicy = 'same' | WrapupPolicy;
export type IntervalSemantics = 'day' | 'exact';
export type RateLimitScope = 'user-client' | 'token';
export type WrapupEvents = 'all' | 'agent-only';
/** What a details query by a token with only the agent-scoped analytics permission returns: see `agentQueryScope`. */
export type AgentQueryScope = 'own' | 'all' | 'refuse';
export type Profile = 'harsh';
export type FaultScope = 'writes' | 'all';

export interface FaultOptions {
  /** 'writes': faults hit only wrap-up writes (POST .../wrapup, PATCH participant); 'all': every /api/v2 call. */
  scope: FaultScope;
  /** Probability of a 429 without Retry-After. */
  rate429: number;
  /** Probability of a 429 with `Retry-After: retryAfterSeconds` (as seconds, or as an HTTP date). */
  rate429RetryAfter: number;
  retryAfterSeconds: number;
  retryAfterFormat: 'seconds' | 'date';
  /** Probability of a 5xx with an ErrorBody. */
  rate5xx: number;
  /** Probability of a 5xx with an empty body. */
  rate5xxEmpty: number;
  /** Status used by the two 5xx faults (500, 502, 503, 504). */
  status5xx: number;
  /**
   * Probability of a refusal: the call is not processed and answered `refuseStatus` with an
   * ErrorBody, as the platform does for a write it says no to (a closed window, a missing
   * permission, a vanished participant). The rules give these too; this hits any item.
   */
  rateRefuse: number;
  /** Status of that refusal: 400, 403, 404, 409 or 422. */
  refuseStatus: number;
  /** Probability of a slow response (answered after slowMs). */
  rateSlow: number;
  slowMs: number;
  /** Probability that the connection is dropped before anything is processed. */
  rateDrop: number;
  /** Probability that the request is processed (a write is applied) and then the connection is dropped. */
  rateLostResponse: number;
  /** After this many /api/v2 calls (counted from when it was set), the token of the next call is revoked once (401). null = off. */
  unauthorizedAfter: number | null;
  /**
   * At most this many calls get one of the dice faults above (counted from when the faults were
   * set); after that every call is answered normally. With `conversations` and a rate of 1 this is
   * "the first N writes of this item fail". null = no limit.
   */
  maxFaults: number | null;
  /** Seed of the fault dice (independent from the org seed). */
  seed: number;
  /**
   * Only calls whose path names one of these conversation ids are hit (null: all in `scope`). Lets
   * a test give some items of one job a fault and others the platform's own answer.
   */
  conversations: string[] | null;
}

export interface SimOptions {
  port: number;
  seed: number;
  conversations: number;
  days: number;
  agents: number;
  /** Requests per rolling 60 s per rateLimitScope bucket, across all /api/v2 calls. 0 = unlimited. */
  rateLimit: number;
  /** What shares rateLimit: all tokens of one user + OAuth client id ('user-client'), or each token ('token'). */
  rateLimitScope: RateLimitScope;
  /** Requests per rolling 60 s per user across all OAuth clients. 0 = unlimited. */
  userRateLimit: number;
  /** Whether CORS Access-Control-Expose-Headers lists Retry-After and inin-ratelimit-*. */
  exposeRateHeaders: boolean;
  latencyMs: number;
  /** Access token lifetime in seconds. */
  tokenTtl: number;
  /** Wrap-up POST by a user other than the participant's agent: permissive (window), during-acw (ACW pending), strict (never). */
  wrapupPolicy: WrapupPolicy;
  /** The same for PATCH participant {wrapup}; 'same' = follow wrapupPolicy. */
  patchPolicy: PatchPolicy;
  /** Whether a write by a user other than the participant's agent fires the wrap-up detail event ('all') or not ('agent-only'). */
  wrapupEvents: WrapupEvents;
  /** Permissive policy: how many days after the communication ended a supervisor may still write. */
  wrapupWindowDays: number;
  /** How many hours after the communication ended its own agent may still write its wrap-up. null = no limit. */
  ownWrapupWindowHours: number | null;
  /**
   * A token with `analytics:agentConversationDetail:view` but not `analytics:conversationDetail:view`:
   * 'own' = details routes return only conversations the caller is a participant of; 'refuse' = 403
   * unless the query filters `userId` to the caller (single/multi GETs: 403 for others' conversations);
   * 'all' = no restriction.
   */
  agentQueryScope: AgentQueryScope;
  /** Delay before a write shows in analytics. */
  analyticsLagMs: number;
  control: boolean;
  /** Email of the user logged in without the login page. null = show the page. */
  autoLogin: string | null;
  /** 'allow': a write replaces an existing wrap-up; 'refuse': 409 when the communication already has one. */
  rewrap: 'allow' | 'refuse';
  /** Longest accepted wrap-up note. */
  notesMaxLength: number;
  /** Longest accepted sync analytics interval (days) with a filter. 0 = unlimited. */
  maxIntervalDays: number;
  /** Longest accepted sync analytics interval (days) without any filter predicate. 0 = unlimited. */
  maxIntervalDaysUnfiltered: number;
  /** Largest `paging.pageSize` of the sync details query; larger → 400 (genesys-platform.md §8 row 6: 100 is safe, 200 likely [M]). */
  maxPageSize: number;
  /** Sync details query: conversations that started on any UTC day the interval touches ('day') or strictly inside it ('exact'). */
  intervalSemantics: IntervalSemantics;
  /** New conversations (start = their arrival time) added per minute while clients query: pages shift. 0 = none. */
  pageDriftPerMinute: number;
  /** How long an async details job stays QUEUED before it is FULFILLED. */
  jobDelayMs: number;
  /** Whether GET /login/logout also revokes the tokens issued under that login session. */
  logoutRevokesTokens: boolean;
  /** Reference time (ms since epoch) the org is generated against; null = the time of (re)build. */
  now: number | null;
  /** Notifications API (channels, subscriptions, WebSocket). false = its routes and the WebSocket answer 404 and no events are sent. */
  notifications: boolean;
  /** Delay between a wrap-up being set and its detail event being sent on the WebSocket. */
  notificationDelayMs: number;
  /** Fraction (0..1) of events silently not delivered (seeded by faults.seed). */
  notificationDropRate: number;
  /** Interval of the "WebSocket Heartbeat" message. 0 = none. */
  notificationHeartbeatMs: number;
  /** v2.system.socket_closing is sent this long before the platform closes a socket (channel expiry, token end). */
  socketClosingLeadMs: number;
  /** A named set of values ('harsh': every unknown on its harsher side); explicit keys win. null = none. */
  profile: Profile | null;
  faults: FaultOptions;
}

export const defaultFaults: FaultOptions = {
  scope: 'writes',
  rate429: 0,
  rate429RetryAfter: 0,
  retryAfterSeconds: 2,
  retryAfterFormat: 'seconds',
  rate5xx: 0,
  rate5xxEmpty: 0,
  status5xx: 503,
  rateRefuse: 0,
  refuseStatus: 400,
  rateSlow: 0,
  slowMs: 20_000,
  rateDrop: 0,
  rateLostResponse: 0,
  conversations: null,
  unauthorizedAfter: null,
  maxFaults: null,
  seed: 1,
};

export const defaultOptions: SimOptions = {
  port: 4010,
  seed: 1,
  conversations: 600,
  days: 7,
  agents: 20,
  rateLimit: 300,
  rateLimitScope: 'user-client',
  userRateLimit: 3000,
  exposeRateHeaders: true,
  latencyMs: 0,
  tokenTtl: 86_400,
  wrapupPolicy: 'permissive',
  patchPolicy: 'same',
  wrapupEvents: 'all',
  wrapupWindowDays: 7,
  ownWrapupWindowHours: null,
  agentQueryScope: 'own',
  analyticsLagMs: 2000,
  control: false,
  autoLogin: null,
  rewrap: 'allow',
  notesMaxLength: 1000,
  maxIntervalDays: 31,
  maxIntervalDaysUnfiltered: 7,
  maxPageSize: 200,
  intervalSemantics: 'day',
  pageDriftPerMinute: 0,
  jobDelayMs: 1000,
  logoutRevokesTokens: true,
  now: null,
  notifications: true,
  notificationDelayMs: 100,
  notificationDropRate: 0,
  notificationHeartbeatMs: 30_000,
  socketClosingLeadMs: 60_000,
  profile: null,
  faults: defaultFaults,
};

/** Profiles: each value on the harsher side of its unknown (genesys-platform.md §8). Explicit keys given alongside win. */
export const profiles: Record<Profile, Partial<SimOptions>> = {
  harsh: {
    intervalSemantics: 'day',
    pageDriftPerMinute: 60,
    rateLimitScope: 'user-client',
    exposeRateHeaders: false,
    wrapupPolicy: 'during-acw',
    patchPolicy: 'strict',
    wrapupEvents: 'agent-only',
    agentQueryScope: 'refuse',
    notificationDropRate: 0.05,
    analyticsLagMs: 10_000,
    maxPageSize: 100,
  },
};

export class OptionsError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(key: string, v: unknown, min: number, max: number, integer = true): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new OptionsError(`${key} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max} (got ${JSON.stringify(v)})`);
  }
  return n;
}

function bool(key: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new OptionsError(`${key} must be true or false (got ${JSON.stringify(v)})`);
}

function oneOf<T extends string>(key: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new OptionsError(`${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
}

const probability = (key: string, v: unknown): number => num(key, v, 0, 1, false);

/** Merge a partial fault patch (untrusted) into base. Unknown keys are refused. */
export function mergeFaults(base: FaultOptions, patch: unknown): FaultOptions {
  if (patch === undefined) return base;
  if (!isRecord(patch)) throw new OptionsError('faults must be an object');
  const out: FaultOptions = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    switch (k) {
      case 'scope':
        out.scope = oneOf(k, v, ['writes', 'all'] as const);
        break;
      case 'rate429':
        out.rate429 = probability(k, v);
        break;
      case 'rate429RetryAfter':
        out.rate429RetryAfter = probability(k, v);
        break;
      case 'retryAfterSeconds':
        out.retryAfterSeconds = num(k, v, 0, 86_400);
        break;
      case 'retryAfterFormat':
        if (v !== 'seconds' && v !== 'date') throw new OptionsError(`${k} must be "seconds" or "date"`);
        out.retryAfterFormat = v;
        break;
      case 'rate5xx':
        out.rate5xx = probability(k, v);
        break;
      case 'rate5xxEmpty':
        out.rate5xxEmpty = probability(k, v);
        break;
      case 'status5xx':
        out.status5xx = num(k, v, 500, 599);
        break;
      case 'rateRefuse':
        out.rateRefuse = probability(k, v);
        break;
      case 'refuseStatus': {
        const status = num(k, v, 400, 499);
        if (![400, 403, 404, 409, 422].includes(status)) throw new OptionsError(`${k} must be one of 400, 403, 404, 409, 422`);
        out.refuseStatus = status;
        break;
      }
      case 'rateSlow':
        out.rateSlow = probability(k, v);
        break;
      case 'slowMs':
        out.slowMs = num(k, v, 0, 600_000);
        break;
      case 'rateDrop':
        out.rateDrop = probability(k, v);
        break;
      case 'rateLostResponse':
        out.rateLostResponse = probability(k, v);
        break;
      case 'unauthorizedAfter':
        out.unauthorizedAfter = v === null ? null : num(k, v, 0, 1e9);
        break;
      case 'maxFaults':
        out.maxFaults = v === null || v === 'none' ? null : num(k, v, 0, 1e9);
        break;
      case 'seed':
        out.seed = num(k, v, 0, 2 ** 32);
        break;
      case 'conversations':
        if (v !== null && !(Array.isArray(v) && v.every((x) => typeof x === 'string')))
          throw new OptionsError(`${k} must be null or a list of conversation ids`);
        out.conversations = v === null ? null : [...v];
        break;
      default:
        throw new OptionsError(`unknown fault option ${k}`);
    }
  }
  return out;
}

/** Merge a partial option patch (untrusted, e.g. JSON from the control API) into base. Unknown keys are refused. */
export function mergeOptions(base: SimOptions, patch: unknown): SimOptions {
  if (patch === undefined || patch === null) return base;
  if (!isRecord(patch)) throw new OptionsError('options must be an object');
  const out: SimOptions = { ...base, faults: { ...base.faults } };
  // The profile first, whatever the key order: explicit keys given alongside it win.
  if ('profile' in patch) {
    const v = patch.profile;
    out.profile = v === null || v === 'none' ? null : oneOf('profile', v, Object.keys(profiles) as Profile[]);
    if (out.profile) Object.assign(out, profiles[out.profile]);
  }
  for (const [k, v] of Object.entries(patch)) {
    switch (k) {
      case 'profile':
        break;
      case 'port':
        out.port = num(k, v, 0, 65535);
        break;
      case 'seed':
        out.seed = num(k, v, 0, 2 ** 32);
        break;
      case 'conversations':
        out.conversations = num(k, v, 0, 200_000);
        break;
      case 'days':
        out.days = num(k, v, 1, 400);
        break;
      case 'agents':
        out.agents = num(k, v, 2, 999);
        break;
      case 'rateLimit':
        out.rateLimit = num(k, v, 0, 1e9);
        break;
      case 'latencyMs':
        out.latencyMs = num(k, v, 0, 600_000);
        break;
      case 'tokenTtl':
        out.tokenTtl = num(k, v, 1, 10 * 365 * 86_400);
        break;
      case 'rateLimitScope':
        out.rateLimitScope = oneOf(k, v, ['user-client', 'token'] as const);
        break;
      case 'userRateLimit':
        out.userRateLimit = num(k, v, 0, 1e9);
        break;
      case 'exposeRateHeaders':
        out.exposeRateHeaders = bool(k, v);
        break;
      case 'wrapupPolicy':
        out.wrapupPolicy = oneOf(k, v, ['permissive', 'during-acw', 'strict'] as const);
        break;
      case 'patchPolicy':
        out.patchPolicy = oneOf(k, v, ['same', 'permissive', 'during-acw', 'strict'] as const);
        break;
      case 'wrapupEvents':
        out.wrapupEvents = oneOf(k, v, ['all', 'agent-only'] as const);
        break;
      case 'wrapupWindowDays':
        out.wrapupWindowDays = num(k, v, 0, 3650, false);
        break;
      case 'ownWrapupWindowHours':
        out.ownWrapupWindowHours = v === null || v === 'none' || v === 'null' ? null : num(k, v, 0, 87_600, false);
        break;
      case 'agentQueryScope':
        out.agentQueryScope = oneOf(k, v, ['own', 'all', 'refuse'] as const);
        break;
      case 'analyticsLagMs':
        out.analyticsLagMs = num(k, v, 0, 3_600_000);
        break;
      case 'control':
        out.control = bool(k, v);
        break;
      case 'autoLogin':
        if (v !== null && (typeof v !== 'string' || !v.includes('@'))) throw new OptionsError('autoLogin must be an email or null');
        out.autoLogin = v;
        break;
      case 'rewrap':
        out.rewrap = oneOf(k, v, ['allow', 'refuse'] as const);
        break;
      case 'notesMaxLength':
        out.notesMaxLength = num(k, v, 0, 1e6);
        break;
      case 'maxIntervalDays':
        out.maxIntervalDays = num(k, v, 0, 10_000);
        break;
      case 'maxIntervalDaysUnfiltered':
        out.maxIntervalDaysUnfiltered = num(k, v, 0, 10_000);
        break;
      case 'maxPageSize':
        out.maxPageSize = num(k, v, 1, 10_000);
        break;
      case 'intervalSemantics':
        out.intervalSemantics = oneOf(k, v, ['day', 'exact'] as const);
        break;
      case 'pageDriftPerMinute':
        out.pageDriftPerMinute = num(k, v, 0, 1e6, false);
        break;
      case 'jobDelayMs':
        out.jobDelayMs = num(k, v, 0, 600_000);
        break;
      case 'logoutRevokesTokens':
        out.logoutRevokesTokens = bool(k, v);
        break;
      case 'now':
        out.now = v === null ? null : num(k, v, 0, 8.64e15);
        break;
      case 'notifications':
        out.notifications = bool(k, v);
        break;
      case 'notificationDelayMs':
        out.notificationDelayMs = num(k, v, 0, 600_000);
        break;
      case 'notificationDropRate':
        out.notificationDropRate = probability(k, v);
        break;
      case 'notificationHeartbeatMs':
        out.notificationHeartbeatMs = num(k, v, 0, 86_400_000);
        break;
      case 'socketClosingLeadMs':
        out.socketClosingLeadMs = num(k, v, 0, 86_400_000);
        break;
      case 'faults':
        out.faults = mergeFaults(out.faults, v);
        break;
      default:
        throw new OptionsError(`unknown option ${k}`);
    }
  }
  return out;
}

/** Command-line flags → option keys. Value-less flags are booleans. */
const flagMap: Record<string, { key: string; fault?: boolean; boolean?: boolean }> = {
  '--port': { key: 'port' },
  '--seed': { key: 'seed' },
  '--conversations': { key: 'conversations' },
  '--days': { key: 'days' },
  '--agents': { key: 'agents' },
  '--rate-limit': { key: 'rateLimit' },
  '--rate-limit-scope': { key: 'rateLimitScope' },
  '--user-rate-limit': { key: 'userRateLimit' },
  '--expose-rate-headers': { key: 'exposeRateHeaders' },
  '--latency-ms': { key: 'latencyMs' },
  '--token-ttl': { key: 'tokenTtl' },
  '--wrapup-policy': { key: 'wrapupPolicy' },
  '--patch-policy': { key: 'patchPolicy' },
  '--wrapup-events': { key: 'wrapupEvents' },
  '--wrapup-window-days': { key: 'wrapupWindowDays' },
  '--own-wrapup-window-hours': { key: 'ownWrapupWindowHours' },
  '--agent-query-scope': { key: 'agentQueryScope' },
  '--analytics-lag-ms': { key: 'analyticsLagMs' },
  '--control': { key: 'control', boolean: true },
  '--auto-login': { key: 'autoLogin' },
  '--rewrap': { key: 'rewrap' },
  '--notes-max-length': { key: 'notesMaxLength' },
  '--max-interval-days': { key: 'maxIntervalDays' },
  '--max-interval-days-unfiltered': { key: 'maxIntervalDaysUnfiltered' },
  '--max-page-size': { key: 'maxPageSize' },
  '--interval-semantics': { key: 'intervalSemantics' },
  '--page-drift-per-minute': { key: 'pageDriftPerMinute' },
  '--job-delay-ms': { key: 'jobDelayMs' },
  '--logout-revokes-tokens': { key: 'logoutRevokesTokens' },
  '--now': { key: 'now' },
  '--notifications': { key: 'notifications', boolean: true },
  '--notification-delay-ms': { key: 'notificationDelayMs' },
  '--notification-drop-rate': { key: 'notificationDropRate' },
  '--notification-heartbeat-ms': { key: 'notificationHeartbeatMs' },
  '--socket-closing-lead-ms': { key: 'socketClosingLeadMs' },
  '--profile': { key: 'profile' },
  '--fault-scope': { key: 'scope', fault: true },
  '--fault-429': { key: 'rate429', fault: true },
  '--fault-429-retry-after': { key: 'rate429RetryAfter', fault: true },
  '--fault-retry-after-seconds': { key: 'retryAfterSeconds', fault: true },
  '--fault-retry-after-format': { key: 'retryAfterFormat', fault: true },
  '--fault-5xx': { key: 'rate5xx', fault: true },
  '--fault-5xx-empty': { key: 'rate5xxEmpty', fault: true },
  '--fault-5xx-status': { key: 'status5xx', fault: true },
  '--fault-refuse': { key: 'rateRefuse', fault: true },
  '--fault-refuse-status': { key: 'refuseStatus', fault: true },
  '--fault-slow': { key: 'rateSlow', fault: true },
  '--fault-slow-ms': { key: 'slowMs', fault: true },
  '--fault-drop': { key: 'rateDrop', fault: true },
  '--fault-lost-response': { key: 'rateLostResponse', fault: true },
  '--fault-401-after': { key: 'unauthorizedAfter', fault: true },
  '--fault-max': { key: 'maxFaults', fault: true },
  '--fault-seed': { key: 'seed', fault: true },
};

export const cliFlags = Object.keys(flagMap);

/** Parse argv (without node and script) into options. Throws OptionsError with a readable message. */
export function parseArgs(argv: readonly string[], base: SimOptions = defaultOptions): SimOptions {
  const patch: Record<string, unknown> = {};
  const faults: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    if (raw === '--') continue;
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const spec = flagMap[flag];
    if (!spec) throw new OptionsError(`unknown flag ${raw} (known: ${cliFlags.join(' ')})`);
    let value: string | undefined;
    if (eq > 0) value = raw.slice(eq + 1);
    else if (spec.boolean) {
      const nextArg = argv[i + 1];
      if (nextArg === 'true' || nextArg === 'false') {
        value = nextArg;
        i++;
      } else value = 'true';
    } else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new OptionsError(`flag ${flag} needs a value`);
      i++;
    }
    if (spec.fault) faults[spec.key] = value;
    else patch[spec.key] = value;
  }
  if (Object.keys(faults).length > 0) patch.faults = faults;
  return mergeOptions(base, patch);
}
