import { problemFrom } from './auth-flow.ts';
import { readCallback, withoutOAuthParams } from './callback.ts';

describe('OAuth callback', () => {
  it('recognises implicit, code and error answers', () => {
    expect(readCallback('', '#access_token=t&expires_in=60&token_type=bearer&state=s1')).toEqual({ kind: 'token', state: 's1' });
    expect(readCallback('?code=c&state=s2', '')).toEqual({ kind: 'code', state: 's2' });
    expect(readCallback('?code=c', '')).toEqual({ kind: 'code', state: null });
    expect(readCallback('', '#error=access_denied&error_description=no&state=s')).toEqual({
      kind: 'error',
      state: 's',
      error: 'access_denied',
      description: 'no',
    });
    expect(readCallback('?error=invalid_request', '')).toMatchObject({ kind: 'error', error: 'invalid_request', state: null });
    expect(readCallback('?range=today', '')).toEqual({ kind: 'none' });
  });

  it('removes every OAuth parameter and keeps the rest', () => {
    expect(withoutOAuthParams(new URL('http://x/app/conversations?code=c&state=s&range=today'))).toBe('/app/conversations?range=today');
    expect(withoutOAuthParams(new URL('http://x/app/#access_token=t&state=s'))).toBe('/app/');
    expect(withoutOAuthParams(new URL('http://x/app/?gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie#error=x'))).toBe(
      '/app/?gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie',
    );
  });
});

describe('sign-in problems', () => {
  it('maps every way a login fails to a plain message', () => {
    expect(problemFrom(new Error('Auth Error: [access_denied] The user said no'))).toEqual({
      kind: 'platform',
      error: 'access_denied',
      description: 'The user said no',
    });
    expect(problemFrom(new Error('Auth Error: [invalid_state] mismatch'))).toEqual({ kind: 'refused', reason: 'mismatch' });
    expect(problemFrom({ code: 'login.popupBlocked', message: 'x' })).toEqual({ kind: 'popupBlocked' });
    expect(problemFrom({ code: 'login.popupClosed', message: 'x' })).toEqual({ kind: 'popupClosed' });
    expect(problemFrom(new Error('Authentication Popup Timeout')).kind).toBe('popupClosed');
    expect(problemFrom(Object.assign(new Error('Network Error'), { kind: 'network' })).kind).toBe('network');
    expect(problemFrom(Object.assign(new Error('bad token'), { status: 401 })).kind).toBe('token');
    expect(problemFrom('???').kind).toBe('unknown');
  });
});
