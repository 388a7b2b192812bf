import { http, HttpResponse } from 'msw';
import type { MockInstance } from 'vitest';
import { ApiError } from './api-error.ts';
import { completePopupLogin, configureClient, getEndpoints, getPlatform, loginImplicit, loginPkce, logoutUrl, resetClientForTests } from './client.ts';
import { getConversation } from './api.ts';
import { recordingServer, SIM } from './test-support.ts';

const { server, seen } = recordingServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
  resetClientForTests();
  history.replaceState(null, '', '/');
  sessionStorage.clear();
  localStorage.clear();
});

function storagesHold(token: string): boolean {
  const dump = (s: Storage) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i)!)}`).join('|');
  return dump(localStorage).includes(token) || dump(sessionStorage).includes(token) || document.cookie.includes(token);
}

describe('configureClient', () => {
  it('points at an allowlisted region', () => {
    expect(configureClient({ kind: 'region', host: 'mypurecloud.ie' })).toEqual({
      target: { kind: 'region', host: 'mypurecloud.ie' },
      apiBaseUrl: 'https://api.mypurecloud.ie',
      loginBaseUrl: 'https://login.mypurecloud.ie',
      origins: ['https://api.mypurecloud.ie', 'https://login.mypurecloud.ie'],
    });
  });

  it('refuses a host outside the allowlist, and nothing is configured', () => {
    expect(() => configureClient({ kind: 'region', host: 'evil.example' })).toThrow(ApiError);
    expect(() => getPlatform()).toThrow(/not configured/);
  });

  it('makes no request before it is configured', async () => {
    await expect(getConversation('c1')).rejects.toMatchObject({ kind: 'usage', code: 'config.invalid' });
    expect(seen).toHaveLength(0);
  });

  it('points at the simulated org through the gateway', () => {
    expect(configureClient({ kind: 'sim', baseUrl: 'http://127.0.0.1:4010' })).toMatchObject({
      apiBaseUrl: 'http://127.0.0.1:4010',
      loginBaseUrl: 'http://127.0.0.1:4010/login',
      origins: ['http://127.0.0.1:4010'],
    });
    expect(configureClient({ kind: 'sim', baseUrl: 'http://localhost:9/sim/' })).toMatchObject({
      apiBaseUrl: 'http://localhost:9/sim',
      loginBaseUrl: 'http://localhost:9/sim/login',
    });
    expect(() => configureClient({ kind: 'sim', baseUrl: 'ftp://x' })).toThrow(ApiError);
  });

  it('drops the sim gateway when switching back to a region, and the token with it', async () => {
    configureClient({ kind: 'sim', baseUrl: SIM });
    getPlatform().apiClient.setAccessToken('sim-token');
    configureClient({ kind: 'region', host: 'mypurecloud.de' });
    expect(getEndpoints().apiBaseUrl).toBe('https://api.mypurecloud.de');
    server.use(http.get('https://api.mypurecloud.de/api/v2/conversations/c1', () => HttpResponse.json({ id: 'c1' })));
    await getConversation('c1');
    expect(seen[0]?.auth).toBeNull();
  });

  it('builds the logout URL for the target', () => {
    configureClient({ kind: 'region', host: 'mypurecloud.ie' });
    expect(logoutUrl('cid', 'https://app.example/')).toBe('https://login.mypurecloud.ie/logout?client_id=cid&redirect_uri=https%3A%2F%2Fapp.example%2F');
  });
});

describe('login callbacks', () => {
  beforeEach(() => {
    configureClient({ kind: 'sim', baseUrl: SIM });
    server.use(http.get(`${SIM}/api/v2/tokens/me`, () => HttpResponse.json({ organization: { id: 'o' } })));
  });

  it('implicit: takes the token from the hash, reports the callback state, cleans the URL, stores nothing', async () => {
    history.replaceState(
      { key: 'router' },
      '',
      '/conversations?gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie#access_token=tok-1&expires_in=3600&token_type=bearer&state=s-abc',
    );
    const r = await loginImplicit({ clientId: 'cid', redirectUri: 'http://localhost:3000/', state: 'sent' });
    expect(r).toMatchObject({ accessToken: 'tok-1', callbackState: 's-abc' });
    expect(r.tokenExpiryTime).toBeGreaterThan(Date.now());
    expect(`${location.pathname}${location.search}${location.hash}`).toBe('/conversations?gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie');
    expect(history.state).toEqual({ key: 'router' });
    expect(seen.map((s) => s.path)).toEqual(['/api/v2/tokens/me']);
    expect(seen[0]?.auth).toBe('Bearer tok-1');
    expect(storagesHold('tok-1')).toBe(false);
  });

  it('implicit: a callback without state reports none (the SDK would echo the state we sent)', async () => {
    history.replaceState(null, '', '/#access_token=tok-2&expires_in=60');
    const r = await loginImplicit({ clientId: 'cid', redirectUri: 'http://localhost:3000/', state: 'sent' });
    expect(r.callbackState).toBeUndefined();
  });

  it('implicit: an error callback rejects as ApiError and leaves no error in the URL', async () => {
    history.replaceState(null, '', '/#error=access_denied&error_description=nope&state=s');
    await expect(loginImplicit({ clientId: 'cid', redirectUri: 'http://localhost:3000/', state: 's' })).rejects.toMatchObject({
      code: 'login.failed',
      message: expect.stringContaining('access_denied') as unknown,
    });
    expect(location.hash).toBe('');
  });

  it('PKCE: exchanges the code, keeps the app query parameters, drops code and state', async () => {
    sessionStorage.setItem('purecloud_pkce_code_verifier', 'v'.repeat(64));
    server.use(http.post(`${SIM}/login/oauth/token`, () => HttpResponse.json({ access_token: 'tok-3', expires_in: 600 })));
    history.replaceState({ key: 'r' }, '', '/conversations?status=missing&code=the-code&state=s-1');
    const r = await loginPkce({ clientId: 'cid', redirectUri: 'http://localhost:3000/', state: 'sent' });
    expect(r).toMatchObject({ accessToken: 'tok-3', callbackState: 's-1' });
    expect(`${location.pathname}${location.search}`).toBe('/conversations?status=missing');
    expect(history.state).toEqual({ key: 'r' });
    const exchange = seen.find((s) => s.path === '/login/oauth/token');
    expect(exchange?.method).toBe('POST');
    expect(storagesHold('tok-3')).toBe(false);
  });

  it("a login checks its new token at once, even while the previous token's 429 pauses every other call", async () => {
    getPlatform().limiter.pauseUntil(Date.now() + 400_000);
    history.replaceState(null, '', '/#access_token=tok-new&expires_in=3600&state=s');
    const other = getConversation('c1').catch((e: unknown) => e);
    const r = await loginImplicit({ clientId: 'cid', redirectUri: 'http://localhost:3000/', state: 's' });
    expect(r.accessToken).toBe('tok-new');
    expect(seen.map((s) => s.path)).toEqual(['/api/v2/tokens/me']);
    expect(getPlatform().limiter.getState()).toMatchObject({ queued: 1 });
    resetClientForTests(); // rejects the call still held by the pause
    await other;
  });

  it("PKCE: the code exchange on the login host and the token check are not held by the previous token's pause", async () => {
    getPlatform().limiter.pauseUntil(Date.now() + 400_000);
    sessionStorage.setItem('purecloud_pkce_code_verifier', 'v'.repeat(64));
    server.use(http.post(`${SIM}/login/oauth/token`, () => HttpResponse.json({ access_token: 'tok-p', expires_in: 600 })));
    history.replaceState(null, '', '/bulk?code=the-code&state=s-2');
    const r = await loginPkce({ clientId: 'cid', redirectUri: 'http://localhost:3000/', state: 's-2' });
    expect(r.accessToken).toBe('tok-p');
    expect(seen.map((s) => s.path)).toEqual(['/login/oauth/token', '/api/v2/tokens/me']);
    // The exchange is no API call of a token: it is not counted in the token's window.
    expect(getPlatform().limiter.getState()).toMatchObject({ sentInWindow: 1, pausedUntil: expect.any(Number) as unknown });
  });

  it('a 401 while a login checks its token is not announced as a lost session; later ones are', async () => {
    const { onUnauthorized } = await import('./client.ts');
    const { getTokenMe } = await import('./api.ts');
    const events: unknown[] = [];
    onUnauthorized((e) => events.push(e));
    server.use(http.get(`${SIM}/api/v2/tokens/me`, () => HttpResponse.json({ code: 'bad.credentials' }, { status: 401 })));
    await expect(getPlatform().http.muteUnauthorized(() => getTokenMe())).rejects.toMatchObject({ status: 401 });
    expect(events).toHaveLength(0);
    await expect(getTokenMe()).rejects.toMatchObject({ status: 401 });
    expect(events).toHaveLength(1);
  });
});

describe('completePopupLogin', () => {
  it('posts the callback to the opener in the SDK format', () => {
    const postMessage = vi.fn();
    const win = { opener: { postMessage }, location: { hash: '#access_token=t&state=s', search: '', origin: 'http://localhost:3000' } };
    expect(completePopupLogin(win as unknown as Window)).toBe(true);
    expect(postMessage).toHaveBeenCalledWith({ name: 'gc_auth_popup', type: 'message', hash: '#access_token=t&state=s', search: '' }, 'http://localhost:3000');
  });

  it('does nothing outside a popup or without a callback', () => {
    expect(completePopupLogin(window)).toBe(false);
    const win = { opener: { postMessage: vi.fn() }, location: { hash: '', search: '?x=1', origin: 'o' } };
    expect(completePopupLogin(win as unknown as Window)).toBe(false);
  });
});

describe('login popup', () => {
  beforeEach(() => configureClient({ kind: 'sim', baseUrl: SIM }));
  afterEach(() => vi.restoreAllMocks());

  it('fails fast with login.popupBlocked when the browser blocks the window', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const err = await loginPkce({ clientId: 'c', redirectUri: 'http://127.0.0.1/app/', state: 's'.repeat(43), popup: true }).catch((e: unknown) => e);
    expect(open).toHaveBeenCalledTimes(1);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('login.popupBlocked');
  });

  it('fails fast with login.popupClosed when the user closes it', async () => {
    const fake = { closed: false, close() {}, postMessage() {} } as unknown as Window;
    vi.spyOn(window, 'open').mockReturnValue(fake);
    setTimeout(() => ((fake as { closed: boolean }).closed = true), 500);
    const err = await loginImplicit({ clientId: 'c', redirectUri: 'http://127.0.0.1/app/', state: 's'.repeat(43), popup: true }).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('login.popupClosed');
  });
});

describe('login popup messages from other windows (issue 14: token swap / sign-out by postMessage)', () => {
  let frame: HTMLIFrameElement;
  let popup: Window;
  let open: MockInstance<typeof window.open>;
  const redirectUri = 'http://localhost:3000/app/';
  const own = window.location.origin; // http://localhost:3000
  const post = (origin: string, hash: string, source: Window | null) =>
    window.dispatchEvent(new MessageEvent('message', { origin, source, data: { name: 'gc_auth_popup', type: 'message', hash, search: '' } }));

  beforeEach(() => {
    configureClient({ kind: 'sim', baseUrl: SIM });
    server.use(
      http.get(`${SIM}/api/v2/tokens/me`, () => HttpResponse.json({ organization: { id: 'o' } })),
      http.get(`${SIM}/api/v2/conversations/c1`, () => HttpResponse.json({ id: 'c1' })),
    );
    frame = document.createElement('iframe');
    document.body.append(frame);
    popup = frame.contentWindow!;
    open = vi.spyOn(window, 'open').mockReturnValue(popup);
  });
  afterEach(() => {
    frame.remove();
    vi.restoreAllMocks();
  });

  async function signInByPopup(): Promise<string> {
    const opened = open.mock.calls.length;
    const login = loginImplicit({ clientId: 'c', redirectUri, state: 's'.repeat(43), popup: true });
    await vi.waitFor(() => expect(open).toHaveBeenCalledTimes(opened + 1));
    // While the popup is open: a page whose origin is a prefix of the redirect URI, and a foreign window.
    post('http://localhost:300', '#access_token=evil-1&state=x', frame.contentWindow);
    post('http://localhost:3000', '#error=access_denied', window.parent === window ? null : window.parent);
    post(own, '#access_token=tok-popup&state=s', popup);
    return (await login).accessToken;
  }

  async function tokenUsed(): Promise<string | null> {
    seen.length = 0;
    await getConversation('c1');
    return seen[0]?.auth ?? null;
  }

  it('only our popup on our own origin can answer a sign-in', async () => {
    expect(await signInByPopup()).toBe('tok-popup');
    expect(await tokenUsed()).toBe('Bearer tok-popup');
  });

  it('after a popup sign-in, no message swaps the token or signs the user out', async () => {
    await signInByPopup();
    getPlatform().apiClient.setAccessToken('tok-popup');
    post('http://localhost:300', '#access_token=evil-2', null); // startsWith(redirectUri) passes in the SDK
    post(own, '#access_token=evil-3', popup); // even our own popup, replayed after the sign-in
    await new Promise((r) => setTimeout(r, 50));
    expect(await tokenUsed()).toBe('Bearer tok-popup');
    post('http://localhost:300', '#error=access_denied', null);
    post(own, '#error=access_denied', popup);
    await new Promise((r) => setTimeout(r, 50));
    expect(await tokenUsed()).toBe('Bearer tok-popup');
  });

  it("removes the SDK's message listener when the sign-in ends: a second sign-in's answer is handled once", async () => {
    const sdk = getPlatform().apiClient as unknown as { _handleAuthPopupMessage: (...a: unknown[]) => unknown };
    const handle = vi.spyOn(sdk, '_handleAuthPopupMessage');
    await signInByPopup();
    expect(handle).toHaveBeenCalledTimes(1);
    handle.mockClear();
    expect(await signInByPopup()).toBe('tok-popup');
    expect(handle).toHaveBeenCalledTimes(1);
  });
});
