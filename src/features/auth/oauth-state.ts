/**
 * OAuth `state` (reliability checklist #2–3): URL-safe, 256 random bits, new for every attempt,
 * single-use, and compared by the app itself (the SDK never compares it).
 *
 * The pending attempt is kept in sessionStorage: it is not a secret (it is in the URL anyway), it must
 * survive the redirect to the login page, and it is per tab. It is consumed on the first return,
 * so a replayed callback URL finds nothing and is refused.
 */
const PENDING_KEY = 'wud.auth.pending';
/** An attempt older than this is stale (the platform's own login page does not wait longer). */
export const ATTEMPT_MAX_AGE_MS = 15 * 60_000;

export interface PendingAttempt {
  state: string;
  grant: 'pkce' | 'implicit';
  region: string;
  clientId: string;
  /** Path + search + nothing else, under the app: where the user was. */
  returnTo: string;
  createdAt: number;
  popup: boolean;
}

export function newState(random: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  const bytes = random(new Uint8Array(32));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function isUrlSafeState(s: string): boolean {
  return /^[A-Za-z0-9_-]{22,}$/.test(s);
}

export function savePending(attempt: PendingAttempt, storage: Storage = sessionStorage): void {
  storage.setItem(PENDING_KEY, JSON.stringify(attempt));
}

export function peekPending(storage: Storage = sessionStorage): PendingAttempt | null {
  const raw = storage.getItem(PENDING_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as PendingAttempt;
  } catch {
    return null;
  }
}

export type StateCheck = { ok: true; attempt: PendingAttempt } | { ok: false; reason: 'missing' | 'unexpected' | 'mismatch' | 'expired' };

/**
 * Compares the returned state with the pending attempt and consumes the attempt whatever the result
 * (single use): a second return with the same URL is refused as 'unexpected'.
 */
export function consumeState(returned: string | null, now = Date.now(), storage: Storage = sessionStorage): StateCheck {
  const attempt = peekPending(storage);
  storage.removeItem(PENDING_KEY);
  if (!attempt) return { ok: false, reason: 'unexpected' };
  if (!returned) return { ok: false, reason: 'missing' };
  if (!constantTimeEqual(returned, attempt.state)) return { ok: false, reason: 'mismatch' };
  if (now - attempt.createdAt > ATTEMPT_MAX_AGE_MS) return { ok: false, reason: 'expired' };
  return { ok: true, attempt };
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
