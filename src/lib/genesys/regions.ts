/**
 * The region allowlist: exactly the SDK's `PureCloudRegionHosts` (v262, 18 hosts) [H], each with a
 * display name. A host from config or from an embedding URL parameter is used only if it is here
 * (reliability-checklist #5): nothing is sent to any other host.
 *
 * This file holds no SDK import on purpose (config loading uses it before the SDK is needed);
 * `regions.test.ts` proves the list equals the SDK's.
 */

export interface Region {
  /** The SDK's key in `PureCloudRegionHosts`, e.g. `eu_west_1`. */
  readonly key: string;
  /** The environment host, e.g. `mypurecloud.ie`: API at `api.<host>`, login at `login.<host>`. */
  readonly host: string;
  readonly name: string;
  /**
   * The value Genesys Cloud puts in `gcTargetEnv` for this region, when known. [M]: derived from the
   * AWS region code (`prod-<abbr>`); `prod` is us-east-1. Unknown for the US-gov and EU sovereign
   * clouds, which resolve through `gcHostOrigin` or `pcEnvironment` only.
   */
  readonly targetEnv?: string;
}

export const REGIONS: readonly Region[] = [
  { key: 'us_east_1', host: 'mypurecloud.com', name: 'Americas (US East)', targetEnv: 'prod' },
  { key: 'eu_west_1', host: 'mypurecloud.ie', name: 'EMEA (Dublin)', targetEnv: 'prod-euw1' },
  { key: 'ap_southeast_2', host: 'mypurecloud.com.au', name: 'Asia Pacific (Sydney)', targetEnv: 'prod-apse2' },
  { key: 'ap_northeast_1', host: 'mypurecloud.jp', name: 'Asia Pacific (Tokyo)', targetEnv: 'prod-apne1' },
  { key: 'eu_central_1', host: 'mypurecloud.de', name: 'EMEA (Frankfurt)', targetEnv: 'prod-euc1' },
  { key: 'us_west_2', host: 'usw2.pure.cloud', name: 'Americas (US West)', targetEnv: 'prod-usw2' },
  { key: 'ca_central_1', host: 'cac1.pure.cloud', name: 'Americas (Canada)', targetEnv: 'prod-cac1' },
  { key: 'ap_northeast_2', host: 'apne2.pure.cloud', name: 'Asia Pacific (Seoul)', targetEnv: 'prod-apne2' },
  { key: 'eu_west_2', host: 'euw2.pure.cloud', name: 'EMEA (London)', targetEnv: 'prod-euw2' },
  { key: 'ap_south_1', host: 'aps1.pure.cloud', name: 'Asia Pacific (Mumbai)', targetEnv: 'prod-aps1' },
  { key: 'us_east_2', host: 'use2.us-gov-pure.cloud', name: 'Americas (FedRAMP US East 2)' },
  { key: 'sa_east_1', host: 'sae1.pure.cloud', name: 'Americas (São Paulo)', targetEnv: 'prod-sae1' },
  { key: 'me_central_1', host: 'mec1.pure.cloud', name: 'Middle East (UAE)', targetEnv: 'prod-mec1' },
  { key: 'ap_northeast_3', host: 'apne3.pure.cloud', name: 'Asia Pacific (Osaka)', targetEnv: 'prod-apne3' },
  { key: 'eu_central_2', host: 'euc2.pure.cloud', name: 'EMEA (Zurich)', targetEnv: 'prod-euc2' },
  { key: 'mx_central_1', host: 'mxc1.pure.cloud', name: 'Americas (Mexico)', targetEnv: 'prod-mxc1' },
  { key: 'ap_southeast_1', host: 'apse1.pure.cloud', name: 'Asia Pacific (Singapore)', targetEnv: 'prod-apse1' },
  { key: 'eusc_de_east_1', host: 'edee1.eusc-pure.cloud', name: 'EU Sovereign Cloud (Germany East)' },
];

const byHost = new Map(REGIONS.map((r) => [r.host, r]));
const byTargetEnv = new Map(REGIONS.filter((r) => r.targetEnv).map((r) => [r.targetEnv!, r]));

/** Exact match only (case-insensitive): no protocol, no `api.`/`login.` prefix, no port or path. */
export function isAllowedRegionHost(host: string): boolean {
  return byHost.has(host.trim().toLowerCase());
}

export function regionByHost(host: string): Region | undefined {
  return byHost.get(host.trim().toLowerCase());
}

export type EmbeddingSource = 'gcHostOrigin' | 'gcTargetEnv' | 'pcEnvironment';

export type RegionResolution = { ok: true; host: string; source: EmbeddingSource } | { ok: false; code: 'absent' | 'not-allowed' | 'conflict'; reason: string };

/** `https://apps.mypurecloud.ie` → `mypurecloud.ie`; anything else (http, port, path, other subdomain) → null. */
function hostFromHostOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') return null;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') return null;
  const hostname = url.hostname.toLowerCase();
  if (!hostname.startsWith('apps.')) return null;
  const host = hostname.slice('apps.'.length);
  return byHost.has(host) ? host : null;
}

/**
 * Resolves the region Genesys Cloud names when it embeds the app as a client app: `gcHostOrigin`
 * (preferred, [H]), `gcTargetEnv` ([M] mapping) or the legacy `pcEnvironment` (a bare host).
 * Every value present must be in the allowlist, and all present values must agree: a URL someone
 * crafted to send the token elsewhere is refused rather than partly trusted.
 */
export function regionFromEmbedding(params: URLSearchParams): RegionResolution {
  const found: { source: EmbeddingSource; host: string }[] = [];

  const origin = params.get('gcHostOrigin');
  if (origin !== null) {
    const host = hostFromHostOrigin(origin);
    if (!host) return { ok: false, code: 'not-allowed', reason: `gcHostOrigin "${origin}" is not a known Genesys Cloud region.` };
    found.push({ source: 'gcHostOrigin', host });
  }

  const env = params.get('gcTargetEnv');
  if (env !== null) {
    const region = byTargetEnv.get(env.trim().toLowerCase());
    if (region) found.push({ source: 'gcTargetEnv', host: region.host });
    // An unknown env alongside a valid gcHostOrigin is not fatal: the origin is the stronger signal.
    else if (found.length === 0) return { ok: false, code: 'not-allowed', reason: `gcTargetEnv "${env}" is not a known Genesys Cloud environment.` };
  }

  const legacy = params.get('pcEnvironment');
  if (legacy !== null) {
    const host = legacy.trim().toLowerCase();
    if (!byHost.has(host)) return { ok: false, code: 'not-allowed', reason: `pcEnvironment "${legacy}" is not a known Genesys Cloud region.` };
    found.push({ source: 'pcEnvironment', host });
  }

  const first = found[0];
  if (!first) return { ok: false, code: 'absent', reason: 'The address names no Genesys Cloud region.' };
  const other = found.find((f) => f.host !== first.host);
  if (other)
    return {
      ok: false,
      code: 'conflict',
      reason: `${first.source} names ${first.host} but ${other.source} names ${other.host}.`,
    };
  return { ok: true, host: first.host, source: first.source };
}
