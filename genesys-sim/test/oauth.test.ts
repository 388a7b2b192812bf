import { createHash, randomBytes } from 'node:crypto';
import type { RunningSim } from '../src/index.ts';
import { MARKUP_AGENT_NAME } from '../src/generate.ts';
import { SUPERVISOR, call, withSim } from './helpers.ts';

let sim: RunningSim;
beforeEach(async () => {
  sim = await withSim({ conversations: 20, tokenTtl: 600 });
});
afterEach(async () => {
  await sim.close();
});

const REDIRECT = 'http://127.0.0.1:5173/app/callback';

async function get(path: string, params: Record<string, string>, cookie?: string) {
  const res = await fetch(`${sim.url}${path}?${new URLSearchParams(params).toString()}`, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
  return { res, text: await res.text(), location: res.headers.get('location') };
}

async function loginAs(params: Record<string, string>, email = SUPERVISOR) {
  const user = sim.state.userByEmail(email)!;
  const form = new URLSearchParams({ ...params, sim_user: user.id });
  const res = await fetch(`${sim.url}/login/oauth/authorize/login`, {
    method: 'POST',
    body: form,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  return { res, location: res.headers.get('location'), cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}

function hashParams(location: string): URLSearchParams {
  return new URLSearchParams(new URL(location).hash.slice(1));
}

describe('implicit grant', () => {
  it('shows a login page listing users (escaped), with a strict CSP and no scripts', async () => {
    const { res, text } = await get('/login/oauth/authorize', { client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT, response_type: 'token', state: 's1' });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('form-action');
    expect(text).not.toMatch(/<script/i);
    expect(text).toContain('supervisor@demo.example');
    expect(text).not.toContain(MARKUP_AGENT_NAME);
    expect(text).toContain('&lt;i&gt;');
  });

  it('redirects with #access_token, expires_in, token_type and state; the token works; a live session re-logs in silently', async () => {
    const params = { client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT, response_type: 'token', state: 'st-123' };
    const login = await loginAs(params);
    expect(login.res.status).toBe(302);
    const h = hashParams(login.location!);
    expect(h.get('state')).toBe('st-123');
    expect(h.get('token_type')).toBe('bearer');
    expect(h.get('expires_in')).toBe('600');
    expect(new URL(login.location!).origin + new URL(login.location!).pathname).toBe(REDIRECT);
    const me = await call<{ email: string }>(sim, 'GET', '/api/v2/users/me', { token: h.get('access_token')! });
    expect(me.body.email).toBe(SUPERVISOR);
    const again = await get('/login/oauth/authorize', { ...params, state: 'st-2' }, login.cookie);
    expect(again.res.status).toBe(302);
    expect(hashParams(again.location!).get('state')).toBe('st-2');
    expect(hashParams(again.location!).get('access_token')).not.toBe(h.get('access_token'));
  });

  it('unknown client or unregistered redirect: error page, never a redirect', async () => {
    const cases: Array<Record<string, string>> = [
      { client_id: 'nope', redirect_uri: REDIRECT, response_type: 'token' },
      { client_id: 'wrapup-desk-demo', redirect_uri: 'https://evil.example/cb', response_type: 'token' },
      { client_id: 'wrapup-desk-demo', redirect_uri: 'http://127.0.0.1.evil.example/cb', response_type: 'token' },
      { client_id: 'wrapup-desk-demo', response_type: 'token' },
    ];
    for (const params of cases) {
      const r = await get('/login/oauth/authorize', params);
      expect(r.res.status).toBe(400);
      expect(r.location).toBeNull();
    }
  });

  it('errors by redirect: grant not allowed for the client, unsupported response_type, access denied', async () => {
    const pkceOnly = await get('/login/oauth/authorize', { client_id: 'wrapup-desk-pkce', redirect_uri: REDIRECT, response_type: 'token', state: 'x' });
    expect(pkceOnly.res.status).toBe(302);
    expect(hashParams(pkceOnly.location!).get('error')).toBe('unauthorized_client');
    expect(hashParams(pkceOnly.location!).get('state')).toBe('x');
    const implicitOnly = await get('/login/oauth/authorize', {
      client_id: 'wrapup-desk-implicit',
      redirect_uri: REDIRECT,
      response_type: 'code',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
    });
    expect(new URL(implicitOnly.location!).searchParams.get('error')).toBe('unauthorized_client');
    const weird = await get('/login/oauth/authorize', { client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT, response_type: 'id_token' });
    expect(new URL(weird.location!).searchParams.get('error')).toBe('unsupported_response_type');
    const form = new URLSearchParams({ client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT, response_type: 'token', state: 'd', sim_action: 'deny' });
    const denied = await fetch(`${sim.url}/login/oauth/authorize/login`, { method: 'POST', body: form, redirect: 'manual' });
    expect(hashParams(denied.headers.get('location')!).get('error')).toBe('access_denied');
  });

  it('auto-login skips the page; logout ends the session, revokes its tokens and redirects only to registered URIs', async () => {
    sim.state.options = { ...sim.state.options, autoLogin: SUPERVISOR };
    const first = await get('/login/oauth/authorize', { client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT, response_type: 'token' });
    expect(first.res.status).toBe(302);
    const token = hashParams(first.location!).get('access_token')!;
    const cookie = (first.res.headers.get('set-cookie') ?? '').split(';')[0]!;
    sim.state.options = { ...sim.state.options, autoLogin: null };
    const out = await get('/login/logout', { client_id: 'wrapup-desk-demo', redirect_uri: 'http://localhost:5173/' }, cookie);
    expect(out.res.status).toBe(302);
    expect(out.location).toBe('http://localhost:5173/');
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(401);
    const page = await get('/login/oauth/authorize', { client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT, response_type: 'token' }, cookie);
    expect(page.res.status).toBe(200);
    const evil = await get('/login/logout', { client_id: 'wrapup-desk-demo', redirect_uri: 'https://evil.example/' });
    expect(evil.res.status).toBe(200);
    expect(evil.location).toBeNull();
  });
});

describe('PKCE', () => {
  const verifier = randomBytes(40).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const params = {
    client_id: 'wrapup-desk-demo',
    redirect_uri: REDIRECT,
    response_type: 'code',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'p1',
  };
  const exchange = (form: Record<string, string>, origin?: string) =>
    fetch(`${sim.url}/login/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(origin ? { Origin: origin } : {}) },
    });

  it('code → token with the verifier; codes are single-use; wrong verifier or redirect is invalid_grant', async () => {
    const login = await loginAs(params);
    const loc = new URL(login.location!);
    expect(loc.searchParams.get('state')).toBe('p1');
    const code = loc.searchParams.get('code')!;
    const res = await exchange(
      { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT },
      'http://127.0.0.1:5173',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(600);
    expect((await call(sim, 'GET', '/api/v2/tokens/me', { token: body.access_token })).status).toBe(200);
    const replay = await exchange({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await call(sim, 'GET', '/api/v2/tokens/me', { token: body.access_token })).status).toBe(401);

    const second = new URL((await loginAs(params)).location!).searchParams.get('code')!;
    const wrong = await exchange({
      grant_type: 'authorization_code',
      code: second,
      code_verifier: randomBytes(40).toString('base64url'),
      client_id: 'wrapup-desk-demo',
      redirect_uri: REDIRECT,
    });
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
    const third = new URL((await loginAs(params)).location!).searchParams.get('code')!;
    const otherRedirect = await exchange({
      grant_type: 'authorization_code',
      code: third,
      code_verifier: verifier,
      client_id: 'wrapup-desk-demo',
      redirect_uri: 'http://127.0.0.1:5173/other',
    });
    expect(((await otherRedirect.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('requires S256 and a challenge; expired codes are refused', async () => {
    const plain = await get('/login/oauth/authorize', { ...params, code_challenge_method: 'plain' });
    expect(new URL(plain.location!).searchParams.get('error')).toBe('invalid_request');
    const none = await get('/login/oauth/authorize', { client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT, response_type: 'code' });
    expect(new URL(none.location!).searchParams.get('error')).toBe('invalid_request');
    const code = new URL((await loginAs(params)).location!).searchParams.get('code')!;
    sim.state.authCodes.get(code)!.expiresAt = Date.now() - 1;
    const late = await exchange({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: 'wrapup-desk-demo', redirect_uri: REDIRECT });
    expect(((await late.json()) as { error_description: string }).error_description).toMatch(/expired/);
    const json = await call(sim, 'POST', '/login/oauth/token', { body: { grant_type: 'authorization_code' } });
    expect(json.status).toBe(400);
  });
});
