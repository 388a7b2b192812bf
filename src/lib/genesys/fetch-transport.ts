/**
 * One attempt of PlatformHttpClient sent with a `fetch`-like function instead of axios, answering
 * the way axios does (so the client's retry, 429 and error code runs unchanged): a response object
 * `{status, headers, data}` for 2xx, a rejection carrying `response` for any other status, an
 * axios-style network error when the connection fails. The unit tests hand it the in-process sim's
 * `fetch` (genesys-sim/src/in-process.ts); the browser keeps using axios.
 */

/** The part of `fetch`'s signature the client uses; the global `fetch` satisfies it. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{ status: number; headers: { forEach(cb: (value: string, key: string) => void): void }; text(): Promise<string> }>;

/** What the SDK's `toAxiosConfig` builds (DefaultHttpClient.js, v262). */
interface AxiosConfigLike {
  url: string;
  method: string;
  params?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  data?: unknown;
}

export interface FetchedResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

function urlOf(config: AxiosConfigLike): string {
  const params = Object.entries(config.params ?? {}).filter(([, v]) => v !== undefined && v !== null);
  if (params.length === 0) return config.url;
  // The SDK has already URI-encoded the keys and turned arrays into comma lists (ApiClient.serialize).
  const q = new URLSearchParams(params.map(([k, v]) => [decodeURIComponent(k), String(v)]));
  return `${config.url}${config.url.includes('?') ? '&' : '?'}${q.toString()}`;
}

function bodyOf(data: unknown): string | undefined {
  if (data === undefined || data === null) return undefined;
  return typeof data === 'string' ? data : JSON.stringify(data);
}

/** Like axios' default transformResponse: JSON when it parses, the text otherwise. */
function parse(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function sendWithFetch(fetchLike: FetchLike, config: AxiosConfigLike, signal: AbortSignal): Promise<FetchedResponse> {
  const headers: Record<string, string> = {};
  // The SDK's headers are strings (and the odd number or boolean).
  for (const [k, v] of Object.entries(config.headers ?? {}))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') headers[k] = String(v);
  const body = bodyOf(config.data);
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchLike(urlOf(config), { method: config.method.toUpperCase(), headers, ...(body === undefined ? {} : { body }), signal });
  } catch (e) {
    if (signal.aborted) throw e; // the caller's abort or our timeout: the client names it
    throw Object.assign(new Error(e instanceof Error ? e.message : 'Network Error'), { isAxiosError: true, code: 'ERR_NETWORK' });
  }
  const out: Record<string, string> = {};
  res.headers.forEach((value, key) => (out[key.toLowerCase()] = value));
  const response: FetchedResponse = { status: res.status, headers: out, data: parse(await res.text()) };
  if (res.status >= 200 && res.status < 300) return response;
  throw Object.assign(new Error(`Request failed with status code ${res.status}`), { isAxiosError: true, response });
}
