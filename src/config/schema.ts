/**
 * Runtime configuration (`public/config.json`): one build serves many orgs by editing this file.
 * This module is shared by the app and the build scripts (CSP headers), so it imports nothing.
 *
 * Checked by hand rather than by a zod schema: the config is read before the sign-in page shows,
 * and zod's core alone is ~20 KB gzip of the sign-in page's JS (issue 17). The checks keep zod's
 * shape: `appConfigSchema.parse` / `.safeParse` with `error.issues[]` of `{ path, message }`; unknown
 * keys are dropped, defaults filled in, cross-field rules checked once every field is valid.
 */

/** The simulated org is addressed by its URL; a real org by one of the platform's region hosts. */
export const SIM_REGION = 'sim';
const HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export interface AppConfig {
  /** A Genesys Cloud region host such as `mypurecloud.ie`, or `sim` for the simulated org. */
  region: string;
  /**
   * Further regions users may pick on the sign-in screen (hosts). The CSP's connect-src allows
   * exactly `region` plus these (API, login and notification streaming hosts), so a region is
   * usable only if it is named here.
   */
  extraRegions: string[];
  /** Address of the simulated org; used only when `region` is `sim` (development, demo, tests). */
  simUrl?: string | undefined;
  /** OAuth client id (a PKCE or implicit-grant client of the org). */
  clientId: string;
  grant: 'pkce' | 'implicit';
  /** Where the platform sends the browser back; defaults to the app's own URL. */
  redirectUri?: string | undefined;
  /** When true the sign-in screen shows region, client and grant but does not let users change them. */
  lockSignIn: boolean;
  /** Allow framing by Genesys Cloud (`https://apps.<region>`), for use as a client app. */
  embedding: { enabled: boolean };
  /** The token's request budget, shared by everything the app sends. */
  rateLimit: { requestsPerMinute: number; budgetFraction: number; concurrency: number };
}

export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

export type ConfigParseResult = { success: true; data: AppConfig } | { success: false; error: { issues: ConfigIssue[] } };

const DEFAULT_RATE_LIMIT = { requestsPerMinute: 300, budgetFraction: 0.9, concurrency: 6 };

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export function safeParseConfig(input: unknown): ConfigParseResult {
  const issues: ConfigIssue[] = [];
  const fail = (path: (string | number)[], message: string) => void issues.push({ path, message });
  if (!isRecord(input)) return { success: false, error: { issues: [{ path: [], message: `expected an object, received ${kind(input)}` }] } };

  const str = (key: string, { trim = false, required = true } = {}): string | undefined => {
    const v = input[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string') return (fail([key], `expected string, received ${kind(v)}`), undefined);
    const out = trim ? v.trim() : v;
    if (!out) return (fail([key], 'must not be empty'), undefined);
    return out;
  };
  const url = (key: string): string | undefined => {
    const v = str(key, { required: false });
    if (v !== undefined && !isHttpUrl(v)) return (fail([key], 'must be an http(s) URL'), undefined);
    return v;
  };
  const bool = (v: unknown, path: (string | number)[], fallback: boolean): boolean => {
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') fail(path, `expected boolean, received ${kind(v)}`);
    return v === true;
  };
  const num = (v: unknown, path: string[], fallback: number, opts: { int?: boolean; min: number; max?: number }): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) return (fail(path, `expected number, received ${kind(v)}`), fallback);
    if (opts.int && !Number.isInteger(v)) fail(path, 'must be a whole number');
    else if (v < opts.min || (opts.max !== undefined && v > opts.max))
      fail(path, opts.max === undefined ? `must be at least ${opts.min}` : `must be between ${opts.min} and ${opts.max}`);
    return v;
  };

  const region = str('region');
  let extraRegions: string[] = [];
  if (input.extraRegions !== undefined) {
    if (!Array.isArray(input.extraRegions)) fail(['extraRegions'], `expected array, received ${kind(input.extraRegions)}`);
    else
      extraRegions = input.extraRegions.filter((r: unknown, i) => {
        const ok = typeof r === 'string' && r.length > 0;
        if (!ok) fail(['extraRegions', i], 'must be a region host');
        return ok;
      }) as string[];
  }
  const simUrl = url('simUrl');
  const clientId = str('clientId', { trim: true });
  let grant: AppConfig['grant'] = 'pkce';
  if (input.grant !== undefined) {
    if (input.grant === 'pkce' || input.grant === 'implicit') grant = input.grant;
    else fail(['grant'], 'must be "pkce" or "implicit"');
  }
  const redirectUri = url('redirectUri');
  const lockSignIn = bool(input.lockSignIn, ['lockSignIn'], false);
  let embedding = { enabled: false };
  if (input.embedding !== undefined) {
    if (!isRecord(input.embedding)) fail(['embedding'], `expected object, received ${kind(input.embedding)}`);
    else embedding = { enabled: bool(input.embedding.enabled, ['embedding', 'enabled'], false) };
  }
  let rateLimit = { ...DEFAULT_RATE_LIMIT };
  if (input.rateLimit !== undefined) {
    const r = input.rateLimit;
    if (!isRecord(r)) fail(['rateLimit'], `expected object, received ${kind(r)}`);
    else
      rateLimit = {
        requestsPerMinute: num(r.requestsPerMinute, ['rateLimit', 'requestsPerMinute'], 300, { int: true, min: 1 }),
        budgetFraction: num(r.budgetFraction, ['rateLimit', 'budgetFraction'], 0.9, { min: 0.1, max: 1 }),
        concurrency: num(r.concurrency, ['rateLimit', 'concurrency'], 6, { int: true, min: 1, max: 32 }),
      };
  }
  if (issues.length || region === undefined || clientId === undefined) return { success: false, error: { issues } };

  if (region !== SIM_REGION && !HOST.test(region)) fail(['region'], 'region must be a Genesys Cloud host such as mypurecloud.ie, or "sim"');
  if (region === SIM_REGION && simUrl === undefined) fail(['simUrl'], 'simUrl is required when region is "sim"');
  if (!extraRegions.every((r) => HOST.test(r))) fail(['extraRegions'], 'extraRegions must list Genesys Cloud hosts such as mypurecloud.de');
  if (issues.length) return { success: false, error: { issues } };

  return {
    success: true,
    data: {
      region,
      extraRegions,
      ...(simUrl !== undefined ? { simUrl } : {}),
      clientId,
      grant,
      ...(redirectUri !== undefined ? { redirectUri } : {}),
      lockSignIn,
      embedding,
      rateLimit,
    },
  };
}

/** zod's calling convention, for the loader, the build scripts and tests. */
export const appConfigSchema = {
  safeParse: safeParseConfig,
  parse(input: unknown): AppConfig {
    const r = safeParseConfig(input);
    if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    return r.data;
  },
};

/** The regions this deployment may talk to: the configured one first. */
export function allowedRegions(config: Pick<AppConfig, 'region' | 'extraRegions'>): string[] {
  return [...new Set([config.region, ...config.extraRegions])];
}

/** The platform's HTTP origins (API and login) the browser may talk to for this config (connect-src). */
export function platformOrigins(config: Pick<AppConfig, 'region' | 'simUrl' | 'extraRegions'>): string[] {
  return allowedRegions(config).flatMap((region) => {
    if (region === SIM_REGION) return config.simUrl ? [new URL(config.simUrl).origin] : [];
    return [`https://api.${region}`, `https://login.${region}`];
  });
}

/**
 * The WebSocket origins of the platform's notification streaming (connect-src only; these are not
 * HTTP API hosts): `wss://streaming.<region host>` for every allowed region, and for the simulated
 * org its own host and port over ws (wss when simUrl is https).
 */
export function streamingOrigins(config: Pick<AppConfig, 'region' | 'simUrl' | 'extraRegions'>): string[] {
  return allowedRegions(config).flatMap((region) => {
    if (region === SIM_REGION) {
      if (!config.simUrl) return [];
      const url = new URL(config.simUrl);
      return [`${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`];
    }
    return [`wss://streaming.${region}`];
  });
}

/** The Genesys Cloud origin that may frame the app when embedding is enabled. */
export function embeddingOrigins(config: Pick<AppConfig, 'region' | 'embedding'>): string[] {
  if (!config.embedding.enabled || config.region === SIM_REGION) return [];
  return [`https://apps.${config.region}`];
}
