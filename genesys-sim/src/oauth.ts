/** OAuth like login.<region>: authorize (implicit + PKCE), token, logout, login page, login sessions. */
import { createHash, randomBytes } from 'node:crypto';
import { escapeHtml, type Ctx, type Reply } from './http.ts';
import type { SimUser } from './model.ts';
import type { LoginSession, SimState } from './state.ts';

export type GrantKind = 'implicit' | 'pkce';

export interface OAuthClientDef {
  id: string;
  name: string;
  grants: readonly GrantKind[];
}

export const OAUTH_CLIENTS: readonly OAuthClientDef[] = [
  { id: 'wrapup-desk-demo', name: 'Wrap-up Desk (demo, implicit + PKCE)', grants: ['implicit', 'pkce'] },
  { id: 'wrapup-desk-implicit', name: 'Wrap-up Desk (implicit only)', grants: ['implicit'] },
  { id: 'wrapup-desk-pkce', name: 'Wrap-up Desk (PKCE only)', grants: ['pkce'] },
];

export const SESSION_COOKIE = 'genesys_sim_login';
export const CODE_LIFETIME_MS = 60_000;

/** Registered redirect URIs of every demo client: http://127.0.0.1:<any port>/<any path> and http://localhost:<any port>/<any path>. */
export function redirectAllowed(_client: OAuthClientDef, uri: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost') && u.username === '' && u.password === '';
}

const findClient = (id: string | null): OAuthClientDef | undefined => OAUTH_CLIENTS.find((c) => c.id === id);

const CSP_BASE = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

function page(title: string, body: string, status = 200, formTargets: string[] = []): Reply {
  const formAction = ["'self'", ...formTargets].join(' ');
  return {
    status,
    headers: {
      'Content-Security-Policy': `${CSP_BASE}; form-action ${formAction}`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/login/sim.css"></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  };
}

export const LOGIN_CSS = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d1d1f}main{max-width:36rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}h1{font-size:1.4rem}ul{list-style:none;padding:0}li{margin:.4rem 0}button{font:inherit;width:100%;text-align:left;padding:.5rem .75rem;border:1px solid #767676;border-radius:4px;background:#fff;cursor:pointer}button:focus,button:hover{outline:2px solid #2a60c8}.muted{color:#4a4a4a}.error{color:#a00000}`;

function errorPage(title: string, message: string): Reply {
  return page(
    title,
    `<p class="error">${escapeHtml(message)}</p><p class="muted">This is the simulated Genesys Cloud login. The request was refused and you were not redirected.</p>`,
    400,
  );
}

function cookieValue(ctx: Ctx, name: string): string | undefined {
  const header = ctx.req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function liveSession(ctx: Ctx): LoginSession | undefined {
  const id = cookieValue(ctx, SESSION_COOKIE);
  if (!id) return undefined;
  const s = ctx.state.sessions.get(id);
  if (!s || !ctx.state.org.usersById.has(s.userId)) return undefined;
  return s;
}

function newSession(state: SimState, user: SimUser, now: number): LoginSession {
  const s: LoginSession = { id: randomBytes(18).toString('base64url'), userId: user.id, createdAt: now };
  state.sessions.set(s.id, s);
  return s;
}

const sessionCookie = (id: string): string => `${SESSION_COOKIE}=${id}; Path=/login; HttpOnly; SameSite=Lax`;

interface AuthorizeRequest {
  client: OAuthClientDef;
  redirectUri: string;
  responseType: string;
  state: string | null;
  challenge: string | null;
  challengeMethod: string | null;
  prompt: string | null;
}

/** Validate what must be valid before anything may be redirected; else an error page. */
function validateAuthorize(params: URLSearchParams): { ok: true; value: AuthorizeRequest } | { ok: false; reply: Reply } {
  const clientId = params.get('client_id');
  if (!clientId) return { ok: false, reply: errorPage('Sign-in error', 'client_id is missing.') };
  const client = findClient(clientId);
  if (!client) return { ok: false, reply: errorPage('Sign-in error', `Unknown OAuth client: ${clientId}`) };
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return { ok: false, reply: errorPage('Sign-in error', 'redirect_uri is missing.') };
  if (!redirectAllowed(client, redirectUri))
    return { ok: false, reply: errorPage('Sign-in error', `redirect_uri is not registered for client ${clientId}: ${redirectUri}`) };
  return {
    ok: true,
    value: {
      client,
      redirectUri,
      responseType: params.get('response_type') ?? '',
      state: params.get('state'),
      challenge: params.get('code_challenge'),
      challengeMethod: params.get('code_challenge_method'),
      prompt: params.get('prompt'),
    },
  };
}

function redirect(location: string, extraHeaders: Record<string, string> = {}): Reply {
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', ...extraHeaders } };
}

function withQuery(uri: string, params: Record<string, string>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

function withFragment(uri: string, params: Record<string, string>): string {
  const u = new URL(uri);
  u.hash = Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return u.toString();
}

/** Errors the platform returns by redirect: fragment for response_type=token, query otherwise. */
function redirectError(a: AuthorizeRequest, error: string, description: string): Reply {
  const params: Record<string, string> = { error, error_description: description };
  if (a.state !== null) params.state = a.state;
  return redirect(a.responseType === 'token' ? withFragment(a.redirectUri, params) : withQuery(a.redirectUri, params));
}

/** Checks that may fail by redirect (response type, grant allowed, PKCE parameters). */
function checkGrant(a: AuthorizeRequest): Reply | null {
  if (a.responseType !== 'token' && a.responseType !== 'code')
    return redirectError(a, 'unsupported_response_type', `response_type ${a.responseType || '(missing)'} is not supported`);
  const grant: GrantKind = a.responseType === 'token' ? 'implicit' : 'pkce';
  if (!a.client.grants.includes(grant))
    return redirectError(a, 'unauthorized_client', `client ${a.client.id} is not allowed to use response_type=${a.responseType}`);
  if (grant === 'pkce') {
    if (!a.challenge) return redirectError(a, 'invalid_request', 'code_challenge is required');
    if (a.challengeMethod !== 'S256') return redirectError(a, 'invalid_request', 'code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(a.challenge)) return redirectError(a, 'invalid_request', 'code_challenge is malformed');
  }
  return null;
}

/** Issue the token or code for a user and redirect back. */
function issue(ctx: Ctx, a: AuthorizeRequest, user: SimUser, session: LoginSession, headers: Record<string, string> = {}): Reply {
  const { state, now } = ctx;
  if (a.responseType === 'token') {
    const tok = state.mintToken(user, a.client.id, 'implicit', now, { sessionId: session.id });
    const params: Record<string, string> = { access_token: tok.token, expires_in: String(state.options.tokenTtl), token_type: 'bearer' };
    if (a.state !== null) params.state = a.state;
    return redirect(withFragment(a.redirectUri, params), headers);
  }
  const code = randomBytes(24).toString('base64url');
  state.authCodes.set(code, {
    code,
    clientId: a.client.id,
    redirectUri: a.redirectUri,
    challenge: a.challenge ?? '',
    userId: user.id,
    sessionId: session.id,
    expiresAt: now + CODE_LIFETIME_MS,
    used: false,
  });
  const params: Record<string, string> = { code };
  if (a.state !== null) params.state = a.state;
  return redirect(withQuery(a.redirectUri, params), headers);
}

function loginPage(ctx: Ctx, params: URLSearchParams, a: AuthorizeRequest): Reply {
  const hidden = [...params.entries()].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  const users = ctx.state.org.users
    .map(
      (u) =>
        `<li><form method="post" action="/login/oauth/authorize/login">${hidden}<input type="hidden" name="sim_user" value="${escapeHtml(u.id)}"><button type="submit">Sign in as ${escapeHtml(u.name)} (${escapeHtml(u.email)})</button></form></li>`,
    )
    .join('');
  const cancel = `<form method="post" action="/login/oauth/authorize/login">${hidden}<input type="hidden" name="sim_action" value="deny"><button type="submit">Cancel and return to the app</button></form>`;
  const target = new URL(a.redirectUri).origin;
  return page(
    'Sign in to the simulated Genesys Cloud org',
    `<p class="muted">Application: ${escapeHtml(a.client.name)}. Pick a user (no password in the simulated org).</p><ul>${users}</ul>${cancel}`,
    200,
    [target],
  );
}

export function authorizeGet(ctx: Ctx): Reply {
  const v = validateAuthorize(ctx.query);
  if (!v.ok) return v.reply;
  const a = v.value;
  const bad = checkGrant(a);
  if (bad) return bad;
  const session = a.prompt === 'login' ? undefined : liveSession(ctx);
  if (session) {
    const user = ctx.state.org.usersById.get(session.userId);
    if (user) return issue(ctx, a, user, session);
  }
  const auto = ctx.state.options.autoLogin;
  if (auto) {
    const user = ctx.state.userByEmail(auto);
    if (!user) return errorPage('Sign-in error', `auto-login user ${auto} does not exist in the simulated org`);
    const s = newSession(ctx.state, user, ctx.now);
    return issue(ctx, a, user, s, { 'Set-Cookie': sessionCookie(s.id) });
  }
  return loginPage(ctx, ctx.query, a);
}

export function authorizeLoginPost(ctx: Ctx): Reply {
  const form = new URLSearchParams(ctx.bodyText);
  const v = validateAuthorize(form);
  if (!v.ok) return v.reply;
  const a = v.value;
  const bad = checkGrant(a);
  if (bad) return bad;
  if (form.get('sim_action') === 'deny') return redirectError(a, 'access_denied', 'The user denied the request');
  const user = ctx.state.org.usersById.get(form.get('sim_user') ?? '');
  if (!user) return errorPage('Sign-in error', 'Unknown user.');
  const s = newSession(ctx.state, user, ctx.now);
  return issue(ctx, a, user, s, { 'Set-Cookie': sessionCookie(s.id) });
}

function tokenError(status: number, error: string, description: string): Reply {
  return { status, headers: { 'Cache-Control': 'no-store' }, json: { error, description, error_description: description } };
}

export function tokenPost(ctx: Ctx): Reply {
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return tokenError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  const form = new URLSearchParams(ctx.bodyText);
  const grantType = form.get('grant_type');
  if (!grantType) return tokenError(400, 'invalid_request', 'grant_type is required');
  const client = findClient(form.get('client_id'));
  if (!client) return tokenError(400, 'invalid_client', 'client not found');
  if (grantType !== 'authorization_code') return tokenError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported for this client`);
  if (!client.grants.includes('pkce')) return tokenError(400, 'unauthorized_client', 'client is not allowed to use the authorization code grant');
  const codeValue = form.get('code');
  const verifier = form.get('code_verifier');
  const redirectUri = form.get('redirect_uri');
  if (!codeValue || !verifier || !redirectUri) return tokenError(400, 'invalid_request', 'code, code_verifier and redirect_uri are required');
  const rec = ctx.state.authCodes.get(codeValue);
  if (!rec) return tokenError(400, 'invalid_grant', 'authorization code is invalid');
  if (rec.used) {
    // Replay: refuse and revoke what the code produced (RFC 6749 §4.1.2).
    for (const t of ctx.state.tokens.values()) if (t.authCode === rec.code) ctx.state.revokeToken(t);
    return tokenError(400, 'invalid_grant', 'authorization code has already been used');
  }
  rec.used = true;
  if (rec.expiresAt <= ctx.now) return tokenError(400, 'invalid_grant', 'authorization code has expired');
  if (rec.clientId !== client.id) return tokenError(400, 'invalid_grant', 'authorization code was issued to another client');
  if (rec.redirectUri !== redirectUri) return tokenError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return tokenError(400, 'invalid_grant', 'code_verifier is malformed');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (challenge !== rec.challenge) return tokenError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
  const user = ctx.state.org.usersById.get(rec.userId);
  if (!user) return tokenError(400, 'invalid_grant', 'user no longer exists');
  const tok = ctx.state.mintToken(user, client.id, 'pkce', ctx.now, { sessionId: rec.sessionId, authCode: rec.code });
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    json: { access_token: tok.token, token_type: 'bearer', expires_in: ctx.state.options.tokenTtl },
  };
}

export function logoutGet(ctx: Ctx): Reply {
  const session = liveSession(ctx);
  if (session) {
    ctx.state.sessions.delete(session.id);
    if (ctx.state.options.logoutRevokesTokens) for (const t of ctx.state.tokens.values()) if (t.sessionId === session.id) ctx.state.revokeToken(t);
  }
  const clearCookie = `${SESSION_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0`;
  const target = ctx.query.get('redirect_uri') ?? ctx.query.get('redirectUri');
  const client = findClient(ctx.query.get('client_id'));
  if (target && client && redirectAllowed(client, target)) return redirect(target, { 'Set-Cookie': clearCookie });
  const note = target
    ? `<p class="muted">Not redirecting: ${escapeHtml(target)} is not registered for ${escapeHtml(ctx.query.get('client_id') ?? '(no client_id)')}.</p>`
    : '';
  const reply = page('You are signed out of the simulated Genesys Cloud org', `<p>You can close this window.</p>${note}`);
  return { ...reply, headers: { ...(reply.headers ?? {}), 'Set-Cookie': clearCookie } };
}
