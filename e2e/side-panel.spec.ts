/**
 * Issue 16 item 1: fix one missing wrap-up, then the next, from the worklist's side panel. Against
 * the simulated org over real HTTP; the sim's write log (`GET /__sim/writes`) is the ground truth
 * of what reached the platform.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect, expectAccessible, signIn, type SimControl } from './fixtures.ts';
import { lastDays, signInGerman } from './i18n-helpers.ts';
import { simUrl } from '../playwright.config.ts';
import type { WriteLogEntry } from '../genesys-sim/src/index.ts';

interface Target {
  conversationId: string;
  participantId: string;
}

const key = (t: Target) => `${t.conversationId}/${t.participantId}`;

async function appWrites(sim: SimControl): Promise<WriteLogEntry[]> {
  return (await sim.writes<{ writes: WriteLogEntry[] }>()).writes.filter((w) => w.via !== 'agent');
}

/** The missing participants with an "Apply" button, in the table's order (the rows in view). */
async function applyTargets(page: Page): Promise<Target[]> {
  return page
    .locator('tr[data-row-id] button[data-apply]')
    .evaluateAll((buttons) =>
      buttons.map((b) => ({ conversationId: b.closest('tr')!.getAttribute('data-row-id')!, participantId: b.getAttribute('data-apply')! })),
    );
}

async function openWorklist(page: Page, sim: SimControl) {
  await signIn(page, sim, { path: `./conversations?${lastDays(2)}` });
  await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('tr[data-row-id] button[data-apply]').first()).toBeVisible();
}

const panelOf = (page: Page) => page.getByRole('dialog', { name: /^Apply a wrap-up: / });
const codeSelect = (panel: Locator) => panel.getByLabel('Wrap-up code', { exact: true });

/** The first code the participant may be given, as the form offers it. */
async function firstCode(panel: Locator): Promise<{ id: string; name: string }> {
  const option = codeSelect(panel).locator('option:not([value=""])').first();
  await expect(option).toBeAttached({ timeout: 20_000 });
  return { id: (await option.getAttribute('value'))!, name: (await option.textContent())! };
}

async function writtenTo(sim: SimControl, t: Target): Promise<WriteLogEntry[]> {
  return (await appWrites(sim)).filter((w) => w.conversationId === t.conversationId && w.participantId === t.participantId);
}

test.describe('side panel: fix one, then the next', () => {
  test('Apply opens the panel; a save writes once, the row updates; "Save and next missing" follows the table order; axe clean', async ({ page, sim }) => {
    await openWorklist(page, sim);
    const order = await applyTargets(page);
    expect(order.length).toBeGreaterThan(3);
    const [first, second] = order as [Target, Target];

    await page.locator(`tr[data-row-id="${first.conversationId}"] button[data-apply="${first.participantId}"]`).click();
    const panel = panelOf(page);
    await expect(panel).toHaveAttribute('data-target', key(first));
    // Not a new page: the worklist is still there, and focus moved into the panel.
    await expect(page).toHaveURL(/\/conversations\?/);
    await expect(panel.getByRole('heading', { name: /^Apply a wrap-up: / })).toBeFocused();
    const code = await firstCode(panel);
    // Only the participant's allowed codes are offered; the placeholder first.
    await expect(codeSelect(panel).locator('option').first()).toHaveAttribute('value', '');
    await expectAccessible(page, 'worklist with the side panel');

    await codeSelect(panel).selectOption(code.id);
    await panel.getByLabel('Notes (optional)').fill('fixed from the side panel');
    await panel.getByRole('button', { name: 'Save and next missing' }).click();

    // The panel moved on to the next missing participant in the table's order ...
    await expect(panel).toHaveAttribute('data-target', key(second), { timeout: 20_000 });
    await expect(panel.getByRole('heading', { name: /^Apply a wrap-up: / })).toBeFocused();
    // ... after exactly one write, through the one write path, of what was chosen.
    const log = await writtenTo(sim, first);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ code: code.id, notes: 'fixed from the side panel', outcome: 'applied', status: 202 });
    // The row was patched from the read-back: no "Apply" for that participant any more.
    await expect(page.locator(`tr[data-row-id="${first.conversationId}"] button[data-apply="${first.participantId}"]`)).toHaveCount(0);

    // "Save" alone stays on the participant and says what was written; the status follows.
    const secondCode = await firstCode(panel);
    await codeSelect(panel).selectOption(secondCode.id);
    await panel.getByRole('button', { name: 'Apply wrap-up', exact: true }).click();
    await expect(panel.getByRole('status').filter({ hasText: `Wrap-up ${secondCode.name} applied.` })).toBeVisible({ timeout: 20_000 });
    await expect(panel.getByTestId('apply-panel-status')).toHaveText(`Wrap-up status: ${secondCode.name}`);
    await expect(panel).toHaveAttribute('data-target', key(second));
    expect(await writtenTo(sim, second)).toMatchObject([{ code: secondCode.id, outcome: 'applied' }]);
    expect(await appWrites(sim)).toHaveLength(2);
  });

  test('keyboard: A opens, Enter saves, N moves on, Escape closes and focus returns to the row; "?" lists the shortcuts; letters typed in fields are not shortcuts', async ({
    page,
    sim,
  }) => {
    await openWorklist(page, sim);
    const order = await applyTargets(page);
    const [first, second, third] = order as [Target, Target, Target];

    // "A" on the row with the focus.
    await page.locator(`tr[data-row-id="${first.conversationId}"] input[type="checkbox"]`).focus();
    await page.keyboard.press('a');
    const panel = panelOf(page);
    await expect(panel).toHaveAttribute('data-target', key(first));
    const code = await firstCode(panel);

    // Typing in the code search or the notes does not trigger "N" or "A".
    await panel.getByLabel('Search wrap-up codes by name').focus();
    await page.keyboard.type('na');
    await panel.getByLabel('Notes (optional)').focus();
    await page.keyboard.type('an note');
    await expect(panel).toHaveAttribute('data-target', key(first));
    await panel.getByLabel('Search wrap-up codes by name').fill('');

    // Enter on the code list saves.
    await codeSelect(panel).selectOption(code.id);
    await codeSelect(panel).focus();
    await page.keyboard.press('Enter');
    await expect(panel.getByRole('status').filter({ hasText: `Wrap-up ${code.name} applied.` })).toBeVisible({ timeout: 20_000 });
    expect(await writtenTo(sim, first)).toMatchObject([{ code: code.id, notes: 'an note', outcome: 'applied' }]);

    // "N" (outside a field) moves to the next missing one without writing.
    await panel.getByRole('heading', { name: /^Apply a wrap-up: / }).focus();
    await page.keyboard.press('n');
    await expect(panel).toHaveAttribute('data-target', key(second));
    await page.keyboard.press('n');
    await expect(panel).toHaveAttribute('data-target', key(third));
    expect(await appWrites(sim)).toHaveLength(1);

    // Escape closes; focus returns to the row's "Apply" button.
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(page.locator(`tr[data-row-id="${third.conversationId}"] button[data-apply="${third.participantId}"]`)).toBeFocused();

    // "?" opens the overlay (a modal dialog), Escape closes it.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await expect(help.getByText('Go to the next missing wrap-up without applying')).toBeVisible();
    await expectAccessible(page, 'keyboard shortcuts overlay');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    expect(await appWrites(sim)).toHaveLength(1);
  });

  test('the detail view leads with the agents; other legs collapsed; ids to copy; its Apply opens the side panel', async ({ page, sim, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const truth = await sim.truth<{ missing: (Target & { writable: boolean })[] }>({
      interval: `${new Date(Date.now() - 2 * 86_400_000).toISOString()}/${new Date().toISOString()}`,
    });
    const target = truth.missing.find((m) => m.writable)!;
    const live = (await (await fetch(`${simUrl}/__sim/conversations/${target.conversationId}`)).json()) as { participants: { id: string; purpose: string }[] };
    const other = live.participants.find((p) => p.purpose !== 'agent')!;
    await signIn(page, sim, { path: `./conversations?${lastDays(2)}&open=${target.conversationId}` });
    const detail = page.getByRole('complementary', { name: 'Conversation details' });
    await expect(detail.getByRole('heading', { name: 'Agent participants' })).toBeVisible({ timeout: 20_000 });
    await expect(detail.locator('li.detail-agent').filter({ hasText: target.participantId })).toBeVisible();
    // Customer, IVR and queue legs: behind a closed disclosure.
    await expect(detail.getByText(other.id, { exact: true })).toBeHidden();
    await detail
      .locator('summary')
      .filter({ hasText: /^Other participants/ })
      .click();
    await expect(detail.getByText(other.id, { exact: true })).toBeVisible();

    await detail.getByRole('button', { name: `Copy Conversation ID ${target.conversationId}` }).click();
    await expect(detail.getByRole('status').filter({ hasText: 'Conversation ID copied.' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(target.conversationId);
    await expectAccessible(page, 'detail panel, agents first');

    await detail
      .locator('li.detail-agent')
      .filter({ hasText: target.participantId })
      .getByRole('button', { name: /^Apply wrap-up for / })
      .click();
    await expect(panelOf(page)).toHaveAttribute('data-target', key(target));
    await expect(page).toHaveURL(/\/conversations\?/);
  });
});

test.describe('side panel in German', () => {
  test.use({ locale: 'de-DE' });

  test('German: the panel, its buttons and the overlay speak German; axe clean', async ({ page, sim }) => {
    await signInGerman(page, sim, `./conversations?${lastDays(2)}`);
    await expect(page.getByText(/Konversationen? geladen um/)).toBeVisible({ timeout: 30_000 });
    await page
      .getByRole('button', { name: /^Nachbearbeitung für .* eintragen \(Konversation begonnen / })
      .first()
      .click();
    const panel = page.getByRole('dialog', { name: /^Nachbearbeitung eintragen: / });
    await expect(panel).toBeVisible();
    await expect(panel.getByLabel('Nachbearbeitungscode', { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(panel.getByRole('button', { name: 'Eintragen und nächste fehlende' })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Nächste fehlende', exact: true })).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Seitenleiste schließen' })).toBeVisible();
    await expect(panel.getByText('Drücken Sie ? für die Tastenkürzel.')).toBeVisible();
    await expectAccessible(page, 'side panel (German)');
    await page.getByRole('button', { name: 'Tastenkürzel' }).click();
    const help = page.getByRole('dialog', { name: 'Tastenkürzel' });
    await expect(help.getByText('Ohne Eintragen zur nächsten fehlenden Nachbearbeitung gehen')).toBeVisible();
    await expect(help.locator('kbd').filter({ hasText: 'Umschalt' })).toBeVisible();
    await help.getByRole('button', { name: 'Schließen' }).click();
    await expect(help).toBeHidden();
    expect(await appWrites(sim)).toEqual([]);
  });
});
