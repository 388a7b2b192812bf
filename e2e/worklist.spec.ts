import { readFileSync } from 'node:fs';
import { rangeQuery, shownMissing } from './worklist-helpers.ts';
import { test, expect, expectAccessible, allowResourceErrors, signIn } from './fixtures.ts';
import { simUrl } from '../playwright.config.ts';

const DAY = 86_400_000;

interface Truth {
  conversations: number;
  totals: { agentParticipants: number; missing: number; systemCoded: number; coded: number; active: number };
  missing: { conversationId: string; participantId: string; communicationId: string; writable: boolean }[];
}
interface SimOrg {
  users: { id: string; name: string; email: string; kind: string }[];
  queues: { id: string; name: string }[];
}

async function simGet<T>(path: string): Promise<T> {
  const res = await fetch(`${simUrl}/__sim/${path}`);
  if (!res.ok) throw new Error(`sim GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

test.describe('conversations worklist', () => {
  test('the missing count equals the simulated org ground truth for several filters', async ({ page, sim }) => {
    const org = await simGet<SimOrg>('org');
    const now = Date.now();
    const from = now - 3 * DAY;
    // The window ends now: conversations that arrive during the test (the harsh profile's page drift) are outside it.
    const to = now;
    const interval = `${new Date(from).toISOString()}/${new Date(to).toISOString()}`;
    const support = org.queues.find((q) => q.name === 'Support')!;
    const agent = org.users.find((u) => u.kind === 'agent')!;

    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, to)}` });
    const all = await sim.truth<Truth>({ interval });
    expect(all.totals.missing).toBeGreaterThan(0);
    expect(await shownMissing(page)).toBe(all.totals.missing);
    await expectAccessible(page, 'worklist');

    // Filters chosen in the form (Spark fields around native selects).
    await page.getByLabel('Queue', { exact: true }).selectOption({ label: support.name });
    expect(await shownMissing(page)).toBe((await sim.truth<Truth>({ interval, queueId: support.id })).totals.missing);
    await page.getByLabel('Queue', { exact: true }).selectOption({ label: 'Any queue' });

    await page.getByLabel('Media type').selectOption({ label: 'Email' });
    expect(await shownMissing(page)).toBe((await sim.truth<Truth>({ interval, mediaType: 'email' })).totals.missing);
    await page.getByLabel('Media type').selectOption({ label: 'Any media type' });

    await page.getByLabel('Direction').selectOption({ label: 'Outbound' });
    expect(await shownMissing(page)).toBe((await sim.truth<Truth>({ interval, direction: 'outbound' })).totals.missing);
    await page.getByLabel('Direction').selectOption({ label: 'Any direction' });

    await page.getByLabel('Find agent').fill(agent.email);
    await page.getByLabel('Agent', { exact: true }).selectOption({ value: agent.id });
    expect(await shownMissing(page)).toBe((await sim.truth<Truth>({ interval, userId: agent.id })).totals.missing);
  });

  test('a range over 7 days goes through the analytics job and still matches the ground truth', async ({ page, sim }) => {
    const now = Date.now();
    const from = now - 9 * DAY;
    // The window ends now: conversations that arrive during the test (the harsh profile's page drift) are outside it.
    const to = now;
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, to)}` });
    const truth = await sim.truth<Truth>({ interval: `${new Date(from).toISOString()}/${new Date(to).toISOString()}` });
    expect(await shownMissing(page)).toBe(truth.totals.missing);
    await expect(page.getByText('(long range: read through an analytics job)')).toBeVisible();
  });

  test('the URL holds the view: a reload shows the same filters, sort and rows', async ({ page, sim }) => {
    // The same rows after a reload: no conversations may arrive in between (the harsh profile's drift).
    await sim.setOptions({ pageDriftPerMinute: 0 });
    await signIn(page, sim, { path: './conversations?range=last7d' });
    await shownMissing(page);
    await page.getByLabel('Wrap-up status', { exact: true }).selectOption({ label: 'Any' });
    await page.getByLabel('Media type').selectOption({ label: 'Voice' });
    await page.getByRole('button', { name: 'Duration' }).click();
    await expect(page).toHaveURL(/status=any/);
    await expect(page).toHaveURL(/media=voice/);
    await expect(page).toHaveURL(/sort=duration/);
    await shownMissing(page);
    const firstRowsBefore = await page.locator('tbody tr[data-row-id]').evaluateAll((rows) => rows.slice(0, 5).map((r) => r.getAttribute('data-row-id')));
    const summaryBefore = await page.getByRole('list', { name: 'Agent participants by wrap-up status' }).getByRole('listitem').allInnerTexts();
    const url = page.url();

    await page.reload();
    await expect(page).toHaveURL(url);
    await shownMissing(page);
    await expect(page.getByLabel('Wrap-up status', { exact: true })).toHaveValue('any');
    await expect(page.getByLabel('Media type')).toHaveValue('voice');
    await expect(page.getByLabel('Time range')).toHaveValue('last7d');
    await expect(page.getByRole('columnheader', { name: 'Duration' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(page.getByRole('list', { name: 'Agent participants by wrap-up status' }).getByRole('listitem')).toHaveText(summaryBefore);
    const firstRowsAfter = await page.locator('tbody tr[data-row-id]').evaluateAll((rows) => rows.slice(0, 5).map((r) => r.getAttribute('data-row-id')));
    expect(firstRowsAfter).toEqual(firstRowsBefore);
    // Platform text with markup renders as text, never as elements.
    await expect(page.locator('.worklist-table img, .worklist-table script')).toHaveCount(0);
  });

  test('selection: one row, then "select all N matching", with the missing participants counted', async ({ page, sim }) => {
    const now = Date.now();
    const from = now - 7 * DAY;
    // The window ends now: conversations that arrive during the test (the harsh profile's page drift) are outside it.
    const to = now;
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, to)}` });
    const missing = await shownMissing(page);
    const truth = await sim.truth<Truth>({ interval: `${new Date(from).toISOString()}/${new Date(to).toISOString()}` });
    const conversationsWithMissing = new Set(truth.missing.map((m) => m.conversationId)).size;

    await page
      .getByRole('checkbox', { name: /^Select the conversation started/ })
      .first()
      .check();
    await expect(page.getByText('1 conversation selected')).toBeVisible();
    await page.getByRole('button', { name: `Select all ${conversationsWithMissing} matching conversations` }).click();
    await expect(page.getByText(`${conversationsWithMissing} conversations selected`)).toBeVisible();
    await expect(page.getByText(`${missing} agent participants without a wrap-up in the selection`)).toBeVisible();
    await expect(page.getByRole('checkbox', { name: `Select all ${conversationsWithMissing} conversations in the list` })).toBeChecked();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect(page.getByText('0 conversations selected')).toBeVisible();
    // A new filter starts with an empty selection.
    await page
      .getByRole('checkbox', { name: /^Select the conversation started/ })
      .first()
      .check();
    await page.getByLabel('Wrap-up status', { exact: true }).selectOption({ label: 'Coded' });
    await expect(page.getByText('0 conversations selected')).toBeVisible();
  });

  test('detail panel: live participants and communications, and the way to the side panel', async ({ page, sim }) => {
    const now = Date.now();
    const from = now - 7 * DAY;
    // The window ends now: conversations that arrive during the test (the harsh profile's page drift) are outside it.
    const to = now;
    const truth = await sim.truth<Truth>({ interval: `${new Date(from).toISOString()}/${new Date(to).toISOString()}` });
    const target = truth.missing.find((m) => m.writable)!;
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, to)}&open=${target.conversationId}` });
    const panel = page.getByRole('complementary', { name: 'Conversation details' });
    await expect(panel).toBeVisible();
    await expect(panel.getByText(target.conversationId)).toBeVisible();
    const live = await simGet<{ participants: { id: string; purpose: string; name: string; comms: { id: string }[] }[] }>(
      `conversations/${target.conversationId}`,
    );
    // Agents lead; the other legs (customer, IVR, queue) are behind a disclosure (issue 16 item 1).
    if (live.participants.some((p) => p.purpose !== 'agent'))
      await panel
        .locator('summary')
        .filter({ hasText: /^Other participants/ })
        .click();
    for (const p of live.participants) {
      await expect(panel.getByText(p.id, { exact: true })).toBeVisible();
      for (const c of p.comms) await expect(panel.getByText(c.id, { exact: true })).toBeVisible();
    }
    const row = panel.getByRole('row').filter({ hasText: target.communicationId });
    await expect(row.getByRole('cell').nth(2)).toHaveText('Disconnected');
    await expect(row.getByRole('cell').nth(5)).toHaveText('none');
    await expectAccessible(page, 'worklist detail panel');

    // "Apply" opens the side panel beside the list (issue 16 item 1), not another page.
    await panel
      .getByRole('listitem')
      .filter({ hasText: target.participantId })
      .getByRole('button', { name: /^Apply wrap-up for / })
      .click();
    await expect(page.getByRole('dialog', { name: /^Apply a wrap-up: / })).toHaveAttribute('data-target', `${target.conversationId}/${target.participantId}`);
    await expect(page).toHaveURL(/\/conversations\?/);
  });

  test('CSV export: one line per agent participant, statuses as shown, formulas defused', async ({ page, sim }) => {
    const now = Date.now();
    const from = now - 7 * DAY;
    // The window ends now: conversations that arrive during the test (the harsh profile's page drift) are outside it.
    const to = now;
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, to)}` });
    const missing = await shownMissing(page);
    const truth = await sim.truth<Truth>({ interval: `${new Date(from).toISOString()}/${new Date(to).toISOString()}` });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^wrapup-worklist-\d{8}-\d{4}\.csv$/);
    const text = readFileSync(await file.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'Conversation ID,Start (UTC),Duration (s),Media type,Direction,Queue,Participant ID,Agent,User ID,Wrap-up status,Wrap-up code,Wrap-up code ID,Communication ID',
    );
    const missingLines = lines.filter((l) => /,Missing( \(chat: cannot be written\))?,/.test(l) || /,"Missing \(chat: cannot be written\)",/.test(l));
    expect(missingLines).toHaveLength(missing);
    for (const m of truth.missing) expect(text).toContain(`${m.participantId},`);
    // No cell may start a formula (checklist #9).
    for (const line of lines.slice(1)) for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  test('10,000 conversations: fewer than 200 rows in the DOM, and the count still matches', async ({ page, sim }) => {
    await sim.reset({ conversations: 10_000 });
    const now = Date.now();
    const from = now - 7 * DAY - 3_600_000;
    // The window ends now: conversations that arrive during the test (the harsh profile's page drift) are outside it.
    const to = now;
    // 7 days and an hour: over 7 days, so the job takes all but the last hour or so.
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, to)}&status=any` });
    const truth = await sim.truth<Truth>({ interval: `${new Date(from).toISOString()}/${new Date(to).toISOString()}` });
    expect(await shownMissing(page)).toBe(truth.totals.missing);
    await expect(page.getByText(`${truth.conversations.toLocaleString('en-US')} conversations shown of`)).toBeVisible();
    expect(await page.locator('.worklist-table tbody tr').count()).toBeLessThan(200);
    await page.getByRole('region', { name: 'Worklist table' }).evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await expect(page.locator('.worklist-table tbody tr[aria-rowindex]').first()).not.toHaveAttribute('aria-rowindex', '2');
    expect(await page.locator('.worklist-table tbody tr').count()).toBeLessThan(200);
  });

  test('an agent (no org-wide analytics permission) is taken from the worklist to their own missing wrap-ups', async ({ page, sim, guard }) => {
    // Issue 18: without analytics:conversationDetail:view there is no worklist; an agent's page is their own list.
    await signIn(page, sim, { as: 'agent01@demo.example' });
    await expect(page).toHaveURL(/\/my$/);
    await expect(page.getByRole('heading', { level: 1, name: 'My missing wrap-ups' })).toBeVisible();
    await expect(page.getByText('You cannot see the worklist.')).toHaveCount(0);
    await expect(page.getByText(/lacks analytics:conversationDetail:view/)).toHaveCount(0);
    await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });
    // Under the harsh profile the loader's first 200-row page is refused (400) and it pages on at 100.
    if (sim.harsh) allowResourceErrors(guard, /status of 400 .*\/api\/v2\/analytics\/conversations\/details\/query/);
  });
});
