import { screen } from '@testing-library/react';
import { appConfigSchema } from '@/config/schema.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import { configureClient, getPlatform, resetClientForTests } from '@/lib/genesys/client.ts';
import { renderWithProviders, setupI18n } from '@/testing/render.tsx';
import { AuthProblemMessage } from './auth-problem-message.tsx';
import { bootstrapAuth, problemFrom, startSignIn } from './auth-flow.ts';
import { useSessionStore } from './session-store.ts';

const config = appConfigSchema.parse({ region: 'sim', simUrl: 'http://127.0.0.1:4010', clientId: 'cid' });
const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('sign-in with full browser storage (issue 14)', () => {
  beforeAll(() => setupI18n('en'));
  afterEach(() => {
    vi.restoreAllMocks();
    resetClientForTests();
    sessionStorage.clear();
  });

  it('a storage failure is its own problem, not a refused token', () => {
    expect(problemFrom(quota())).toEqual({ kind: 'storage' });
    expect(problemFrom(new ApiError({ kind: 'usage', status: 0, code: 'login.storage', message: 'x', sent: false }))).toEqual({ kind: 'storage' });
    expect(problemFrom(new ApiError({ kind: 'http', status: 401, code: 'login.failed', message: 'bad token' }))).toMatchObject({ kind: 'token' });
  });

  it('sessionStorage full when the attempt is saved: a clear message, nothing sent', async () => {
    await bootstrapAuth({ config, redirectUri: 'http://localhost:3000/', popupOnly: false });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw quota();
    });
    await startSignIn({ region: 'sim', clientId: 'cid', grant: 'pkce' });
    expect(useSessionStore.getState().problem).toEqual({ kind: 'storage' });
  });

  it('localStorage full when the SDK started (it then refuses PKCE): a clear message', async () => {
    await bootstrapAuth({ config, redirectUri: 'http://localhost:3000/', popupOnly: false });
    configureClient({ kind: 'sim', baseUrl: 'http://127.0.0.1:4010' });
    // The SDK tests localStorage once, when its client is created (a write that throws → false).
    const sdk = getPlatform().apiClient as unknown as { hasLocalStorage: boolean };
    sdk.hasLocalStorage = false;
    try {
      await startSignIn({ region: 'sim', clientId: 'cid', grant: 'pkce' });
      expect(useSessionStore.getState().problem).toEqual({ kind: 'storage' });
    } finally {
      sdk.hasLocalStorage = true;
    }
  });

  it('says so in plain words', () => {
    renderWithProviders(<AuthProblemMessage problem={{ kind: 'storage' }} />);
    expect(screen.getByRole('alert')).toHaveTextContent(/storage for this site is full or blocked/);
  });
});
