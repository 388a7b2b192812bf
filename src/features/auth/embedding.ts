/**
 * Embedded in Genesys Cloud as a standalone client app, the URL carries gcHostOrigin / gcTargetEnv
 * (legacy pcEnvironment) and gcLangTag. They are read before anything else, because the SDK's PKCE
 * return wipes the query string, and kept in sessionStorage for the rest of this tab's life.
 */
import { regionFromEmbedding } from '@/lib/genesys/regions.ts';

const EMBED_KEY = 'wud.embed.params';
const EMBED_PARAMS = ['gcHostOrigin', 'gcTargetEnv', 'pcEnvironment', 'gcLangTag', 'pcLangTag'];

export type Embedding =
  | { embedded: false }
  | { embedded: true; ok: true; host: string; inFrame: boolean }
  | { embedded: true; ok: false; value: string; reason: string };

/** Reads (and remembers) the embedding parameters; decides the region they name. Sends nothing. */
export function readEmbedding(search: string, storage: Storage = sessionStorage, inFrame = window.top !== window.self): Embedding {
  const fromUrl = new URLSearchParams(search);
  let params = new URLSearchParams();
  for (const k of EMBED_PARAMS) {
    const v = fromUrl.get(k);
    if (v !== null) params.set(k, v);
  }
  if ([...params.keys()].some((k) => k !== 'gcLangTag' && k !== 'pcLangTag')) {
    storage.setItem(EMBED_KEY, params.toString());
  } else {
    params = new URLSearchParams(storage.getItem(EMBED_KEY) ?? '');
  }
  if (!params.has('gcHostOrigin') && !params.has('gcTargetEnv') && !params.has('pcEnvironment')) return { embedded: false };
  const r = regionFromEmbedding(params);
  if (r.ok) return { embedded: true, ok: true, host: r.host, inFrame };
  const value = params.get('gcHostOrigin') ?? params.get('gcTargetEnv') ?? params.get('pcEnvironment') ?? '';
  return { embedded: true, ok: false, value, reason: r.reason };
}
