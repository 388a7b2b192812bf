/**
 * Runs one SDK call against the configured platform with per-call options, and turns whatever it
 * throws or rejects with (including the SDK's synchronous "missing parameter" string) into ApiError.
 */
import { toApiError } from './api-error.ts';
import type { Platform } from './client.ts';
import { loadClient, loadedClient } from './client-loader.ts';
import type { CallOptions } from './http-client.ts';

export type { CallOptions };

export async function call<T>(fn: (p: Platform) => Promise<T>, options: CallOptions = {}): Promise<T> {
  // client.ts (the SDK) loads on first use; the SDK call itself must run synchronously inside
  // withCallOptions, so the wait is before it (a chunk that fails to load is an ApiError too).
  let platform: Platform;
  try {
    platform = (loadedClient() ?? (await loadClient())).getPlatform();
  } catch (e) {
    throw toApiError(e);
  }
  try {
    return await platform.http.withCallOptions(options, () => fn(platform));
  } catch (e) {
    throw toApiError(e);
  }
}

interface Page<E> {
  entities?: E[];
  pageCount?: number;
}

/** Safety net against a listing that never ends. */
const MAX_PAGES = 500;

/**
 * Every page of a classic paged listing: the first page tells `pageCount`, the rest are requested
 * together and the shared limiter decides how fast they go.
 */
export async function allPages<E>(fetchPage: (pageNumber: number) => Promise<Page<E>>): Promise<E[]> {
  const first = await fetchPage(1);
  const pageCount = Math.min(first.pageCount ?? 1, MAX_PAGES);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pageCount - 1) }, (_, i) => fetchPage(i + 2)));
  return [first, ...rest].flatMap((p) => p.entities ?? []);
}
