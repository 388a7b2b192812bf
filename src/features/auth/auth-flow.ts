/**
 * Sign-in, sign-in again, sign-out: plain TypeScript over the platform layer, driving the session store.
 *
 * Order at start-up (main.tsx): embedding parameters → config → `bootstrapAuth()` → router.
 *  - A callback in the URL (`#access_token` / `?code` / `error`) is matched against the pending
 *    attempt *before any API call*; a missing, replayed or mismatched state is refused (checklist #2).
 *  - Inside the login popup, the callback is handed to the opener (after the same check) and the
 *    popup renders nothing else.
 *  - After a reload, a tab that was signed in signs in again by redirect (silent while the Genesys
 *    session lives) and comes back to the same address (filters are in the URL).
 * The token is never stored by the app: it lives in the SDK client's memory only (checklist #4).
 */
import type { PlatformTarget } from '@/lib/genesys/client.ts';
// The SDK loads on first use (client-loader.ts): a plain visit to the sign-in page fetches none of it.
import { loadClient, loadedClient, onUnauthorized } from '@/lib/genesys/client-loader.ts';
import { revokeToken } from '@/lib/genesys/api.ts';
import { RateLimiter } from '@/lib/genesys/rate-limiter.ts';
import { browserSendLog } from '@/lib/genesys/shared-send-log.ts';
import { SIM_REGION, type AppConfig } from '@/config/schema.ts';
import { isStorageFailure } from '@/lib/storage.ts';
import { readCallback, withoutOAuthParams } from './callback.ts';
import { consumeState, newState, peekPending, savePending, type PendingAttempt } from './oauth-state.ts';
import { useSessionStore, type AuthProblem, type SignInSettings } from './session-store.ts';

const RESUME_KEY = 'wud.auth.resume';
/** How long the sign-in popup may stay open before the attempt is given up. */
const POPUP_TIMEOUT_MS = 180_000;

export interface AuthContext {
  config: AppConfig;
  /** The app's own URL: where the platform sends the browser back. */
  redirectUri: string;
  /** Sign in by popup (inside the Genesys Cloud iframe). */
  popupOnly: boolean;
  /** A region forced by the embedding parameters. */
  forcedRegion?: string;
}

let ctx: AuthContext | undefined;
let unauthorizedOff: (() => void) | undefined;

export function defaultRedirectUri(config: AppConfig, base = import.meta.env.BASE_URL): string {
  return config.redirectUri ?? new URL(base, window.location.origin).href;
}

export function targetFor(region: string, config: AppConfig): PlatformTarget {
  if (region === SIM_REGION) {
    if (!config.simUrl) throw new Error('simUrl missing');
    return { kind: 'sim', baseUrl: config.simUrl };
  }
  return { kind: 'region', host: region };
}

let limiter: RateLimiter | undefined;

/** One limiter for the token's whole life in this tab, kept across re-configuration and re-sign-in. */
function platformOptions(config: AppConfig) {
  const { requestsPerMinute, budgetFraction, concurrency } = config.rateLimit;
  limiter ??= new RateLimiter({
    limitPerMinute: requestsPerMinute,
    budgetFraction,
    maxConcurrent: concurrency,
    // Other tabs and the page before a reload spend the same token's budget.
    shared: browserSendLog(),
  });
  return { limiter };
}

function store() {
  return useSessionStore.getState();
}

/** Maps whatever a login rejected with to one of the plain messages of the sign-in screen. */
export function problemFrom(e: unknown): AuthProblem {
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  const code = (e as { code?: string } | undefined)?.code;
  if (code === 'login.popupBlocked') return { kind: 'popupBlocked' };
  if (code === 'login.popupClosed') return { kind: 'popupClosed' };
  if (code === 'login.storage' || isStorageFailure(e)) return { kind: 'storage' };
  const auth = /Auth Error: \[([^\]]+)\]\s*(.*)/.exec(message);
  if (auth?.[1]) {
    if (auth[1] === 'invalid_state') return { kind: 'refused', reason: 'mismatch' };
    return { kind: 'platform', error: auth[1], description: auth[2] || undefined };
  }
  if (/popup/i.test(message) && /timeout/i.test(message)) return { kind: 'popupClosed', detail: message };
  const status = (e as { status?: number } | undefined)?.status;
  const kind = (e as { kind?: string } | undefined)?.kind;
  if (kind === 'network' || kind === 'timeout') return { kind: 'network', detail: message };
  if (status === 401) return { kind: 'token', detail: message };
  return { kind: 'unknown', detail: message };
}

/** `returnTo` must stay inside the app. */
function safeReturnTo(path: string, base = import.meta.env.BASE_URL): string {
  return path.startsWith(base) && !path.startsWith('//') ? path : base;
}

async function login(settings: SignInSettings, state: string, popup: boolean) {
  const { loginImplicit, loginPkce } = await loadClient();
  const opts = {
    clientId: settings.clientId,
    redirectUri: ctx!.redirectUri,
    state,
    popup: popup ? { autoClosePopup: true, popupTimeout: POPUP_TIMEOUT_MS } : false,
  };
  return settings.grant === 'pkce' ? loginPkce(opts) : loginImplicit(opts);
}

function markSignedIn(settings: SignInSettings, expiresAt: number | undefined) {
  store().signedIn(settings, expiresAt ?? null);
  try {
    sessionStorage.setItem(RESUME_KEY, JSON.stringify(settings));
  } catch {
    // Without it a reload shows the sign-in screen instead of signing in silently.
  }
}

function readResume(): SignInSettings | null {
  try {
    const raw = sessionStorage.getItem(RESUME_KEY);
    return raw ? (JSON.parse(raw) as SignInSettings) : null;
  } catch {
    return null;
  }
}

function clearResume() {
  try {
    sessionStorage.removeItem(RESUME_KEY);
  } catch {
    /* nothing to clear */
  }
}

export type BootstrapResult = { kind: 'app' } | { kind: 'popup-callback' } | { kind: 'redirecting' };

/** Handles a callback or a resume; returns what the page should render. Never throws. */
export async function bootstrapAuth(context: AuthContext): Promise<BootstrapResult> {
  ctx = context;
  unauthorizedOff?.();
  unauthorizedOff = onUnauthorized(() => store().sessionExpired());

  const callback = readCallback(window.location.search, window.location.hash);
  const inPopup = !!window.opener && window.opener !== window && peekPending()?.popup === true;

  if (callback.kind !== 'none' && inPopup) {
    // The login popup: check the state here, then hand the answer to the opener (the SDK there finishes).
    const check = consumeState(callback.state);
    if (!check.ok) {
      const opener = window.opener as Window;
      opener.postMessage({ name: 'gc_auth_popup', type: 'message', hash: `#error=invalid_state&error_description=${check.reason}` }, window.location.origin);
    } else {
      (await loadClient()).completePopupLogin();
    }
    return { kind: 'popup-callback' };
  }

  if (callback.kind !== 'none') {
    const check = consumeState(callback.state);
    const cleanUrl = withoutOAuthParams(new URL(window.location.href));
    if (!check.ok) {
      history.replaceState(null, '', cleanUrl);
      clearResume();
      store().signInFailed({ kind: 'refused', reason: check.reason });
      return { kind: 'app' };
    }
    const attempt = check.attempt;
    const settings: SignInSettings = { region: attempt.region, clientId: attempt.clientId, grant: attempt.grant };
    if (callback.kind === 'error') {
      history.replaceState(null, '', safeReturnTo(attempt.returnTo));
      clearResume();
      store().signInFailed({ kind: 'platform', error: callback.error, description: callback.description });
      return { kind: 'app' };
    }
    store().signInStarted(settings);
    try {
      (await loadClient()).configureClient(targetFor(settings.region, context.config), platformOptions(context.config));
      const result = await login(settings, attempt.state, false);
      // Belt and braces: the SDK reports the state it saw; it must be the one we just checked.
      if (result.callbackState !== attempt.state) throw new Error('Auth Error: [invalid_state] state changed');
      history.replaceState(null, '', safeReturnTo(attempt.returnTo));
      markSignedIn(settings, result.tokenExpiryTime);
    } catch (e) {
      history.replaceState(null, '', cleanUrl);
      clearAccessTokenQuietly();
      clearResume();
      store().signInFailed(problemFrom(e));
    }
    return { kind: 'app' };
  }

  const resume = readResume();
  if (resume && !context.popupOnly && regionAllowed(resume.region)) {
    // A reload: sign in again by redirect and come back here (silent while the Genesys session lives).
    void startSignIn(resume);
    return { kind: 'redirecting' };
  }
  return { kind: 'app' };
}

function regionAllowed(region: string): boolean {
  if (!ctx) return false;
  if (ctx.forcedRegion) return region === ctx.forcedRegion;
  return region === ctx.config.region || ctx.config.extraRegions.includes(region);
}

function clearAccessTokenQuietly() {
  try {
    loadedClient()?.clearAccessToken();
  } catch {
    /* not configured yet */
  }
}

/**
 * Starts a sign-in. Redirect mode leaves the page (the promise never settles); popup mode (embedded,
 * or `again` after an expiry) keeps the page and its state.
 */
export async function startSignIn(settings: SignInSettings, opts: { again?: boolean } = {}): Promise<void> {
  if (!ctx) throw new Error('bootstrapAuth() first');
  const popup = ctx.popupOnly || opts.again === true;
  const state = newState();
  const attempt: PendingAttempt = {
    state,
    grant: settings.grant,
    region: settings.region,
    clientId: settings.clientId,
    returnTo: safeReturnTo(`${window.location.pathname}${window.location.search}`),
    createdAt: Date.now(),
    popup,
  };
  if (!opts.again) store().signInStarted(settings);
  try {
    (await loadClient()).configureClient(targetFor(settings.region, ctx.config), platformOptions(ctx.config));
    savePending(attempt);
    const result = await login(settings, state, popup);
    // Popup: the SDK resolves in this page. Compare the state ourselves (the SDK never does).
    const check = consumeState(result.callbackState ?? null);
    if (!check.ok) {
      clearAccessTokenQuietly();
      store().signInFailed({ kind: 'refused', reason: check.reason });
      return;
    }
    markSignedIn(settings, result.tokenExpiryTime);
  } catch (e) {
    consumeState(null);
    clearAccessTokenQuietly();
    store().signInFailed(problemFrom(e));
  }
}

/** Sign in again after an expiry, in a popup, so the page and everything on it stay. */
export function signInAgain(): Promise<void> {
  const settings = useSessionStore.getState().settings;
  if (!settings) return Promise.resolve();
  return startSignIn(settings, { again: true });
}

/** How long sign-out waits for the page's calls on the wire before it revokes the token anyway. */
const SIGN_OUT_SETTLE_MS = 5_000;

/**
 * Stop the page's queries (`stopAppWork`) and let calls already on the wire answer, revoke the
 * token, forget app state, then the platform's logout page.
 */
export async function signOut(clearAppState: () => void, stopAppWork: () => Promise<void> = () => Promise.resolve()): Promise<void> {
  const settings = useSessionStore.getState().settings;
  await stopAppWork().catch(() => undefined);
  await loadedClient()
    ?.whenIdle(SIGN_OUT_SETTLE_MS)
    .catch(() => undefined);
  try {
    await revokeToken();
  } catch {
    // An expired or already revoked token: signing out goes on.
  }
  clearResume();
  clearAppState();
  store().signedOut();
  if (settings && ctx) (await loadClient()).logout(settings.clientId, ctx.redirectUri);
}
