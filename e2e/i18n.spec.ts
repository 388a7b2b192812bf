import type { Page } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures.ts';

async function expectGermanSignIn(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Konversationen' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Bei Genesys Cloud anmelden' })).toBeVisible();
  // A Spark component speaking German: the inline alert's own screen-reader text comes from Spark's catalogue.
  await page.getByLabel('Implicit Grant').check();
  await expect(page.getByText('Warnbenachrichtigung mit Nachricht')).toBeAttached();
  await expect(page.getByText(/schaltet Implicit-Anmeldungen im März 2027 ab/)).toBeVisible();
  await expectAccessible(page, 'sign-in (de)');
}

test.describe('language', () => {
  test('the language Genesys Cloud hands the app (gcLangTag) wins', async ({ page }) => {
    await page.goto('./conversations?gcLangTag=de-DE');
    await expectGermanSignIn(page);
  });

  test('English stays English, with Spark in English', async ({ page }) => {
    await page.goto('./conversations');
    await page.getByLabel('Implicit grant').check();
    await expect(page.getByText('Warning alert with message')).toBeAttached();
  });

  test('the language menu switches at once and is remembered', async ({ page }) => {
    await page.goto('./about');
    await page.getByLabel('Language').selectOption('de');
    await expect(page.getByRole('heading', { name: 'Über Wrap-up Desk' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Über Wrap-up Desk' })).toBeVisible();
    await page.getByLabel('Sprache').selectOption('en');
    await expect(page.getByRole('heading', { name: 'About Wrap-up Desk' })).toBeVisible();
  });
});

test.describe('German browser', () => {
  test.use({ locale: 'de-DE' });
  test('follows the browser language', async ({ page }) => {
    await page.goto('./conversations');
    await expectGermanSignIn(page);
  });
});
