import { test, expect, expectAccessible, signIn } from './fixtures.ts';

test.describe('app shell', () => {
  test('loads under the base path with Spark, navigation and no foreign requests', async ({ page }) => {
    await page.goto('./');
    await expect(page).toHaveURL(/\/wrapup-desk\/conversations$/);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await page.getByRole('link', { name: 'About' }).click();
    await expect(page.getByRole('heading', { name: 'About Wrap-up Desk' })).toBeVisible();
    await expect(page.getByText(/Genesys Spark \d+\.\d+\.\d+/)).toBeVisible();
    // Spark registered from the app's own origin and hydrated its components.
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expectAccessible(page, 'about');
  });

  test('a deep link that does not exist shows the not-found page', async ({ page }) => {
    await page.goto('./no/such/page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to conversations' }).click();
    await expect(page).toHaveURL(/\/wrapup-desk\/conversations$/);
  });

  test('serves the strict security headers', async ({ page }) => {
    const res = await page.goto('./about');
    const headers = res!.headers();
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'$|style-src 'self' 'sha256-[A-Za-z0-9+/=]+';/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});

test.describe('app shell on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the signed-in header fits 390 px in English and German (its parts wrap, nothing is pushed off screen)', async ({ page, sim }) => {
    await signIn(page, sim);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    const header = page.locator('header.shell-header');
    const headerWidth = () => header.evaluate((el) => Math.max(el.scrollWidth, el.getBoundingClientRect().right));
    expect(await headerWidth()).toBeLessThanOrEqual(390);
    await page.getByLabel('Language').selectOption('de');
    await expect(page.getByRole('navigation', { name: 'Hauptnavigation' })).toBeVisible();
    for (const name of ['Plattformprüfung', 'Info']) await expect(page.getByRole('link', { name })).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('button', { name: 'Abmelden' })).toBeInViewport({ ratio: 1 });
    expect(await headerWidth()).toBeLessThanOrEqual(390);
    await header.screenshot({ path: test.info().outputPath('shell-de-390.png') });
  });
});
