import { ApiError } from '@/lib/genesys/api-error.ts';
import { mayHaveArrived, nudgeFailure } from './nudge.ts';

const http = (status: number, code = 'x', body = true) =>
  new ApiError({ kind: 'http', status, code, message: 'm', method: 'POST', ...(body ? { body: { code, message: 'm', status } } : {}) });

describe('what a failed nudge means', () => {
  it('403 is the missing chat permission, 404 an unknown user, 400 an invalid message', () => {
    expect(nudgeFailure(http(403, 'missing.any.permissions'))).toBe('permission');
    expect(nudgeFailure(http(404, 'not.found'))).toBe('unknown-user');
    expect(nudgeFailure(http(400, 'bad.request'))).toBe('invalid');
    expect(nudgeFailure(http(401, 'unauthorized'))).toBe('session');
    expect(nudgeFailure(http(429, 'too.many.requests'))).toBe('throttled');
  });

  it('no answer: the message may have arrived, and the nudge counts for the limit', () => {
    for (const e of [
      new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 't', method: 'POST' }),
      http(504, 'gateway.timeout'),
      http(502, 'x', false),
    ]) {
      expect(nudgeFailure(e)).toBe('unknown-outcome');
      expect(mayHaveArrived(nudgeFailure(e))).toBe(true);
    }
    expect(mayHaveArrived(nudgeFailure(http(403)))).toBe(false);
  });

  it('never sent: said as such', () => {
    expect(nudgeFailure(new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'a', sent: false }))).toBe('not-sent');
    expect(nudgeFailure(new ApiError({ kind: 'usage', status: 0, code: 'usage', message: 'u' }))).toBe('not-sent');
  });
});
