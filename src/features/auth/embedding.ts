/**
 * Embedded in Genesys Cloud as a standalone client app, the URL carries gcHostOrigin / gcTargetEnv
 * (legacy pcEnvironment) and gcLangTag. They are read before anything else, because the SDK's PKCE
 * return wipes the query string; accepted ones are kept in sessionStorage for the rest of this tab's life.
 */
import { regionFromEmbedding } from '@/lib/genesys/regions.ts';

const EMBED_KEY = 'wud.embed.params';
const EMBED_PARAMS = ['gcHostOrigin', 'gcTargetEnv', 'pcEnvironment', 'gcLangTag', 'pcLangTag'];

export type Embedding =
  { embedded: false } | { embedded: true; ok: true; host: string; inFrame: boolean } | { embedded: true; ok: false; value: string; reason: string };

/**
 * Reads the embedding parameters and decides the region they name. Sends nothing. Parameters in
 * the URL are used for this visit; only accepted ones are remembered (for the PKCE return), and a
 * refused one, from the URL or remembered, is forgotten: one hostile link must not refuse every
 * later visit of the tab.
 */
export function readEmbedding(search: string, storage: Storage = sessionStorage, inFrame = window.top !== window.self): Embedding {
  const fromUrl = new URLSearchParams(search);
  let params = new URLSearchParams();
  for (const k of EMBED_PARAMS) {
    const v = fromUrl.get(k);
    if (v !== null) params.set(k, v);
  }
  const inUrl = [...params.keys()].some((k) => k !== 'gcLangTag' && k !== 'pcLangTag');
  if (!inUrl) params = new URLSearchParams(storage.getItem(EMBED_KEY) ?? '');
  if (!params.has('gcHostOrigin') && !params.has('gcTargetEnv') && !params.has('pcEnvironment')) return { embedded: false };
  const r = regionFromEmbedding(params);
  if (!r.ok) {
    forgetEmbedding(storage);
    const value = params.get('gcHostOrigin') ?? params.get('gcTargetEnv') ?? params.get('pcEnvironment') ?? '';
    return { embedded: true, ok: false, value, reason: r.reason };
  }
  if (inUrl) remember(storage, params);
  return { embedded: true, ok: true, host: r.host, inFrame };
}

/** Once the configuration is known: a region it does not allow is refused, and forgotten. */
export function checkEmbeddingAllowed(embedding: Embedding, allowedHosts: readonly string[], storage: Storage = sessionStorage): Embedding {
  if (!embedding.embedded || !embedding.ok || allowedHosts.includes(embedding.host)) return embedding;
  forgetEmbedding(storage);
  return { embedded: true, ok: false, value: embedding.host, reason: `${embedding.host} is not a region this deployment allows.` };
}

function remember(storage: Storage, params: URLSearchParams): void {
  try {
    storage.setItem(EMBED_KEY, params.toString());
  } catch {
    // Storage full or blocked: this visit still works; only a PKCE return would lose the region.
  }
}

function forgetEmbedding(storage: Storage): void {
  try {
    storage.removeItem(EMBED_KEY);
  } catch {
    // Storage blocked: nothing was remembered either.
  }
}
