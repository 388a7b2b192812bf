/**
 * Issue 16 item 4 and the audit half of item 5: input that explains itself, and a local audit log
 * that belongs to one person. Against the simulated org over real HTTP; its ground truth
 * (`POST /__sim/truth`) and write log (`GET /__sim/writes`) decide what is right.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { rangeQuery, shownMissing } from './worklist-helpers.ts';
import { test, expect, expectAccessible, signIn, SUPERVISOR, type SimControl } from './fixtures.ts';
import { simUrl } from '../playwright.config.ts';
import type { OrgSummary, TruthItem, WriteLogEntry } from '../genesys-sim/src/index.ts';

const DAY = 86_400_000;
const SECOND_SUPERVISOR = 'supervisor2@demo.example';

interface Truth {
  totals: { missing: number };
  missing: TruthItem[];
}

async function simJson<T>(path: string): Promise<T> {
  const res = await fetch(`${simUrl}/__sim/${path}`);
  if (!res.ok) throw new Error(`sim GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** `2025-03-01T09:00` in the browser's zone (the config's Europe/Berlin), as a datetime-local field takes it. */
function localInput(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** Counts the worklist's analytics reads (the platform's details query and job), as the browser sent them. */
function countAnalytics(page: Page): { count: () => number } {
  let n = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/v2/analytics/conversations/details')) n += 1;
  });
  return { count: () => n };
}

async function writable(sim: SimControl): Promise<TruthItem[]> {
  const now = Date.now();
  const truth = await sim.truth<Truth>({ interval: `${new Date(now - 4 * DAY).toISOString()}/${new Date(now + DAY).toISOString()}`, mediaType: 'voice' });
  return truth.missing.filter((m) => m.writable);
}

async function allowedCodes(queueId: string | null): Promise<{ id: string; name: string }[]> {
  const org = await simJson<OrgSummary>('org');
  const ids = org.queues.find((q) => q.id === queueId)?.codeIds ?? [];
  return org.codes.filter((c) => ids.includes(c.id) && !c.deleted).map(({ id, name }) => ({ id, name }));
}

const formPath = (item: TruthItem) => `./conversations/${item.conversationId}/wrap-up?participant=${item.participantId}`;
const codeSelect = (page: Page) => page.getByLabel('Wrap-up code', { exact: true });
const submit = (page: Page) => page.getByRole('button', { name: 'Apply wrap-up' });

async function applyOne(page: Page, item: TruthItem, notes: string) {
  const [code] = await allowedCodes(item.queueId);
  if (!code) throw new Error('queue without codes');
  await page.goto(formPath(item));
  await expect(page.getByRole('heading', { name: 'Apply a wrap-up' })).toBeVisible();
  await codeSelect(page).selectOption(code.id);
  await page.getByLabel('Notes (optional)').fill(notes);
  await submit(page).click();
  await expect(page.getByRole('status').filter({ hasText: `Wrap-up ${code.name} applied.` })).toBeVisible();
  return code;
}

async function signOut(page: Page, sim: SimControl) {
  await sim.setOptions({ autoLogin: null });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Genesys Cloud' })).toBeVisible();
}

async function openAudit(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
}

test.describe('a reversed custom range is refused where it is typed', () => {
  test('typed: the field says why, nothing is loaded, the old list is not shown as the new one; fixing it loads again', async ({ page, sim }) => {
    const now = Date.now();
    const from = now - 2 * DAY;
    const analytics = countAnalytics(page);
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, now)}` });
    expect(await shownMissing(page)).toBeGreaterThan(0);
    await expect(page.locator('.worklist-table tbody tr[data-row-id]').first()).toBeVisible();

    const to = page.getByLabel('To', { exact: true });
    await to.fill(localInput(from - DAY));
    const error = page.getByRole('alert').filter({ hasText: '“To” must be after “From”. Nothing is loaded until it is.' });
    await expect(error).toBeVisible();
    await expect(to).toHaveAttribute('aria-invalid', 'true');
    await expect(to).toHaveAttribute('aria-describedby', (await error.getAttribute('id'))!);
    // What the page says it shows, and what it shows: nothing, rather than the previous range's list.
    await expect(page.getByTestId('interval-shown')).toHaveText('No conversations are shown: the custom time range is not valid (see the time range below).');
    await expect(page.getByText('Nothing loaded: correct the time range.')).toBeVisible();
    await expect(page.locator('.worklist-table')).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Agent participants by wrap-up status' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export CSV' })).toHaveCount(0);
    // The URL holds what was typed (Back returns to the range before).
    const url = new URL(page.url());
    expect(Date.parse(url.searchParams.get('to')!)).toBeLessThan(Date.parse(url.searchParams.get('from')!));
    const readsWhileRefused = analytics.count();
    await page.waitForTimeout(500);
    expect(analytics.count()).toBe(readsWhileRefused);
    await expectAccessible(page, 'worklist with a reversed range');

    // Corrected: the error goes and the list for the new range loads.
    await to.fill(localInput(now));
    await expect(error).toBeHidden();
    await expect(to).not.toHaveAttribute('aria-invalid', 'true');
    expect(await shownMissing(page)).toBeGreaterThan(0);
    await expect(page.getByTestId('interval-shown')).toContainText('Conversations that started from');
  });

  test('through the URL: refused the same way, in German too, and nothing is read from the platform', async ({ page, sim }) => {
    const now = Date.now();
    const analytics = countAnalytics(page);
    const reversed = `./conversations?${rangeQuery(now - DAY, now - 3 * DAY)}`;
    await signIn(page, sim, { path: reversed });
    await expect(page.getByRole('alert').filter({ hasText: '“To” must be after “From”.' })).toBeVisible();
    await expect(page.getByLabel('To', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('From', { exact: true })).toHaveValue(localInput(now - DAY));
    await expect(page.getByText('Nothing loaded: correct the time range.')).toBeVisible();
    await expect(page.locator('.worklist-table')).toHaveCount(0);

    await page.getByLabel('Language').selectOption('de');
    await expect(page.getByRole('alert').filter({ hasText: '„Bis“ muss nach „Von“ liegen. Vorher wird nichts geladen.' })).toBeVisible();
    await expect(page.getByTestId('interval-shown')).toHaveText(
      'Es werden keine Konversationen angezeigt: Der eigene Zeitraum ist ungültig (siehe Zeitraum unten).',
    );
    await expect(page.getByLabel('Bis', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    expect(analytics.count()).toBe(0);
    await page.getByLabel('Sprache').selectOption('en');

    // A preset ignores the stale range left in the URL and loads.
    await page.getByLabel('Time range').selectOption('last4h');
    await expect(page.getByRole('alert').filter({ hasText: 'must be after' })).toHaveCount(0);
    await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });
    expect(analytics.count()).toBeGreaterThan(0);
  });
});

test.describe('the single form after a success', () => {
  test('clears the code, notes and Replace tick; a new validation error replaces the success banner; one write', async ({ page, sim }) => {
    const [item] = await writable(sim);
    if (!item) throw new Error('no writable missing voice item');
    const [first, second] = await allowedCodes(item.queueId);
    if (!first || !second) throw new Error('queue needs two codes');
    await signIn(page, sim, { path: formPath(item) });
    await expect(page.getByRole('heading', { name: 'Apply a wrap-up' })).toBeVisible();

    await codeSelect(page).selectOption(first.id);
    await page.getByLabel('Notes (optional)').fill('morning round');
    await submit(page).click();
    const success = page.getByRole('status').filter({ hasText: `Wrap-up ${first.name} applied.` });
    await expect(success).toBeVisible();
    await expect(codeSelect(page)).toHaveValue('');
    await expect(page.getByLabel('Notes (optional)')).toHaveValue('');
    const replace = page.getByLabel(`Replace the existing code ${first.name}`);
    await expect(replace).toBeVisible();
    await expect(replace).not.toBeChecked();
    // One message: the success banner, not also an "already has" warning or a toast.
    await expect(page.getByTestId('existing-wrapup')).toHaveCount(0);
    await expect(page.getByText(`Wrap-up ${first.name} applied`)).toHaveCount(1);
    await expectAccessible(page, 'wrap-up form after a success');

    await submit(page).click();
    await expect(page.getByText('Choose a wrap-up code.')).toBeVisible();
    await expect(success).toHaveCount(0);

    await codeSelect(page).selectOption(second.id);
    await submit(page).click();
    await expect(page.getByText('This communication already has a wrap-up. Tick "Replace" to overwrite it, or leave it as it is.')).toBeVisible();
    await expect(page.getByText('Choose a wrap-up code.')).toHaveCount(0);
    const writes = (await sim.writes<{ writes: WriteLogEntry[] }>()).writes.filter((w) => w.via !== 'agent');
    expect(writes).toMatchObject([{ code: first.id, notes: 'morning round', outcome: 'applied' }]);
  });
});

test.describe('agents with the same name', () => {
  test('are told apart by email in the agent filter, and "Find agent" filters the list (in the URL)', async ({ page, sim }) => {
    // A bigger staff (the e2e org has 20 agents): with 60, the seeded names repeat, as in a real org.
    await sim.reset({ agents: 60 });
    const org = await simJson<OrgSummary>('org');
    const byName = new Map<string, OrgSummary['users']>();
    for (const u of org.users) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
    const twins = [...byName.values()].find((us) => us.length > 1 && us.every((u) => u.kind === 'agent'));
    if (!twins) throw new Error('the seeded org has no two agents with the same name');
    const [a, b] = twins as [OrgSummary['users'][number], OrgSummary['users'][number]];

    const now = Date.now();
    const from = now - 3 * DAY;
    const interval = `${new Date(from).toISOString()}/${new Date(now).toISOString()}`;
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, now)}` });
    const all = await shownMissing(page);

    const agentSelect = page.getByLabel('Agent', { exact: true });
    await expect(agentSelect.getByRole('option', { name: `${a.name} (${a.email})`, exact: true })).toHaveCount(1);
    await expect(agentSelect.getByRole('option', { name: `${b.name} (${b.email})`, exact: true })).toHaveCount(1);
    await expect(agentSelect.getByRole('option', { name: a.name, exact: true })).toHaveCount(0);

    // "Find agent" narrows the list to that agent's participants (the counts follow), and is in the URL.
    const find = page.getByLabel('Find agent');
    await find.fill(a.email);
    await expect(page).toHaveURL(new RegExp(`find=${encodeURIComponent(a.email).replace(/\./g, '\\.')}`));
    const truthA = await sim.truth<Truth>({ interval, userId: a.id });
    expect(await shownMissing(page)).toBe(truthA.totals.missing);
    // The shared name finds both of them.
    await find.fill(a.name);
    const truthB = await sim.truth<Truth>({ interval, userId: b.id });
    expect(await shownMissing(page)).toBe(truthA.totals.missing + truthB.totals.missing);
    expect(truthA.totals.missing + truthB.totals.missing).toBeLessThan(all);
    // The dropdown still lists every agent (it is a separate filter).
    await expect(agentSelect.getByRole('option', { name: `${b.name} (${b.email})`, exact: true })).toHaveCount(1);
    await expectAccessible(page, 'worklist with Find agent');

    // Reload: the same list (the filter lives in the URL).
    await page.reload();
    await expect(page.getByLabel('Find agent')).toHaveValue(a.name);
    expect(await shownMissing(page)).toBe(truthA.totals.missing + truthB.totals.missing);
    await page.getByLabel('Find agent').fill('');
    expect(await shownMissing(page)).toBe(all);
  });
});

test.describe('the audit log belongs to one person', () => {
  test('two supervisors on one browser each see only their own entries, on the page and in the CSV', async ({ page, sim }) => {
    const [mine, theirs] = await writable(sim);
    if (!mine || !theirs) throw new Error('need two writable missing voice items');

    await signIn(page, sim, { as: SUPERVISOR, path: formPath(mine) });
    await applyOne(page, mine, 'first supervisor private note');
    await openAudit(page);
    await expect(page.getByText('1 of 1 entries shown')).toBeVisible();
    await expect(page.locator('tbody tr')).toContainText(['first supervisor private note']);
    await signOut(page, sim);

    await signIn(page, sim, { as: SECOND_SUPERVISOR, path: './audit' });
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.getByText('0 of 0 entries shown')).toBeVisible();
    await expect(page.locator('tbody tr')).toHaveCount(0);
    await expect(page.getByText('first supervisor private note')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export CSV' })).toBeDisabled();

    await applyOne(page, theirs, 'second supervisor note');
    await openAudit(page);
    await expect(page.getByText('1 of 1 entries shown')).toBeVisible();
    await expect(page.locator('tbody tr')).toHaveCount(1);
    await expect(page.locator('tbody tr')).toContainText(theirs.conversationId);
    await expect(page.locator('tbody tr')).toContainText('Tess Teamlead');
    await expectAccessible(page, 'audit page (second user)');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    expect(csv).toContain(theirs.conversationId);
    expect(csv).toContain('second supervisor note');
    expect(csv).not.toContain(mine.conversationId);
    expect(csv).not.toContain('first supervisor private note');
    await signOut(page, sim);

    await signIn(page, sim, { as: SUPERVISOR, path: './audit' });
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.getByText('1 of 1 entries shown')).toBeVisible();
    await expect(page.locator('tbody tr')).toContainText(mine.conversationId);
    await expect(page.getByText('second supervisor note')).toHaveCount(0);
  });
});
