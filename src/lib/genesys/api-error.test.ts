import {
  ApiError,
  fromHttpResponse,
  isFinal,
  isRetryable,
  isUnknownOutcome,
  parseRateLimitReset,
  parseRetryAfter,
  readHeader,
  readRateLimitHeaders,
  toApiError,
} from './api-error.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['3', 3000],
    [' 120 ', 120_000],
    ['1.5', 1500],
    ['-5', 0],
  ])('seconds %j → %i ms', (v, ms) => {
    expect(parseRetryAfter(v, NOW)).toBe(ms);
  });

  it('accepts an HTTP date, relative to now, never negative', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 10:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:59:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, null, '', '   ', 'soon', 'abc123'])('ignores %j', (v) => {
    expect(parseRetryAfter(v, NOW)).toBeUndefined();
  });
});

describe('rate-limit headers', () => {
  it('parses inin-ratelimit-reset as seconds', () => {
    expect(parseRateLimitReset('42')).toBe(42_000);
    expect(parseRateLimitReset('x')).toBeUndefined();
    expect(parseRateLimitReset(undefined)).toBeUndefined();
  });

  it('reads count/allowed/reset from any header container, case-insensitively', () => {
    expect(readRateLimitHeaders({ 'Inin-RateLimit-Count': '12', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '7' })).toEqual({
      count: 12,
      allowed: 300,
      resetMs: 7000,
    });
    expect(readRateLimitHeaders(new Headers({ 'inin-ratelimit-allowed': '300' }))).toEqual({ allowed: 300 });
    expect(readRateLimitHeaders(undefined)).toEqual({});
    expect(readHeader({ 'set-cookie': ['a', 'b'] }, 'Set-Cookie')).toBe('a');
  });
});

describe('toApiError', () => {
  it('keeps an ApiError as is', () => {
    const e = new ApiError({ kind: 'http', status: 404, code: 'not.found', message: 'x' });
    expect(toApiError(e)).toBe(e);
  });

  it('normalises a parsed ErrorBody', () => {
    const e = toApiError({
      message: 'Wrap-up code not allowed',
      code: 'bad.request',
      status: 400,
      contextId: 'ctx-1',
      details: [{ errorCode: 'x', fieldName: 'code' }],
    });
    expect(e).toMatchObject({ kind: 'http', status: 400, code: 'bad.request', message: 'Wrap-up code not allowed', contextId: 'ctx-1' });
    expect(e.details).toEqual([{ errorCode: 'x', fieldName: 'code' }]);
    expect(isFinal(e)).toBe(true);
  });

  it('normalises an ErrorBody without a status (status unknown)', () => {
    expect(toApiError({ message: 'boom', code: 'internal.server.error' })).toMatchObject({ kind: 'http', status: 0 });
  });

  it('normalises undefined (empty error body)', () => {
    const e = toApiError(undefined, { method: 'POST' });
    expect(e).toMatchObject({ kind: 'http', status: 0, code: 'http.empty' });
    expect(isUnknownOutcome(e)).toBe(true);
    expect(isFinal(e)).toBe(false);
  });

  it('normalises the synchronous "missing parameter" string as usage, never sent', () => {
    const e = toApiError('Missing the required parameter "conversationId" when calling getConversation');
    expect(e).toMatchObject({ kind: 'usage', status: 0, sent: false });
    expect(isFinal(e)).toBe(true);
    expect(isRetryable(e)).toBe(false);
    expect(isUnknownOutcome(e)).toBe(false);
  });

  it('normalises a non-JSON body string (HTML from a proxy)', () => {
    expect(toApiError('<html>Bad gateway</html>')).toMatchObject({ kind: 'http', status: 0, message: '<html>Bad gateway</html>' });
  });

  it('normalises an extended response {status, headers, body}', () => {
    const e = toApiError({
      status: 429,
      statusText: 'Too Many Requests',
      headers: { 'retry-after': '12', 'inin-correlation-id': 'corr' },
      body: { message: 'Rate limit exceeded', code: 'too.many.requests', status: 429 },
      error: {},
    });
    expect(e).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 12_000, code: 'too.many.requests', contextId: 'corr' });
    expect(isRetryable(e)).toBe(true);
  });

  it('normalises an AxiosError with a response', () => {
    const e = toApiError({
      isAxiosError: true,
      message: 'Request failed with status code 503',
      config: { method: 'post', url: 'https://api.x/api/v2/conversations/calls/c/participants/p/communications/m/wrapup' },
      response: { status: 503, headers: {}, data: '' },
    });
    expect(e).toMatchObject({ kind: 'http', status: 503, method: 'POST', code: 'http.503' });
    expect(isRetryable(e)).toBe(true);
    expect(isUnknownOutcome(e)).toBe(true);
  });

  it.each([
    ['ERR_NETWORK', 'network'],
    ['ECONNABORTED', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['ERR_CANCELED', 'aborted'],
    [undefined, 'network'],
  ])('normalises an AxiosError without response, code %s → %s', (code, kind) => {
    const e = toApiError({ isAxiosError: true, code, message: 'x', config: { method: 'get', url: '/u' } });
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(0);
    expect(e.method).toBe('GET');
  });

  it('normalises AbortError DOMExceptions', () => {
    expect(toApiError(new DOMException('gone', 'AbortError')).kind).toBe('aborted');
  });

  it('turns anything else into an unexpected usage error', () => {
    expect(toApiError(new TypeError('oops'))).toMatchObject({ kind: 'usage', code: 'unexpected', message: 'oops' });
    expect(toApiError(42)).toMatchObject({ kind: 'usage', message: '42' });
  });
});

describe('fromHttpResponse', () => {
  it('parses a JSON string body and Retry-After as an HTTP date', () => {
    const e = fromHttpResponse(429, { 'Retry-After': 'Mon, 02 Mar 2026 10:01:00 GMT' }, '{"message":"slow down","code":"too.many.requests"}', {
      now: NOW,
    });
    expect(e).toMatchObject({ status: 429, retryAfterMs: 60_000, message: 'slow down' });
  });

  it('falls back to inin-ratelimit-reset on a 429 without Retry-After', () => {
    expect(fromHttpResponse(429, { 'inin-ratelimit-reset': '9' }, undefined).retryAfterMs).toBe(9000);
    expect(fromHttpResponse(503, { 'inin-ratelimit-reset': '9' }, undefined).retryAfterMs).toBeUndefined();
    expect(fromHttpResponse(429, { 'inin-ratelimit-count': '300', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '9' }, undefined).retryAfterMs).toBe(
      9000,
    );
  });

  it('ignores the window reset on a 429 while the token count is below its allowance (another limit: back off)', () => {
    expect(
      fromHttpResponse(429, { 'inin-ratelimit-count': '41', 'inin-ratelimit-allowed': '300', 'inin-ratelimit-reset': '52' }, undefined).retryAfterMs,
    ).toBeUndefined();
  });

  it('gives a readable message without a body', () => {
    expect(fromHttpResponse(502, {}, undefined).message).toMatch(/502/);
  });
});

describe('classification', () => {
  const http = (status: number, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
    new ApiError({ kind: 'http', status, code: 'c', message: 'm', ...extra });

  it.each([400, 403, 404, 422])('%i is final and not retryable', (s) => {
    expect(isFinal(http(s))).toBe(true);
    expect(isRetryable(http(s))).toBe(false);
  });

  it.each([429, 408, 500, 502, 503, 504])('%i is retryable and not final', (s) => {
    expect(isRetryable(http(s))).toBe(true);
    expect(isFinal(http(s))).toBe(false);
  });

  it('401 is neither final nor retryable (sign in again)', () => {
    expect(isFinal(http(401))).toBe(false);
    expect(isRetryable(http(401))).toBe(false);
  });

  it('network and timeout are retryable; aborted is not', () => {
    expect(isRetryable(new ApiError({ kind: 'network', status: 0, code: 'n', message: '' }))).toBe(true);
    expect(isRetryable(new ApiError({ kind: 'timeout', status: 0, code: 't', message: '' }))).toBe(true);
    expect(isRetryable(new ApiError({ kind: 'aborted', status: 0, code: 'a', message: '' }))).toBe(false);
  });

  describe('isUnknownOutcome', () => {
    const w = { method: 'POST' };
    it('is true for a write that timed out, lost its connection or was cancelled in flight', () => {
      expect(isUnknownOutcome(new ApiError({ kind: 'timeout', status: 0, code: 't', message: '', ...w }))).toBe(true);
      expect(isUnknownOutcome(new ApiError({ kind: 'network', status: 0, code: 'n', message: '', ...w }))).toBe(true);
      expect(isUnknownOutcome(new ApiError({ kind: 'aborted', status: 0, code: 'a', message: '', ...w }))).toBe(true);
    });
    it('is false for a write cancelled before it was sent', () => {
      expect(isUnknownOutcome(new ApiError({ kind: 'aborted', status: 0, code: 'a', message: '', sent: false, ...w }))).toBe(false);
    });
    it('is true for a 5xx without platform body and for 504, false for a 5xx with one', () => {
      expect(isUnknownOutcome(http(500, w))).toBe(true);
      expect(isUnknownOutcome(http(504, { ...w, body: { code: 'gateway.timeout' } }))).toBe(true);
      expect(isUnknownOutcome(http(503, { ...w, body: { code: 'service.unavailable' } }))).toBe(false);
    });
    it('is false for definite answers and for reads', () => {
      for (const s of [400, 401, 403, 404, 409, 422, 429]) expect(isUnknownOutcome(http(s, w))).toBe(false);
      expect(isUnknownOutcome(new ApiError({ kind: 'timeout', status: 0, code: 't', message: '', method: 'GET' }))).toBe(false);
      expect(isUnknownOutcome(http(500, { method: 'get' }))).toBe(false);
    });
  });
});
