import { allowedRegions, appConfigSchema, SIM_REGION, type AppConfig } from './schema.ts';

export type ConfigProblem =
  { kind: 'fetch'; status: number } | { kind: 'json' } | { kind: 'schema'; path: string; message: string } | { kind: 'region'; region: string };

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; file: string; problems: ConfigProblem[] };

/** The file lives next to index.html, under the app's base path. */
export function configUrl(base = import.meta.env.BASE_URL): string {
  return `${base.endsWith('/') ? base : `${base}/`}config.json`;
}

/**
 * Fetches and validates the runtime configuration. Never throws: the caller shows a page that says
 * what is wrong instead of a blank page.
 */
export async function loadConfig(isKnownRegion: (host: string) => boolean, fetcher: typeof fetch = fetch, url = configUrl()): Promise<ConfigResult> {
  let res: Response;
  try {
    res = await fetcher(url, { cache: 'no-store' });
  } catch {
    return { ok: false, file: url, problems: [{ kind: 'fetch', status: 0 }] };
  }
  if (!res.ok) return { ok: false, file: url, problems: [{ kind: 'fetch', status: res.status }] };
  let raw: unknown;
  try {
    raw = await res.json();
  } catch {
    return { ok: false, file: url, problems: [{ kind: 'json' }] };
  }
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      file: url,
      problems: parsed.error.issues.map((i) => ({ kind: 'schema', path: i.path.join('.') || '(root)', message: i.message })),
    };
  }
  const config = parsed.data;
  const unknown = allowedRegions(config).filter((r) => r !== SIM_REGION && !isKnownRegion(r));
  if (unknown.length) return { ok: false, file: url, problems: unknown.map((region) => ({ kind: 'region', region })) };
  return { ok: true, config };
}
