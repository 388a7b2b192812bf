/**
 * What a probe's record means for this app, as a translation key and its values (the page words it
 * in the user's language; the key's text is in `locales/<lang>/platformCheck.json`, `probes.<id>`).
 */
import type { ProbeRecord } from '@/lib/platform-verdict.ts';

export interface Meaning {
  /** Key under the `platformCheck` namespace. */
  key: string;
  values: Record<string, string | number>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

export function probeMeaning(p: ProbeRecord): Meaning {
  const f = p.facts;
  const error = str(f.error);
  const plain = (ok: boolean | null) => ({ key: `probes.${p.id}.${ok === true ? 'ok' : ok === false ? 'problem' : 'unknown'}`, values: { error } });
  switch (p.id) {
    case 'permissions':
    case 'page-size':
      return { ...plain(p.ok), values: { error, rows: Number(f.rows ?? 0) } };
    case 'rate-headers':
      return { key: `probes.rate-headers.${f.readable === true ? 'ok' : f.readable === false ? 'problem' : 'unknown'}`, values: { headers: str(f.headers) } };
    case 'interval-unfiltered':
    case 'interval-filtered':
      return { key: `probes.${p.id}.${f.accepted === true ? 'accepted' : f.accepted === false ? 'refused' : 'unknown'}`, values: { error } };
    case 'notifications':
      if (f.channel !== 'created') return { key: 'probes.notifications.channelRefused', values: { error: error || p.received } };
      if (f.socket === 'open') return { key: 'probes.notifications.ok', values: { host: str(f.socketHost), ms: Number(f.ms ?? 0) } };
      return { key: 'probes.notifications.socketFailed', values: { host: str(f.socketHost) || '?', socket: str(f.socket) } };
    case 'jobs-availability':
      return p.ok
        ? { key: 'probes.jobs-availability.ok', values: { date: str(f.date), lagMs: Number(f.lagMs ?? 0) } }
        : { key: 'probes.jobs-availability.unknown', values: { error } };
    default:
      return plain(p.ok);
  }
}

/** The per-feature lines of the permissions probe: feature id, allowed, missing permissions. */
export function permissionLines(p: ProbeRecord): { feature: string; allowed: boolean; missing: string }[] {
  if (p.id !== 'permissions') return [];
  return Object.entries(p.facts)
    .filter(([k]) => k.startsWith('allowed.'))
    .map(([k, v]) => {
      const feature = k.slice('allowed.'.length);
      return { feature, allowed: v === true, missing: str(p.facts[`missing.${feature}`]) };
    });
}
