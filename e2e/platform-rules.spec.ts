/**
 * Issue 15 items 3 and 4: jobs stop on systematic refusals, and "retry failed" previews first and
 * retries only what may change. Ground truth: the sim's write log. Platform behaviour: the sim's
 * switches (`wrapupPolicy`, `patchPolicy`) and faults (`faults.conversations`).
 */
import { test, expect, allowResourceErrors, expectAccessible, signIn } from './fixtures.ts';
import { chooseCode, count, importTargets, start, targets } from './bulk-helpers.ts';
import type { WriteLogEntry } from '../genesys-sim/src/index.ts';

const K = 5; // REFUSAL_STREAK_LIMIT
const CONCURRENCY = 4; // RUNNER_DEFAULTS.concurrency

async function writes(sim: { writes: <T>() => Promise<T> }): Promise<WriteLogEntry[]> {
  return (await sim.writes<{ writes: WriteLogEntry[] }>()).writes;
}

test.describe('the platform refuses: jobs stop, retries are previewed', () => {
  test('a 500-item job under strict POST and PATCH policies pauses after at most K + concurrency refused writes; "Skip the items like these" ends it with nothing more sent', async ({
    page,
    sim,
    guard,
  }) => {
    test.setTimeout(180_000);
    await sim.reset({ conversations: 3000, wrapupPolicy: 'strict', patchPolicy: 'strict' });
    const { items, code } = await targets(sim, 500);
    await signIn(page, sim, { path: './bulk' });
    await importTargets(
      page,
      items.map((m) => `${m.conversationId},${m.participantId}`),
    );
    await chooseCode(page, code);
    const willWrite = await start(page);
    expect(willWrite).toBeGreaterThanOrEqual(490);

    const panel = page.getByTestId('refusals');
    await expect(panel).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('job-state')).toContainText('Paused');
    await expect(panel).toContainText('not.authorized');
    await expect(panel).toContainText("Only the participant's own user may set its wrap-up.");
    // Writes in flight at the pause come back (refused too); then nothing more is sent.
    await expect.poll(async () => (await writes(sim)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(K);
    await page.waitForTimeout(1_500);
    const sent = await writes(sim);
    expect(sent.length).toBeGreaterThanOrEqual(K);
    expect(sent.length).toBeLessThanOrEqual(K + CONCURRENCY);
    expect(sent.every((w) => w.outcome === 'refused' && w.status === 403 && w.via === 'post')).toBe(true);
    // The context ids the platform gave are listed for support.
    await expect(panel.locator('.bulk-context-ids li')).toHaveCount(Math.min(20, sent.length));
    await expectAccessible(page, 'job paused on refusals');

    // Waiting sends nothing.
    await page.waitForTimeout(3_000);
    expect(await writes(sim)).toHaveLength(sent.length);

    await panel.getByRole('button', { name: 'Skip the items like these' }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Finished with failures', { timeout: 30_000 });
    expect(await writes(sim)).toHaveLength(sent.length);
    await expect(count(page, 'failed')).toHaveText(String(sent.length));
    await expect(count(page, 'pending')).toHaveText('0');
    allowResourceErrors(guard, /status of 403/);
  });

  test('"Retry failed" after a mix of 400s and 503s previews first and retries only the 503s', async ({ page, sim, guard }) => {
    test.setTimeout(180_000);
    const { items, code } = await targets(sim, 6);
    const [refused, flaky] = [items.slice(0, 3), items.slice(3)];
    // 400 for the first three (the window is closed for every item), 503 for the others' writes.
    await sim.setOptions({ wrapupWindowDays: 0 });
    await sim.setFaults({ rate5xx: 1, conversations: flaky.map((m) => m.conversationId) });
    await signIn(page, sim, { path: './bulk' });
    await importTargets(
      page,
      items.map((m) => `${m.conversationId},${m.participantId}`),
    );
    await chooseCode(page, code);
    expect(await start(page)).toBe(6);
    await expect(page.getByTestId('job-state')).toHaveText('Finished with failures', { timeout: 120_000 });
    await expect(count(page, 'failed')).toHaveText('6');
    const before = await writes(sim);
    expect(
      before
        .filter((w) => w.status === 400)
        .map((w) => w.conversationId)
        .sort(),
    ).toEqual(refused.map((m) => m.conversationId).sort());
    expect(new Set(before.filter((w) => w.status === 503).map((w) => w.conversationId))).toEqual(new Set(flaky.map((m) => m.conversationId)));

    await sim.setFaults({ rate5xx: 0, conversations: null });
    await sim.setOptions({ wrapupWindowDays: 7 });
    await page.getByRole('button', { name: 'Retry 6 failed items' }).click();
    const preview = page.getByTestId('retry-preview');
    await expect(preview.getByTestId('retry-may-change')).toHaveText('3');
    await expect(preview.getByTestId('retry-final')).toHaveText('3');
    await expect(preview.getByLabel('Also retry the items the platform refused')).not.toBeChecked();
    // Nothing is sent by the preview.
    expect(await writes(sim)).toHaveLength(before.length);
    await expectAccessible(page, 'retry preview');
    await preview.getByRole('button', { name: 'Retry 3 items' }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 60_000 });
    await expect(count(page, 'applied')).toHaveText('3');
    const after = (await writes(sim)).slice(before.length);
    expect(after.map((w) => w.conversationId).sort()).toEqual(flaky.map((m) => m.conversationId).sort());
    expect(after.every((w) => w.outcome === 'applied')).toBe(true);
    allowResourceErrors(guard, /status of (400|503)/);
  });
});
