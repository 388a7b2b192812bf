/**
 * Issue 15 items 1 and 5: the platform check page against the simulated org. The read-only probes
 * must report what the sim is set to (its options, or its own answer to the same request), and the
 * write probe must send at most one write that lands, with the sim's write log as ground truth.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect, expectAccessible, signIn, SUPERVISOR, type SimControl } from './fixtures.ts';
import { allowedCodeNames, allowPlatformCheckRefusals, missingByAcw, runWriteProbe, sendWriteProbe } from './platform-check-helpers.ts';
import { simUrl } from '../playwright.config.ts';
import type { WriteLogEntry } from '../genesys-sim/src/index.ts';

const DAY = 86_400_000;

/** A card of the read-only checks, by its title. */
const card = (page: Page, title: string) => page.getByRole('listitem', { name: title });

async function probesDone(page: Page) {
  await expect(page.getByText(/^Checked .* \(6 requests\)\.$/)).toBeVisible({ timeout: 30_000 });
}

/** The sim's own answer to a details query, asked directly with a token of the supervisor (ground truth). */
async function simQueryStatus(body: unknown): Promise<number> {
  const tok = await fetch(`${simUrl}/__sim/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: SUPERVISOR }),
  });
  const { access_token } = (await tok.json()) as { access_token: string };
  const res = await fetch(`${simUrl}/api/v2/analytics/conversations/details/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify(body),
  });
  return res.status;
}

async function appWrites(sim: SimControl, conversationId: string): Promise<WriteLogEntry[]> {
  const { writes } = await sim.writes<{ writes: WriteLogEntry[] }>();
  return writes.filter((w) => w.via !== 'agent' && w.conversationId === conversationId);
}

test.describe('platform check: read-only probes', () => {
  test('under the defaults: headers readable, the page size and the 8-day limits as the sim answers them; "Run again" sees a change', async ({
    page,
    sim,
    guard,
  }) => {
    const reset = (await sim.reset({})) as { options: { maxIntervalDaysUnfiltered: number; exposeRateHeaders: boolean } };
    expect(reset.options.exposeRateHeaders).toBe(true);
    await signIn(page, sim, { path: './platform-check' });
    await expect(page.getByRole('heading', { name: 'Platform check', level: 1 })).toBeVisible();
    await expect(page.getByText('They run when this page opens and cost 6 requests and one WebSocket.', { exact: false })).toBeVisible();
    await probesDone(page);

    await expect(card(page, 'Rate-limit headers readable from this page').getByText(/^Readable \(inin-ratelimit-count/)).toBeVisible();
    await expect(card(page, 'Your permissions for each feature').getByText('You have every permission the app needs.')).toBeVisible();
    await expect(
      card(page, 'Notification channel and its socket').getByText(/^The channel was created and its socket \(ws:\/\/127\.0\.0\.1:\d+\) opened/),
    ).toBeVisible();
    await expect(card(page, 'Data availability of async jobs').getByText(/^Async jobs .* see data up to/)).toBeVisible();

    // The 200-row page: what the sim itself answers to the same request.
    const now = Date.now();
    const pageStatus = await simQueryStatus({
      interval: `${new Date(now - DAY).toISOString()}/${new Date(now).toISOString()}`,
      paging: { pageSize: 200, pageNumber: 1 },
      segmentFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'purpose', operator: 'matches', value: 'agent' }] }],
    });
    await expect(
      card(page, 'A 200-row analytics page').getByText(pageStatus === 200 ? /^Accepted \(\d+ rows came back\)/ : /^Refused: the worklist's 100 rows/),
    ).toBeVisible();

    // 8 days without a filter: refused exactly when the sim limits unfiltered queries below 8 days.
    const limit = reset.options.maxIntervalDaysUnfiltered;
    const unfilteredRefused = limit > 0 && limit < 8;
    await expect(
      card(page, '8 days without a filter').getByText(unfilteredRefused ? /^Refused, as documented/ : /^Served: this org accepts 8 days/),
    ).toBeVisible();
    await expect(card(page, "8 days with the worklist's filter").getByText(/^Served: queries with the worklist's filter/)).toBeVisible();
    await card(page, '8 days without a filter').getByText('Request and answer').click();
    await expect(card(page, '8 days without a filter').getByText(unfilteredRefused ? /^HTTP 400 · bad\.request/ : /^HTTP 200/)).toBeVisible();
    await expectAccessible(page, 'platform check');

    // The sim now serves any length without a filter: "Run again" says so.
    await sim.setOptions({ maxIntervalDaysUnfiltered: 0 });
    await page.getByRole('button', { name: 'Run again' }).click();
    await probesDone(page);
    await expect(card(page, '8 days without a filter').getByText(/^Served: this org accepts 8 days/)).toBeVisible();
    // The probes changed nothing on the org.
    expect(await sim.writes<{ writes: unknown[] }>().then((w) => w.writes)).toEqual([]);
    allowPlatformCheckRefusals(guard);
  });

  test('under the harsh profile: headers hidden, 8 days without a filter refused, with the filter served', async ({ page, sim, guard }) => {
    await sim.reset({ profile: 'harsh' });
    await signIn(page, sim, { path: './platform-check' });
    await probesDone(page);
    await expect(card(page, 'Rate-limit headers readable from this page').getByText(/^Hidden from this page \(CORS does not expose them\)/)).toBeVisible();
    await expect(card(page, 'Rate-limit headers readable from this page').getByText('Needs attention')).toBeVisible();
    await expect(card(page, '8 days without a filter').getByText(/^Refused, as documented/)).toBeVisible();
    await expect(card(page, "8 days with the worklist's filter").getByText(/^Served: queries with the worklist's filter/)).toBeVisible();
    allowPlatformCheckRefusals(guard);
  });
});

test.describe('platform check: write probe', () => {
  test('strict POST, permissive PATCH: POST refused then PATCH applied, the verdict says PATCH; from the worklist\'s "Test writing here"', async ({
    page,
    sim,
    guard,
  }) => {
    await sim.reset({ wrapupPolicy: 'strict', patchPolicy: 'permissive' });
    const [item] = await missingByAcw(sim, { pending: false });
    const [codeName] = await allowedCodeNames(item!.queueId);
    await signIn(page, sim, { path: `./conversations?open=${item!.conversationId}` });
    const participant = page.locator('li.detail-participant').filter({ hasText: item!.participantId });
    await participant.getByRole('link', { name: 'Test writing here' }).click();
    await expect(page).toHaveURL(new RegExp(`/platform-check\\?.*conversationId=${item!.conversationId}`));
    await expect(page.getByLabel('Conversation ID')).toHaveValue(item!.conversationId);
    await expect(page.getByLabel('Communication ID')).toHaveValue(item!.communicationId);
    await expect(page.getByLabel('Media', { exact: true })).toHaveValue(item!.media);
    await expect(page.getByTestId('verdict-conclusion')).toHaveAttribute('data-conclusion', 'not-tested');

    // Before sending, the page shows exactly what it will send.
    await page.getByLabel('Wrap-up code', { exact: true }).selectOption({ label: codeName! });
    const plan = page.locator('.probe-plan');
    await expect(
      plan.getByText(
        `POST /api/v2/conversations/${item!.media}/${item!.conversationId}/participants/${item!.participantId}/communications/${item!.communicationId}/wrapup`,
      ),
    ).toBeVisible();
    await expect(plan.getByText(`PATCH /api/v2/conversations/${item!.media}/${item!.conversationId}/participants/${item!.participantId}`)).toBeVisible();
    expect(await appWrites(sim, item!.conversationId)).toEqual([]);

    const { attempts, conclusion } = await sendWriteProbe(page, codeName!);
    expect(attempts).toEqual([
      { method: 'post', outcome: 'refused' },
      { method: 'patch', outcome: 'applied' },
    ]);
    expect(conclusion).toBe('patch');
    await expect(page.getByTestId('verdict-conclusion')).toHaveText('POST: refused (not.authorized); PATCH: allowed. The app will write by PATCH.');
    await expect(page.getByTestId('verdict-patch-after')).toHaveText(/^by PATCH after after-call work has ended: yes, \d+ (minutes|hours|days) after the end$/);
    await expect(page.getByTestId('verdict-post-after')).toHaveText('by POST after after-call work has ended: refused (not.authorized)');
    await expect(page.locator('.probe-result').getByText(/^POST: refused \(403 not\.authorized\)/)).toBeVisible();

    // Ground truth: exactly one POST refused, then one PATCH applied.
    const writes = await appWrites(sim, item!.conversationId);
    expect(writes.map((w) => [w.via, w.outcome, w.status])).toEqual([
      ['post', 'refused', 403],
      ['patch', 'applied', 202],
    ]);

    // The report: every contextId, never the token.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download report (JSON)' }).click();
    const file = readFileSync(await (await download).path(), 'utf8');
    const report = JSON.parse(file) as { summary: { writeMethod: string }; attempts: { method: string; outcome: string; contextId: string | null }[] };
    expect(report.summary.writeMethod).toBe('patch');
    expect(report.attempts.map((a) => [a.method, a.outcome])).toEqual([
      ['post', 'refused'],
      ['patch', 'applied'],
    ]);
    expect(report.attempts.every((a) => typeof a.contextId === 'string' && a.contextId.length > 0)).toBe(true);
    expect(file).not.toMatch(/bearer|access_token/i);
    await expectAccessible(page, 'platform check after a write probe');
    allowPlatformCheckRefusals(guard);
  });

  test('writes allowed only during after-call work: refused after it, then applied during it: "only during after-call work", kept after a reload', async ({
    page,
    sim,
    guard,
  }) => {
    await sim.reset({ wrapupPolicy: 'during-acw' });
    const [ended] = await missingByAcw(sim, { pending: false });
    const [pending] = await missingByAcw(sim, { pending: true });
    await signIn(page, sim, { path: './platform-check' });

    const first = await runWriteProbe(page, ended!, (await allowedCodeNames(ended!.queueId))[0]!);
    expect(first.attempts).toEqual([
      { method: 'post', outcome: 'refused' },
      { method: 'patch', outcome: 'refused' },
    ]);
    expect(first.conclusion).toBe('refused-after-acw');
    await expect(page.getByTestId('verdict-conclusion')).toContainText('Refused after after-call work');
    await expect(page.getByTestId('verdict-post-during')).toHaveText('by POST during after-call work: not tested yet');

    const second = await runWriteProbe(page, pending!, (await allowedCodeNames(pending!.queueId))[0]!);
    expect(second.attempts).toEqual([{ method: 'post', outcome: 'applied' }]);
    expect(second.conclusion).toBe('only-during-acw');
    await expect(page.getByTestId('verdict-conclusion')).toContainText('Only during after-call work');
    await expect(page.getByTestId('verdict-post-during')).toHaveText('by POST during after-call work: yes');

    expect((await appWrites(sim, ended!.conversationId)).map((w) => [w.via, w.outcome])).toEqual([
      ['post', 'refused'],
      ['patch', 'refused'],
    ]);
    expect((await appWrites(sim, pending!.conversationId)).map((w) => [w.via, w.outcome])).toEqual([['post', 'applied']]);

    // Kept per org and user in this browser: after a reload (the app signs in again) the same verdict shows.
    await page.reload();
    const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
    await expect(page.getByTestId('verdict-conclusion').or(signInButton)).toBeVisible({ timeout: 20_000 });
    if (await signInButton.isVisible()) await signInButton.click();
    await expect(page.getByTestId('verdict-conclusion')).toHaveAttribute('data-conclusion', 'only-during-acw');
    await expect(page.getByTestId('verdict-conclusion')).toHaveAttribute('data-attempts', '3');

    // Forgotten on request: the defaults apply again.
    await page.getByRole('button', { name: 'Forget this verdict' }).click();
    await page.getByRole('button', { name: 'Yes, forget it' }).click();
    await expect(page.getByTestId('verdict-conclusion')).toHaveAttribute('data-conclusion', 'not-tested');
    await expect(page.getByText('The verdict was forgotten.')).toBeVisible();
    allowPlatformCheckRefusals(guard);
  });

  test('an item that already has a wrap-up is not written', async ({ page, sim, guard }) => {
    await sim.reset({});
    const [item] = await missingByAcw(sim, { pending: false });
    const [codeName] = await allowedCodeNames(item!.queueId);
    await signIn(page, sim, {
      path: `./platform-check?conversationId=${item!.conversationId}&participantId=${item!.participantId}&communicationId=${item!.communicationId}&media=${item!.media}`,
    });
    const codeSelect = page.getByLabel('Wrap-up code', { exact: true });
    await expect(codeSelect.getByRole('option', { name: codeName!, exact: true })).toHaveCount(1);
    // Meanwhile the agent codes it.
    const org = (await (await fetch(`${simUrl}/__sim/org`)).json()) as { codes: { id: string; name: string }[] };
    await sim.agentWrapup({
      conversationId: item!.conversationId,
      participantId: item!.participantId,
      communicationId: item!.communicationId,
      code: org.codes.find((c) => c.name === codeName)!.id,
    });
    await codeSelect.selectOption({ label: codeName! });
    await page.getByRole('button', { name: 'Send the test write' }).click();
    await expect(page.getByTestId('write-stop')).toHaveAttribute('data-stop', 'already-coded');
    expect(await appWrites(sim, item!.conversationId)).toEqual([]);
    allowPlatformCheckRefusals(guard);
  });
});
