import type { Page, Request } from '@playwright/test';
import { test, expect, expectAccessible, allowResourceErrors, signIn, SUPERVISOR, VIEWER } from './fixtures.ts';
import { simUrl } from '../playwright.config.ts';

const simOrigin = new URL(simUrl).origin;

/** Everything a page keeps: no value may contain the token (checklist #4). */
async function storageDump(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const dump: string[] = [document.cookie];
    for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) dump.push(`${s.key(i)}=${s.getItem(s.key(i)!)}`);
    const dbs = await indexedDB.databases();
    dump.push(JSON.stringify(dbs));
    return dump.join('\n');
  });
}

function bearerTokens(requests: Request[]): string[] {
  return [...new Set(requests.map((r) => r.headers().authorization).filter((a): a is string => !!a?.startsWith('bearer ') || !!a?.startsWith('Bearer ')))].map(
    (a) => a.replace(/^bearer /i, ''),
  );
}

test.describe('sign-in', () => {
  test('PKCE through the login page: back where we were, nothing left in the URL, history or storage', async ({ page, sim }) => {
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    await page.goto('./conversations');
    await expectAccessible(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`^${simOrigin}/login/oauth/authorize\\?`));
    expect(new URL(page.url()).searchParams.get('code_challenge_method')).toBe('S256');
    await page.getByRole('button', { name: /Sign in as Sam Supervisor/ }).click();
    await expect(page.getByText('Signed in as Sam Supervisor')).toBeVisible();
    await expect(page.getByText(/^Organization: /)).toBeVisible();
    await expect(page).toHaveURL(/\/wrapup-desk\/conversations$/);

    const tokens = bearerTokens(requests);
    expect(tokens.length).toBeGreaterThan(0);
    const stored = await storageDump(page);
    for (const t of tokens) expect(stored).not.toContain(t);
    expect(stored).not.toMatch(/access_token/);

    // The callback entry was replaced: forward from the login page lands on the clean address.
    await page.goBack();
    await page.goForward();
    expect(page.url()).not.toMatch(/[?#&](code|state|access_token)=/);
    void sim;
  });

  test('a reload signs in again silently and returns to the same address', async ({ page }) => {
    await page.goto('./bulk?view=history');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /Sign in as Sam Supervisor/ }).click();
    await expect(page.getByText('Signed in as Sam Supervisor')).toBeVisible();
    await expect(page).toHaveURL(/\/wrapup-desk\/bulk\?view=history$/);
    // No token survives the reload; the platform's login session (a cookie on its own host) signs in again.
    await page.reload();
    await expect(page.getByText('Signed in as Sam Supervisor')).toBeVisible();
    await expect(page).toHaveURL(/\/wrapup-desk\/bulk\?view=history$/);
  });

  test('implicit grant signs in and strips the token from the address', async ({ page, sim }) => {
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    await signIn(page, sim, { grant: 'implicit' });
    await expect(page).toHaveURL(/\/wrapup-desk\/conversations$/);
    expect(await page.evaluate(() => location.hash)).toBe('');
    const stored = await storageDump(page);
    for (const t of bearerTokens(requests)) expect(stored).not.toContain(t);
  });

  test('a mismatched or missing state is refused before any API call', async ({ page, sim }) => {
    await page.goto('./conversations');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`^${simOrigin}/login/`));
    const afterLoginPage: Request[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(simOrigin)) afterLoginPage.push(r);
    });
    // An attacker's callback: a real-looking code with someone else's state.
    await page.goto('./conversations?code=stolen-code&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await expect(page.getByRole('alert').filter({ hasText: 'state mismatch' })).toBeVisible();
    expect(page.url()).not.toMatch(/code=|state=/);

    // The attempt was consumed: even a callback without state finds nothing to match.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`^${simOrigin}/login/`));
    await page.goto('./conversations?code=another');
    await expect(page.getByRole('alert').filter({ hasText: 'carried no state value' })).toBeVisible();
    // Neither the token exchange nor any API call was attempted.
    expect(afterLoginPage.map((r) => r.url()).filter((u) => u.includes('/api/v2/') || u.includes('/oauth/token'))).toEqual([]);
    void sim;
  });

  test('a replayed callback is refused', async ({ page, sim }) => {
    let callback = '';
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame() && f.url().includes('code=')) callback = f.url();
    });
    await signIn(page, sim);
    expect(callback).toContain('state=');
    const exchanges: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/login/oauth/token')) exchanges.push(r.url());
    });
    await page.goto(callback);
    await expect(page.getByRole('alert').filter({ hasText: 'already used' })).toBeVisible();
    expect(exchanges).toEqual([]);
  });

  test('the platform declining sign-in is explained', async ({ page }) => {
    await page.goto('./conversations');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Cancel and return to the app' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'declined the sign-in' })).toBeVisible();
    await expect(page.getByText(/Genesys Cloud answered: access_denied/)).toBeVisible();
  });

  test('an expired token asks to sign in again by popup and keeps the page', async ({ page, sim }) => {
    await sim.setOptions({ tokenTtl: 6 });
    await signIn(page, sim, { path: './conversations?keep=me' });
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
    await expect(page.getByText('Your session has expired. Everything on this page is kept.')).toBeVisible({ timeout: 20_000 });
    await sim.setOptions({ tokenTtl: 3600 });
    const popupPromise = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    const popup = await popupPromise;
    await popup.waitForEvent('close', { timeout: 20_000 });
    await expect(page.getByText('Your session has expired.')).toBeHidden();
    await expect(page.getByText('You are signed in again.')).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(42);
    await expect(page).toHaveURL(/\/conversations\?keep=me$/);
  });

  test('a revoked token (401) keeps the page: sign in again and carry on with the same filters', async ({ page, sim, guard }) => {
    await signIn(page, sim, { path: './conversations?media=voice' });
    await expect(page.getByText(/conversations loaded at/)).toBeVisible();
    await sim.revoke({ email: SUPERVISOR });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText('Your session has expired. Everything on this page is kept.')).toBeVisible();
    expect(allowResourceErrors(guard, /status of 401 .*\/api\/v2\//)).toBeGreaterThan(0);
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await (await popup).waitForEvent('close');
    await expect(page.getByText('You are signed in again.')).toBeVisible();
    await expect(page).toHaveURL(/\/conversations\?media=voice$/);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText(/conversations loaded at/)).toBeVisible();
  });

  test('a viewer sees which permission is missing', async ({ page, sim }) => {
    await signIn(page, sim, { as: VIEWER });
    await expect(page.getByText('Applying wrap-up codes is not available: your account lacks conversation:participant:wrapup.')).toBeVisible();
    await expectAccessible(page, 'permission notice');
  });

  test('sign-out revokes the token and returns to the sign-in screen', async ({ page, sim }) => {
    await signIn(page, sim, { as: SUPERVISOR });
    await sim.setOptions({ autoLogin: null });
    const revoke = page.waitForRequest((r) => r.method() === 'DELETE' && r.url().endsWith('/api/v2/tokens/me'));
    const logout = page.waitForRequest((r) => r.url().startsWith(`${simOrigin}/login/logout?`));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await revoke;
    expect(new URL((await logout).url()).searchParams.get('client_id')).toBe('wrapup-desk-demo');
    await expect(page.getByRole('heading', { name: 'Sign in to Genesys Cloud' })).toBeVisible();
    await expect(page.getByText(/^Signed in as /)).toBeHidden();
  });

  test('an embedding address naming a foreign host sends nothing anywhere', async ({ page }) => {
    const sent: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(new URL(page.url() === 'about:blank' ? 'http://x' : page.url()).origin)) sent.push(r.url());
    });
    await page.goto('./conversations?gcHostOrigin=https%3A%2F%2Fapps.evil.example&gcTargetEnv=prod-euw1');
    await expect(page.getByRole('heading', { name: 'Unknown Genesys Cloud address' })).toBeVisible();
    expect(sent.filter((u) => u.startsWith(simOrigin))).toEqual([]);
    await expectAccessible(page, 'embed refused');
  });
});
