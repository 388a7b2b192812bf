import { ApiError } from './api-error.ts';
import { auditOutcomeOf, classifyWriteError } from './write-outcome.ts';

const http = (status: number, body?: { code: string }) =>
  new ApiError({
    kind: 'http',
    status,
    code: body?.code ?? `http.${status}`,
    message: 'x',
    method: 'POST',
    ...(body ? { body: { ...body, status, message: 'x' } } : {}),
  });

describe('classifyWriteError: the one classification of a failed write', () => {
  it.each([
    [http(400), 'refused'],
    [http(403), 'refused'],
    [http(404), 'refused'],
    [http(422), 'refused'],
    [http(401), 'session'],
    [http(429), 'throttled'],
    [http(409), 'conflict'],
    [http(408), 'unknown'],
    [http(500), 'unknown'],
    [http(503, { code: 'service.unavailable' }), 'unknown'], // with an error body: still may have landed
    [http(504), 'unknown'],
    [http(0), 'unknown'],
    [new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'x', method: 'POST' }), 'unknown'],
    [new ApiError({ kind: 'network', status: 0, code: 'network', message: 'x', method: 'POST' }), 'unknown'],
    [new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'x', method: 'POST' }), 'unknown'],
    [new ApiError({ kind: 'aborted', status: 0, code: 'aborted', message: 'x', method: 'POST', sent: false }), 'not-sent'],
    [new ApiError({ kind: 'usage', status: 0, code: 'usage', message: 'x' }), 'refused'],
  ] as const)('%s → %s', (err, cls) => {
    expect(classifyWriteError(err)).toBe(cls);
  });

  it('maps every class to an audit outcome', () => {
    expect(auditOutcomeOf('refused')).toBe('refused');
    expect(auditOutcomeOf('conflict')).toBe('already-coded');
    expect(auditOutcomeOf('session')).toBe('not-applied');
    expect(auditOutcomeOf('throttled')).toBe('not-applied');
    expect(auditOutcomeOf('not-sent')).toBe('not-applied');
    expect(auditOutcomeOf('unknown')).toBe('unknown');
  });
});
