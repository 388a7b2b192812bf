import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, allowResourceErrors, type SimControl } from './fixtures.ts';
import { DAY, simGet } from './bulk-helpers.ts';
import { englishWords, lastDays, orgNames, screenText, signInGerman } from './i18n-helpers.ts';
import { pickSharedCodeTargets, type OrgSummary, type TruthItem } from '../genesys-sim/src/index.ts';

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

/**
 * Issue 16 item 7: every main screen in German shows no English value word (platform values,
 * outcomes, reasons). The platform's own messages are allowed only where they are marked as the
 * platform's; ids and the org's own names are data.
 */
async function truthBetween(sim: SimControl, fromDaysAgo: number, toDaysAgo: number): Promise<TruthItem[]> {
  const now = Date.now();
  const truth = await sim.truth<{ missing: TruthItem[] }>({
    interval: `${new Date(now - fromDaysAgo * DAY).toISOString()}/${new Date(now - toDaysAgo * DAY).toISOString()}`,
  });
  return truth.missing;
}

/**
 * A small job with every kind of outcome: two items the platform applies (ended within the last
 * day), two it refuses (ended 3 to 5 days ago, outside a 2-day write window), one whose queue does
 * not allow the code and one chat (no write path).
 */
async function mixedJob(sim: SimControl) {
  const org = await simGet<OrgSummary>('org');
  const recent = await truthBetween(sim, 1, 0);
  const old = await truthBetween(sim, 5, 3);
  const best = pickSharedCodeTargets([...recent, ...old], org);
  if (!best) throw new Error('no shared code');
  const inBest = new Set(best.items.map((m) => m.conversationId));
  const recentOk = recent.filter((m) => inBest.has(m.conversationId)).slice(0, 2);
  const oldOk = old.filter((m) => inBest.has(m.conversationId)).slice(0, 2);
  const allowing = new Set(org.queues.filter((q) => q.codeIds.includes(best.code.id)).map((q) => q.id));
  const taken = new Set([...recentOk, ...oldOk].map((m) => m.conversationId));
  const notAllowed = recent.find((m) => m.writable && m.queueId && !allowing.has(m.queueId) && !taken.has(m.conversationId));
  const chat = [...recent, ...old, ...(await truthBetween(sim, 7, 0))].find((m) => m.mediaType === 'chat' && !taken.has(m.conversationId));
  expect(recentOk.length, 'recent items sharing a code').toBe(2);
  expect(oldOk.length, 'old items sharing a code').toBe(2);
  expect(notAllowed, 'an item whose queue does not allow the code').toBeDefined();
  expect(chat, 'a chat item').toBeDefined();
  return { code: best.code, items: [...recentOk, ...oldOk, notAllowed!, chat!] };
}

test.describe('German screens', () => {
  test.use({ locale: 'de-DE' });
  // Six screens and a small job against the simulated org.
  test.setTimeout(180_000);

  test("no English value word on any main screen; platform messages only where marked as the platform's", async ({ page, sim, guard }) => {
    const names = await orgNames();
    const problems: string[] = [];
    /** Reads the screen (it must show `expected`, so an empty read cannot pass) and notes every English word on it. */
    const check = async (screen: string, expected: readonly string[]) => {
      const text = await screenText(page);
      for (const e of expected) expect(text, `${screen} shows "${e}"`).toContain(e);
      for (const w of englishWords(text, names)) problems.push(`${screen}: ${w}`);
    };
    const job = await mixedJob(sim);
    const target = job.items[0]!;

    // Worklist with rows, and its filters.
    await signInGerman(page, sim, `./conversations?${lastDays(2)}`);
    await expect(page.getByText(/Konversationen? geladen um/)).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('tr[data-row-id]').first()).toBeVisible();
    await check('worklist', ['Medientyp', 'Getrennt', 'Alle Medientypen', 'Eingehend', 'Fehlt']);

    // Detail panel of a conversation with customer, IVR, queue and agent legs.
    await signInGerman(page, sim, `./conversations?${lastDays(2)}&open=${target.conversationId}`);
    const panel = page.getByRole('complementary', { name: 'Details der Konversation' });
    await expect(panel.getByText(target.participantId, { exact: true })).toBeVisible({ timeout: 30_000 });
    await check('detail panel', ['Teilnehmer-ID', 'Nachbearbeitungsvorgabe', 'Getrennt']);

    // The single wrap-up page.
    await signInGerman(page, sim, `./conversations/${target.conversationId}/wrap-up?participant=${target.participantId}`);
    await expect(page.getByLabel('Nachbearbeitungscode', { exact: true })).toBeVisible({ timeout: 20_000 });
    await check('wrap-up page', ['Nachbearbeitung eintragen', 'Getrennt']);

    // Bulk preview of the mixed job.
    await sim.setOptions({ wrapupWindowDays: 2 });
    await signInGerman(page, sim, './bulk');
    await page.getByLabel('Konversations-IDs einfügen').fill(job.items.map((m) => `${m.conversationId},${m.participantId}`).join('\n'));
    await page.getByRole('button', { name: 'Zeilen prüfen' }).click();
    await page.getByRole('button', { name: /^Vorschau für \d+ Ziele?$/ }).click();
    await expect(page.getByRole('heading', { name: 'Vorschau' })).toBeVisible({ timeout: 20_000 });
    await page.getByLabel('Nachbearbeitungscode', { exact: true }).selectOption(job.code.id);
    await check('bulk preview', ['Vorschau', 'Nachbearbeitungscode']);

    // Results of the finished job: applied, refused (with the platform's message), skipped.
    await page.locator('.bulk-form button[type="submit"]').click();
    await expect(page.getByTestId('job-state')).toContainText('Fertig', { timeout: 60_000 });
    const rows = page.locator('tr[data-outcome]');
    await expect(rows).toHaveCount(job.items.length);
    await expect(rows.filter({ hasText: 'Die Plattform hat die Nachbearbeitung abgelehnt' })).toHaveCount(2);
    // The platform's own words are there, marked as the platform's (English), next to ours.
    const platformText = rows.locator('[data-platform-text]').first();
    await expect(platformText).toHaveAttribute('lang', 'en');
    await expect(platformText).toContainText('400 bad.request');
    await expect(rows.filter({ hasText: 'Übersprungen:' })).toHaveCount(2);
    await expect(rows.filter({ hasText: 'eingetragen.' })).toHaveCount(2);
    await check('bulk results', ['Übersprungen', 'Meldung der Plattform']);
    allowResourceErrors(guard, /status of 400/);

    // The audit log of those writes.
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Audit-Protokoll' }).click();
    await expect(page.getByRole('heading', { name: 'Audit-Protokoll' })).toBeVisible();
    await expect(page.locator('tr[data-outcome]')).toHaveCount(4, { timeout: 20_000 });
    await check('audit log', ['Audit-Protokoll', 'Eingetragen', 'Meldung der Plattform']);

    expect(problems).toEqual([]);

    // The check can fail: the same worklist in English is full of the words it looks for.
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('link', { name: 'Conversations' }).click();
    await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });
    expect(englishWords(await screenText(page), names).length).toBeGreaterThan(0);
  });
});
