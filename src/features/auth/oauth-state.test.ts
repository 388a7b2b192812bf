import fc from 'fast-check';
import { consumeState, isUrlSafeState, newState, savePending, ATTEMPT_MAX_AGE_MS, type PendingAttempt } from './oauth-state.ts';

const attempt = (state: string, createdAt = Date.now()): PendingAttempt => ({
  state,
  grant: 'pkce',
  region: 'sim',
  clientId: 'c',
  returnTo: '/conversations',
  createdAt,
  popup: false,
});

describe('OAuth state', () => {
  beforeEach(() => sessionStorage.clear());

  it('is URL-safe, at least 128 bits, and new every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const s = newState();
      expect(isUrlSafeState(s)).toBe(true);
      expect(s.length).toBeGreaterThanOrEqual(43); // 32 bytes → 43 base64url chars = 256 bits
      expect(encodeURIComponent(s)).toBe(s);
      seen.add(s);
    }
    expect(seen.size).toBe(500);
  });

  it('encodes any random bytes as URL-safe text (no % to trip the SDK double decoding)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const s = newState(() => bytes);
        return isUrlSafeState(s) && decodeURIComponent(decodeURIComponent(s)) === s;
      }),
    );
  });

  it('accepts the matching state once, then refuses a replay', () => {
    const s = newState();
    savePending(attempt(s));
    expect(consumeState(s)).toMatchObject({ ok: true, attempt: { state: s } });
    expect(consumeState(s)).toEqual({ ok: false, reason: 'unexpected' });
  });

  it('refuses a missing, mismatched or stale state and consumes the attempt anyway', () => {
    const s = newState();
    savePending(attempt(s));
    expect(consumeState(null)).toEqual({ ok: false, reason: 'missing' });
    expect(consumeState(s)).toEqual({ ok: false, reason: 'unexpected' });
    savePending(attempt(s));
    expect(consumeState(newState())).toEqual({ ok: false, reason: 'mismatch' });
    savePending(attempt(s, Date.now() - ATTEMPT_MAX_AGE_MS - 1));
    expect(consumeState(s)).toEqual({ ok: false, reason: 'expired' });
  });
});
