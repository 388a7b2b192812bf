/**
 * The single SDK ApiClient: where it points (a Genesys region or the simulated org), its token,
 * its HTTP client (limiter + retries), and the browser login flows.
 *
 * Facts this relies on (genesys-platform.md §6–7, checked in ApiClient.js v262) [H]:
 * - `setEnvironment(host)` always builds `https://api.<host>` and `https://login.<host>`;
 *   `setGateway(...)` overrides both, which is how we reach the sim.
 * - The token is kept in memory only: the SDK's persistence stays off (`setPersistSettings(false)`, checklist #4).
 * - `loginImplicitGrant` / `loginPKCEGrant` strip the URL with `history.replaceState('', ...)`
 *   (clobbering the router's history.state; PKCE wipes the WHOLE query string), never compare
 *   `state`, and resolve `authData.state` from earlier logins or from the state we sent when the
 *   callback carried none. So the helpers below read the callback's own `state` from the URL before
 *   the SDK does, restore the app's query parameters and history state, and report
 *   `callbackState` for the auth feature to compare (checklist #1–2).
 */
import type {
  ApiClientClass,
  AuthPopupConfiguration,
  ConversationsApi as ConversationsApiT,
  RoutingApi as RoutingApiT,
  TokensApi as TokensApiT,
  UsersApi as UsersApiT,
} from 'purecloud-platform-client-v2';
import { ApiClient, ConversationsApi, RoutingApi, TokensApi, UsersApi } from './sdk.ts';
import { ApiError, isApiError } from './api-error.ts';
import { PlatformHttpClient, type PlatformHttpClientOptions, type UnauthorizedEvent } from './http-client.ts';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.ts';
import { isAllowedRegionHost } from './regions.ts';
import { isStorageFailure } from '../storage.ts';

export type PlatformTarget = { kind: 'region'; host: string } | { kind: 'sim'; baseUrl: string };

export interface PlatformEndpoints {
  target: PlatformTarget;
  /** e.g. `https://api.mypurecloud.ie` or `http://127.0.0.1:4010` */
  apiBaseUrl: string;
  /** e.g. `https://login.mypurecloud.ie` or `http://127.0.0.1:4010/login` */
  loginBaseUrl: string;
  /** Origins the app talks to, for CSP `connect-src`. */
  origins: string[];
}

export interface Platform {
  readonly apiClient: ApiClientClass;
  readonly http: PlatformHttpClient;
  readonly limiter: RateLimiter;
  readonly endpoints: PlatformEndpoints;
  readonly conversations: ConversationsApiT;
  readonly routing: RoutingApiT;
  readonly users: UsersApiT;
  readonly tokens: TokensApiT;
}

export interface ConfigureOptions extends Omit<PlatformHttpClientOptions, 'limiter'> {
  /** Reuse a limiter (e.g. keep its pause across a reconfiguration); otherwise a new one. */
  limiter?: RateLimiter;
  limiterOptions?: RateLimiterOptions;
}

let sdkClient: ApiClientClass | undefined;
let current: Platform | undefined;
/** True while a popup sign-in we started waits for its answer. */
let popupLoginActive = false;
const unauthorizedListeners = new Set<(e: UnauthorizedEvent) => void>();

function configError(message: string): ApiError {
  return new ApiError({ kind: 'usage', status: 0, code: 'config.invalid', message, sent: false });
}

function sameTarget(a: PlatformTarget, b: PlatformTarget): boolean {
  return a.kind === b.kind && (a.kind === 'region' ? a.host === (b as typeof a).host : a.baseUrl === (b as typeof a).baseUrl);
}

/**
 * Points the one ApiClient at a region (allowlist only) or at the simulated org. Call again to
 * switch; switching to another target drops the token (it belongs to the old one).
 */
export function configureClient(target: PlatformTarget, options: ConfigureOptions = {}): PlatformEndpoints {
  sdkClient ??= trackSdkPopupListener(new ApiClient());
  const c = sdkClient;
  c.setPersistSettings(false);

  if (target.kind === 'region') {
    const host = target.host.trim().toLowerCase();
    if (!isAllowedRegionHost(host)) throw configError(`"${target.host}" is not a Genesys Cloud region this app may use.`);
    c.setGateway(undefined as never); // clears a previous sim gateway (the SDK accepts undefined)
    c.setEnvironment(host);
    target = { kind: 'region', host };
  } else {
    let url: URL;
    try {
      url = new URL(target.baseUrl);
    } catch {
      throw configError(`"${target.baseUrl}" is not a URL.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw configError(`"${target.baseUrl}" must be http(s).`);
    const path = url.pathname.replace(/^\/+|\/+$/g, '');
    c.setGateway({
      protocol: url.protocol.slice(0, -1),
      host: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path_params_login: path ? `${path}/login` : 'login',
      path_params_api: path,
    });
  }

  if (current && !sameTarget(current.endpoints.target, target)) c.clearAccessToken();
  const limiter = options.limiter ?? new RateLimiter(options.limiterOptions);
  if (current && current.limiter !== limiter) current.limiter.dispose();

  const http = new PlatformHttpClient({ ...options, limiter });
  http.onUnauthorized((e) => {
    for (const l of unauthorizedListeners) l(e);
  });
  c.setHttpClient(http);

  const apiBaseUrl = c.config.getConfUrl('api', c.config.basePath);
  const loginBaseUrl = c.config.getConfUrl('login', c.config.authUrl);
  const endpoints: PlatformEndpoints = {
    target,
    apiBaseUrl,
    loginBaseUrl,
    origins: [...new Set([new URL(apiBaseUrl).origin, new URL(loginBaseUrl).origin])],
  };
  current = {
    apiClient: c,
    http,
    limiter,
    endpoints,
    conversations: new ConversationsApi(c),
    routing: new RoutingApi(c),
    users: new UsersApi(c),
    tokens: new TokensApi(c),
  };
  return endpoints;
}

/** The configured platform; throws (no request is made) before `configureClient`. */
export function getPlatform(): Platform {
  if (!current) throw configError('The Genesys Cloud client is not configured yet.');
  return current;
}

export function getEndpoints(): PlatformEndpoints {
  return getPlatform().endpoints;
}

export function getRateLimiter(): RateLimiter {
  return getPlatform().limiter;
}

/** See `PlatformHttpClient.whenIdle`. */
export function whenIdle(maxMs: number): Promise<void> {
  return getPlatform().http.whenIdle(maxMs);
}

export function setAccessToken(token: string): void {
  getPlatform().apiClient.setAccessToken(token);
}

export function clearAccessToken(): void {
  getPlatform().apiClient.clearAccessToken();
}

let lastToken: string | undefined;
let generation = 0;
/**
 * A number that changes whenever the SDK's access token does (a new sign-in, sign-out), without
 * handing the token out. Things the platform ties to a token, such as a notification channel
 * (docs/genesys-platform.md §8 row 12: it ends with the token that made it), compare it.
 */
export function tokenGeneration(): number {
  const token = (getPlatform().apiClient as unknown as { authData?: { accessToken?: string } }).authData?.accessToken;
  if (token !== lastToken) {
    lastToken = token;
    generation += 1;
  }
  return generation;
}

/** Every 401 from an API call (not during a login's own token check). Returns an unsubscribe. */
export function onUnauthorized(listener: (e: UnauthorizedEvent) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

// ---------------------------------------------------------------------------------------------
// Login

export interface LoginOptions {
  clientId: string;
  redirectUri: string;
  /** URL-safe random value (features/auth/oauth-state.ts `newState`): the SDK decodes the hash twice, so `%` breaks it. */
  state: string;
  /** Log in in a popup (inside the Genesys iframe, or to re-login mid-job without leaving the page). */
  popup?: boolean | AuthPopupConfiguration;
  /** `'login'` forces the credentials screen. */
  prompt?: 'login';
}

export interface LoginResult {
  accessToken: string;
  tokenExpiryTime?: number;
  /**
   * The `state` the platform sent back, read from the callback URL (redirect) or the popup's
   * message, never filled in from what we sent. Undefined when the callback carried none. The
   * auth feature must compare it with the state it stored before the API is used.
   */
  callbackState: string | undefined;
}

const OAUTH_PARAMS = ['code', 'state', 'error', 'error_description', 'session_state', 'access_token', 'expires_in', 'token_type'];

function popupConfig(popup: LoginOptions['popup']): AuthPopupConfiguration | undefined {
  if (!popup) return undefined;
  return popup === true ? { usePopup: true } : { ...popup, usePopup: true };
}

/** The SDK refuses PKCE when its one localStorage test write failed at start-up (full or blocked). */
const SDK_NEEDS_STORAGE = /requires Local Storage/i;

function loginError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  if (isStorageFailure(e) || (e instanceof Error && SDK_NEEDS_STORAGE.test(e.message)))
    return new ApiError({
      kind: 'usage',
      status: 0,
      code: 'login.storage',
      message: 'The browser storage for this site is full or blocked; sign-in cannot keep its state.',
      sent: false,
    });
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : 'Sign-in failed.';
  return new ApiError({ kind: 'http', status: 401, code: 'login.failed', message });
}

function toResult(data: { accessToken?: string; tokenExpiryTime?: number } | null | undefined, callbackState: string | undefined): LoginResult {
  if (!data?.accessToken) throw loginError('Sign-in returned no access token.');
  return {
    accessToken: data.accessToken,
    ...(data.tokenExpiryTime ? { tokenExpiryTime: data.tokenExpiryTime } : {}),
    callbackState,
  };
}

/**
 * Runs the SDK's synchronous URL handling, then puts back what it should not have touched: the
 * router's history state and the app's own query parameters, minus every OAuth parameter.
 */
function guardUrl<T>(fn: () => T): T {
  const savedState: unknown = history.state;
  const before = new URL(window.location.href);
  try {
    return fn();
  } finally {
    const keep = new URLSearchParams(before.search);
    for (const k of OAUTH_PARAMS) keep.delete(k);
    const hashParams = new URLSearchParams(before.hash.replace(/^#/, ''));
    const hashIsOAuth = OAUTH_PARAMS.some((k) => hashParams.has(k));
    const query = keep.toString();
    const target = `${before.pathname}${query ? `?${query}` : ''}${hashIsOAuth ? '' : before.hash}`;
    history.replaceState(savedState, '', target);
  }
}

function readCallback(where: 'hash' | 'query'): { present: boolean; state: string | undefined } {
  const raw = where === 'hash' ? window.location.hash.replace(/^#/, '') : window.location.search;
  const p = new URLSearchParams(raw);
  const present = where === 'hash' ? p.has('access_token') || p.has('error') : p.has('code') || p.has('error');
  return { present, state: present ? (p.get('state') ?? undefined) : undefined };
}

async function runLogin(
  where: 'hash' | 'query',
  opts: LoginOptions,
  start: (c: ApiClientClass, sdkOpts: { state: string; prompt?: string; authPopupConfiguration?: AuthPopupConfiguration }) => Promise<unknown>,
): Promise<LoginResult> {
  const { apiClient, http } = getPlatform();
  const callback = readCallback(where);
  // Forget any earlier token and state: the SDK would otherwise resolve with them.
  apiClient.clearAccessToken();
  const authPopupConfiguration = popupConfig(opts.popup);
  const sdkOpts = {
    state: opts.state,
    ...(opts.prompt ? { prompt: opts.prompt } : {}),
    ...(authPopupConfiguration ? { authPopupConfiguration } : {}),
  };
  const watch = authPopupConfiguration ? watchPopup(apiClient) : undefined;
  if (authPopupConfiguration) popupLoginActive = true;
  try {
    const login = http.muteUnauthorized(() => guardUrl(() => start(apiClient, sdkOpts)));
    const data = await (watch ? Promise.race([login, watch.failed]) : login);
    const d = data as { accessToken?: string; tokenExpiryTime?: number; state?: string } | null;
    // Redirect callback: the state we read from the URL. Popup: the SDK's fresh popup result.
    const state = callback.present ? callback.state : authPopupConfiguration ? d?.state : undefined;
    return toResult(d, state);
  } catch (e) {
    throw loginError(e);
  } finally {
    watch?.stop();
    if (authPopupConfiguration) {
      popupLoginActive = false;
      removeSdkPopupListeners();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The popup's answer: only our popup, on our own origin, during our sign-in

/** What the SDK keeps privately (v262): the popup it opened, and the method that adds its listener. */
interface SdkPopupInternals {
  _authPopupWindow?: Window | null;
  _startAuthPopup: (...args: unknown[]) => Promise<unknown>;
}

function sdkPopupWindow(c: ApiClientClass): Window | null {
  return (c as unknown as SdkPopupInternals)._authPopupWindow ?? null;
}

function isAuthPopupMessage(e: MessageEvent): boolean {
  const data = e.data as { name?: unknown } | null;
  return typeof data === 'object' && data !== null && data.name === 'gc_auth_popup';
}

/**
 * The SDK accepts a `gc_auth_popup` message when `redirectUri.startsWith(event.origin)` (so
 * `https://tools.example.co` passes for `https://tools.example.com/…`), from any window, and never
 * removes its listener: any page holding a handle on this tab could swap the token or sign the user
 * out after a popup sign-in. This capture-phase listener, installed before the SDK's, stops every
 * such message that is not from the popup of a sign-in in progress on the app's own origin.
 */
function guardAuthPopupMessages(e: MessageEvent): void {
  if (!isAuthPopupMessage(e)) return;
  const popup = sdkClient && popupLoginActive ? sdkPopupWindow(sdkClient) : null;
  if (popup && e.source === popup && e.origin === window.location.origin) return;
  e.stopImmediatePropagation();
}
if (typeof window !== 'undefined') window.addEventListener('message', guardAuthPopupMessages, { capture: true });

/** The `message` listeners the SDK added for popup sign-ins, until we remove them. */
const sdkPopupListeners = new Set<EventListenerOrEventListenerObject>();

/**
 * The SDK adds an anonymous arrow as its popup listener (its `removeEventListener` passes another
 * function, so it never goes away): note what `_startAuthPopup` adds, synchronously, so that
 * `removeSdkPopupListeners` can take it off when the sign-in ends, however it ends.
 */
function trackSdkPopupListener(c: ApiClientClass): ApiClientClass {
  const internals = c as unknown as SdkPopupInternals;
  const start = internals._startAuthPopup.bind(c);
  internals._startAuthPopup = (...args: unknown[]) => {
    removeSdkPopupListeners(); // a previous sign-in's, should one still be there
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and called with its `this`
    const add = window.addEventListener;
    window.addEventListener = function (
      this: Window,
      type: string,
      listener: EventListenerOrEventListenerObject | null,
      options?: boolean | AddEventListenerOptions,
    ) {
      if (!listener) return;
      if (type === 'message') sdkPopupListeners.add(listener);
      add.call(this, type, listener, options);
    } as typeof window.addEventListener;
    try {
      return start(...args);
    } finally {
      window.addEventListener = add;
    }
  };
  return c;
}

function removeSdkPopupListeners(): void {
  for (const l of sdkPopupListeners) window.removeEventListener('message', l);
  sdkPopupListeners.clear();
}

/** How long a popup may take to appear before we call it blocked (PKCE prepares its challenge first). */
const POPUP_APPEAR_MS = 3_000;
const POPUP_POLL_MS = 300;

/**
 * The SDK gives no signal when the browser blocks its login popup, or when the user closes it: it
 * waits for `popupTimeout`. We watch its window handle (`_authPopupWindow`, private in v262: the
 * only place the SDK keeps it) and fail fast with `login.popupBlocked` / `login.popupClosed`,
 * unless the popup has already answered (its `gc_auth_popup` message arrived).
 */
function watchPopup(c: ApiClientClass): { failed: Promise<never>; stop: () => void } {
  const started = Date.now();
  let answered = false;
  let opened = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const onMessage = (e: MessageEvent) => {
    const data = e.data as { name?: unknown; type?: unknown } | null;
    // Only our popup's answer gets here (guardAuthPopupMessages stops the others).
    if (data?.name === 'gc_auth_popup' && data.type === 'message') answered = true;
  };
  window.addEventListener('message', onMessage);
  const stop = () => {
    if (timer) clearInterval(timer);
    window.removeEventListener('message', onMessage);
  };
  const failed = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (answered) return stop();
      const w = sdkPopupWindow(c);
      if (w) {
        opened = true;
        if (w.closed) {
          stop();
          reject(new ApiError({ kind: 'usage', status: 0, code: 'login.popupClosed', message: 'The sign-in window was closed.', sent: false }));
        }
      } else if (!opened && Date.now() - started > POPUP_APPEAR_MS) {
        stop();
        reject(new ApiError({ kind: 'usage', status: 0, code: 'login.popupBlocked', message: 'The browser blocked the sign-in window.', sent: false }));
      }
    }, POPUP_POLL_MS);
  });
  // The race may settle through the login instead; never leave this rejection unhandled.
  failed.catch(() => undefined);
  return { failed, stop };
}

/**
 * Implicit grant (being retired by Genesys: no new clients since 03/2026, logins stop by 03/2027).
 * Without a callback in the URL this redirects (the promise then never settles) or opens a popup.
 */
export function loginImplicit(opts: LoginOptions): Promise<LoginResult> {
  return runLogin('hash', opts, (c, o) => c.loginImplicitGrant(opts.clientId, opts.redirectUri, o));
}

/** PKCE authorization-code grant (S256; the verifier lives in sessionStorage until the exchange). */
export function loginPkce(opts: LoginOptions): Promise<LoginResult> {
  return runLogin('query', opts, (c, o) => c.loginPKCEGrant(opts.clientId, opts.redirectUri, o));
}

/**
 * In the login popup (the redirect URI loaded in a window we opened): hand the callback to the
 * opener, as the SDK's popup flow expects (`{name:'gc_auth_popup', type:'message', hash, search}`),
 * and return true. The caller then renders nothing else; the opener closes the popup.
 */
export function completePopupLogin(win: Window = window): boolean {
  const opener = win.opener as Window | null;
  if (!opener || opener === win) return false;
  const { hash, search, origin } = win.location;
  const h = new URLSearchParams(hash.replace(/^#/, ''));
  const q = new URLSearchParams(search);
  if (!(h.has('access_token') || h.has('error') || q.has('code') || q.has('error'))) return false;
  opener.postMessage({ name: 'gc_auth_popup', type: 'message', hash, search }, origin);
  return true;
}

/** `<login>/logout?client_id=...&redirect_uri=...` for the configured target. */
export function logoutUrl(clientId: string, redirectUri?: string): string {
  const q = new URLSearchParams({ client_id: clientId });
  if (redirectUri) q.set('redirect_uri', redirectUri);
  return `${getEndpoints().loginBaseUrl}/logout?${q.toString()}`;
}

/**
 * Forgets the token and sends the browser to the platform's logout page. (The SDK's own
 * `logout()` uses the client id of the last login, `undefined` after a reload.) Revoke the token
 * first with `revokeToken()` if you want it dead server-side.
 */
export function logout(clientId: string, redirectUri?: string): void {
  const url = logoutUrl(clientId, redirectUri);
  clearAccessToken();
  window.location.replace(url);
}

/** Test helper: forget the configuration (the SDK client object itself is kept: it is a singleton). */
export function resetClientForTests(): void {
  current?.limiter.dispose();
  sdkClient?.clearAccessToken();
  current = undefined;
  unauthorizedListeners.clear();
}
