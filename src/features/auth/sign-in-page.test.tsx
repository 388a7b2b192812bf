import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { appConfigSchema } from '@/config/schema.ts';
import { renderWithProviders, setupI18n } from '@/testing/render.tsx';
import { initialSettings, SignInPage } from './sign-in-page.tsx';

const config = (o: Record<string, unknown> = {}) =>
  appConfigSchema.parse({ region: 'mypurecloud.ie', clientId: 'from-config', extraRegions: ['mypurecloud.de'], ...o });

describe('sign-in settings', () => {
  it('start from config.json, or the last choice when not locked', () => {
    const last = JSON.stringify({ region: 'mypurecloud.de', clientId: 'mine', grant: 'implicit' });
    expect(initialSettings(config(), null)).toEqual({ region: 'mypurecloud.ie', clientId: 'from-config', grant: 'pkce' });
    expect(initialSettings(config(), last)).toEqual({ region: 'mypurecloud.de', clientId: 'mine', grant: 'implicit' });
    expect(initialSettings(config({ lockSignIn: true }), last)).toEqual({ region: 'mypurecloud.ie', clientId: 'from-config', grant: 'pkce' });
    // A remembered region this deployment does not allow falls back to the configured one.
    expect(initialSettings(config(), JSON.stringify({ region: 'mypurecloud.jp' })).region).toBe('mypurecloud.ie');
    expect(initialSettings(config(), '{junk').clientId).toBe('from-config');
  });
});

describe('sign-in form', () => {
  beforeAll(() => setupI18n('en'));
  beforeEach(() => localStorage.clear());

  it('refuses an empty client id before anything is sent', async () => {
    const onSignIn = vi.fn();
    renderWithProviders(<SignInPage config={config()} onSignIn={onSignIn} />);
    await userEvent.clear(screen.getByLabelText('OAuth client ID'));
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignIn).not.toHaveBeenCalled();
    expect(screen.getByText('Enter the OAuth client ID.')).toBeInTheDocument();
  });

  it('offers only the regions this deployment allows, warns about implicit, and signs in', async () => {
    const onSignIn = vi.fn();
    renderWithProviders(<SignInPage config={config()} onSignIn={onSignIn} />);
    const region = screen.getByLabelText('Region');
    const enabled = [...region.querySelectorAll('option')].filter((o) => !o.disabled).map((o) => o.value);
    expect(enabled).toEqual(['mypurecloud.ie', 'mypurecloud.de']);
    expect(region.querySelectorAll('option')).toHaveLength(18);
    await userEvent.selectOptions(region, 'mypurecloud.de');
    await userEvent.click(screen.getByLabelText('Implicit grant'));
    expect(screen.getByText(/turns implicit logins off in March 2027/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignIn).toHaveBeenCalledWith({ region: 'mypurecloud.de', clientId: 'from-config', grant: 'implicit' });
    expect(JSON.parse(localStorage.getItem('wud.auth.lastSettings')!)).toEqual({ region: 'mypurecloud.de', clientId: 'from-config', grant: 'implicit' });
  });
});
