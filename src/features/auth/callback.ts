/**
 * Reads what the platform's authorize endpoint sent back, without touching the SDK:
 * implicit → `#access_token=…&expires_in=…&state=…` or `#error=…`; PKCE → `?code=…&state=…` or `?error=…`.
 */
export type Callback =
  { kind: 'none' } | { kind: 'token' | 'code'; state: string | null } | { kind: 'error'; state: string | null; error: string; description?: string };

const OAUTH_QUERY_KEYS = ['code', 'state', 'error', 'error_description', 'error_uri', 'session_state'];

export function readCallback(search: string, hash: string): Callback {
  const h = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const q = new URLSearchParams(search);
  if (h.has('access_token')) return { kind: 'token', state: h.get('state') };
  if (h.has('error')) return errorOf(h);
  if (q.has('code')) return { kind: 'code', state: q.get('state') };
  if (q.has('error')) return errorOf(q);
  return { kind: 'none' };
}

function errorOf(p: URLSearchParams): Callback {
  return { kind: 'error', state: p.get('state'), error: p.get('error') ?? 'unknown', description: p.get('error_description') ?? undefined };
}

/** The same address with every OAuth parameter and any token-bearing fragment removed. */
export function withoutOAuthParams(url: URL): string {
  const clean = new URL(url.href);
  for (const k of OAUTH_QUERY_KEYS) clean.searchParams.delete(k);
  const h = new URLSearchParams(clean.hash.slice(1));
  if (h.has('access_token') || h.has('error') || h.has('state')) clean.hash = '';
  return `${clean.pathname}${clean.search}${clean.hash}`;
}
