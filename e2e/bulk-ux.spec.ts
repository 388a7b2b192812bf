/**
 * Issue 16 items 2 and 3 on the bulk page, in the real app against the simulated org: the preview
 * lists the items by name; results, audit log and both CSVs name the agent (name, email), queue,
 * media type and conversation start beside the ids; a stopped job says so (badge), counts what it
 * did not write and continues as a new job that writes each of those once. The sim's write log is
 * the ground truth. Screens of each step at 1440, 1024 and 390 px land in E2E_SHOTS_DIR when set.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { count, expectAppliedOnce, postWrites, previewTargets, simGet, start, targets } from './bulk-helpers.ts';
import { signInGerman } from './i18n-helpers.ts';
import { parseCsv } from '../src/lib/csv.ts';
import type { OrgSummary } from '../genesys-sim/src/index.ts';

const SHOTS = process.env.E2E_SHOTS_DIR;

/** Full-page screens at the three widths (only when E2E_SHOTS_DIR is set); ends at 1440 px. */
async function shots(page: Page, name: string) {
  if (!SHOTS) return;
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** The downloaded CSV as rows of cells (header first), read back as a spreadsheet would. */
async function downloadCsvRows(page: Page, button: string): Promise<string[][]> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  return parseCsv(readFileSync(await (await download).path(), 'utf8'));
}

function column(rows: string[][], name: string): (row: string[]) => string {
  const i = rows[0]!.indexOf(name);
  expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
  return (row) => row[i] ?? '';
}

test.describe('bulk: names everywhere, stopped jobs (issue 16)', () => {
  test('the preview lists the items by name; results, audit log and both CSVs name agent, email, queue, media type and start', async ({ page, sim }) => {
    const { items, code } = await targets(sim, 3, 'voice');
    const org = await simGet<OrgSummary>('org');
    const agentOf = (userId: string | null) => org.users.find((u) => u.id === userId)!;
    const queueOf = (queueId: string | null) => org.queues.find((q) => q.id === queueId)!;
    const first = items[0]!;
    const agent = agentOf(first.userId);
    const queue = queueOf(first.queueId);
    await previewTargets(page, sim, items, code);

    // Every item in the preview, by name, with what the job will do with it.
    const list = page.getByTestId('preview-items');
    await expect(list.locator('tbody tr')).toHaveCount(items.length);
    for (const it of items) {
      const row = list.locator('tbody tr', { hasText: it.conversationId });
      await expect(row).toContainText(agentOf(it.userId).name);
      await expect(row).toContainText(agentOf(it.userId).email);
      await expect(row).toContainText(queueOf(it.queueId).name);
      await expect(row).toContainText('Voice');
      await expect(row).toContainText('Will be written (missing)');
      // The conversation's start, as a date and time.
      await expect(row.locator('td').nth(3)).toContainText(/\d{1,2}:\d{2}/);
    }
    await shots(page, 'preview-en');
    expect(await postWrites(sim)).toEqual([]);

    const willWrite = await start(page);
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 60_000 });
    expect(willWrite).toBe(items.length);
    expectAppliedOnce(await postWrites(sim), items, code.id, items.length);
    // Start, finish and duration.
    await expect(page.getByTestId('job-times')).toContainText('Started');
    await expect(page.getByTestId('job-times')).toContainText('Duration');
    const resultRow = page.locator('tr[data-outcome="applied"]', { hasText: first.conversationId });
    await expect(resultRow).toContainText(agent.name);
    await expect(resultRow).toContainText(agent.email);
    await expect(resultRow).toContainText(queue.name);
    await shots(page, 'results-en');

    // The results CSV: names beside the ids, one row per item.
    const results = await downloadCsvRows(page, 'Export results (CSV)');
    expect(results).toHaveLength(items.length + 1);
    const r = (name: string) => column(results, name);
    const row = results.find((cells) => r('conversationId')(cells) === first.conversationId)!;
    expect(r('agentName')(row)).toBe(agent.name);
    expect(r('agentEmail')(row)).toBe(agent.email);
    expect(r('userId')(row)).toBe(first.userId);
    expect(r('queueName')(row)).toBe(queue.name);
    expect(r('queueId')(row)).toBe(first.queueId);
    expect(r('mediaType')(row)).toBe('voice');
    expect(r('codeName')(row)).toBe(code.name);
    expect(Number.isNaN(Date.parse(r('conversationStart')(row)))).toBe(false);

    // The audit log: the agent by name and email, the queue by name.
    await page.goto('./audit');
    await expect(page.getByText(`${items.length} of ${items.length} entries shown`)).toBeVisible({ timeout: 20_000 });
    const auditRow = page.locator('tr[data-outcome="applied"]', { hasText: first.conversationId });
    await expect(auditRow).toContainText(agent.name);
    await expect(auditRow).toContainText(agent.email);
    await expect(auditRow).toContainText(queue.name);
    await shots(page, 'audit-en');
    const audit = await downloadCsvRows(page, 'Export CSV');
    expect(audit).toHaveLength(items.length + 1);
    const a = (name: string) => column(audit, name);
    const entry = audit.find((cells) => a('conversationId')(cells) === first.conversationId)!;
    expect(a('agentName')(entry)).toBe(agent.name);
    expect(a('agentEmail')(entry)).toBe(agent.email);
    expect(a('agentId')(entry)).toBe(first.userId);
    expect(a('queueName')(entry)).toBe(queue.name);
    expect(a('queueId')(entry)).toBe(first.queueId);
    expect(a('media')(entry)).toBe('calls');
    expect(a('codeName')(entry)).toBe(code.name);
    expect(a('participantId')(entry)).toBe(first.participantId);
    expect(Number.isNaN(Date.parse(a('conversationStart')(entry)))).toBe(false);
  });

  test('a stopped job says so, counts the items not written, and Continue writes each of them once', async ({ page, sim }) => {
    test.setTimeout(120_000);
    const { items, code } = await targets(sim, 16);
    await previewTargets(page, sim, items, code);
    // Slow answers from here on (not for the sign-in and the preview, which would take longer than their
    // limits on a busy machine), so that the stop lands in the middle of the job, even after the screens.
    await sim.setOptions({ latencyMs: 3000 });
    const willWrite = await start(page);
    await expect(count(page, 'applied')).not.toHaveText('0', { timeout: 30_000 });
    await shots(page, 'running-en');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Stopped', { timeout: 30_000 });
    await expect(page.locator('[data-testid="job-state"] [data-state="stopped"]')).toBeVisible();
    const atStop = await postWrites(sim);
    const applied = Number(await count(page, 'applied').innerText());
    const notWritten = willWrite - atStop.length;
    expect(notWritten).toBeGreaterThan(0);
    await expect(page.getByTestId('not-written')).toHaveText(`Stopped: ${notWritten} item${notWritten === 1 ? ' was' : 's were'} not written.`);
    expect(applied).toBe(atStop.filter((w) => w.outcome === 'applied').length);
    await shots(page, 'stopped-en');

    // Continue: a new job of exactly the items not written; nothing is written twice.
    await sim.setOptions({ latencyMs: 0 });
    await page.getByRole('button', { name: `Continue: write “${code.name}” to the ${notWritten} item${notWritten === 1 ? '' : 's'} not written` }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 60_000 });
    await expect(count(page, 'applied')).toHaveText(String(notWritten));
    expectAppliedOnce(await postWrites(sim), items, code.id, willWrite);

    // The history: both jobs with their state badges and finish times.
    await page.getByRole('button', { name: 'Back to import and history' }).click();
    const history = page.getByRole('table', { name: 'Bulk jobs started in this browser, newest first' });
    await expect(history.getByRole('row')).toHaveCount(3);
    await expect(history.getByRole('row').nth(1)).toContainText('Finished');
    await expect(history.getByRole('row').nth(1)).toContainText('continues a stopped job');
    await expect(history.getByRole('row').nth(2)).toContainText('Stopped');
    await expect(history.getByRole('row').nth(2)).toContainText(/took /);
    await shots(page, 'history-en');
  });
});

test.describe('bulk in German (screens)', () => {
  test.use({ locale: 'de-DE' });
  test('preview, running and stopped job with results, audit log', async ({ page, sim }) => {
    test.skip(!SHOTS, 'screens only');
    test.setTimeout(120_000);
    const { items, code } = await targets(sim, 16);
    await signInGerman(page, sim, './bulk');
    await page.getByLabel('Konversations-IDs einfügen').fill(items.map((t) => `${t.conversationId},${t.participantId}`).join('\n'));
    await page.getByRole('button', { name: 'Zeilen prüfen' }).click();
    await page.getByRole('button', { name: /^Vorschau/ }).click();
    await expect(page.getByRole('heading', { name: 'Vorschau' })).toBeVisible({ timeout: 20_000 });
    await page.getByLabel('Nachbearbeitungscode', { exact: true }).selectOption(code.id);
    await expect(page.getByTestId('preview-items')).toBeVisible();
    await shots(page, 'preview-de');
    await sim.setOptions({ latencyMs: 3000 });
    await page.getByRole('button', { name: /^Starten: / }).click();
    await expect(count(page, 'applied')).not.toHaveText('0', { timeout: 30_000 });
    await shots(page, 'running-de');
    await page.getByRole('button', { name: 'Stoppen' }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Gestoppt', { timeout: 30_000 });
    await shots(page, 'stopped-de');
    await page.goto('./audit');
    await expect(page.locator('tr[data-outcome]').first()).toBeVisible({ timeout: 20_000 });
    await shots(page, 'audit-de');
  });
});
