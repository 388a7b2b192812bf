/**
 * Issue 7: bulk wrap-up jobs, in the real app against the simulated org over real HTTP. The sim's
 * write log (`GET /__sim/writes`) is the ground truth of what reached the platform; targets come
 * from its ground truth (`POST /__sim/truth`). No `page.route` mocks: faults are the sim's own.
 */
import { readFileSync } from 'node:fs';
import { test, expect, expectAccessible, allowResourceErrors, signIn } from './fixtures.ts';
import { DAY, chooseCode, count, expectAppliedOnce, importTargets, postWrites, previewTargets, signInIfAsked, simGet, start, targets } from './bulk-helpers.ts';
import type { OrgSummary, TruthItem } from '../genesys-sim/src/index.ts';

type Missing = TruthItem;
type Org = OrgSummary;

async function codeOf(queueId: string): Promise<{ id: string; name: string }> {
  const org = await simGet<Org>('org');
  const ids = org.queues.find((q) => q.id === queueId)?.codeIds ?? [];
  const code = org.codes.find((c) => ids.includes(c.id) && !c.deleted);
  if (!code) throw new Error('no code for the queue');
  return code;
}

test.describe('bulk wrap-up jobs', () => {
  test('from the worklist selection: preview, run, results with filter, CSV export and audit entries', async ({ page, sim }) => {
    const org = await simGet<Org>('org');
    const { queueId } = await targets(sim, 1, 'voice');
    const queue = org.queues.find((q) => q.id === queueId)!;
    const now = Date.now();
    const from = new Date(now - 4 * DAY).toISOString();
    const to = new Date(now + 3_600_000).toISOString();
    const worklist = `./conversations?range=custom&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&media=voice`;
    await signIn(page, sim, { path: worklist });
    await page.getByLabel('Queue', { exact: true }).selectOption({ label: queue.name });
    await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: /^Select (all \d+|the \d+) matching conversations?$/ }).click();
    const bulkButton = page.getByRole('button', { name: /^Wrap up \d+ participants? in bulk$/ });
    const selected = Number(/(\d+)/.exec((await bulkButton.innerText()).replace(/,/g, ''))![1]);
    expect(selected).toBeGreaterThan(0);
    await bulkButton.click();

    await expect(page).toHaveURL(/\/bulk/);
    await expect(page.getByRole('heading', { name: 'Preview' })).toBeVisible({ timeout: 20_000 });
    const found = page.getByText(/^[\d,]+ agent participant communications? found\.$/);
    await expect(found).toBeVisible();
    const planned = Number(/^([\d,]+)/.exec(await found.innerText())![1]!.replace(/,/g, ''));
    // One item per selected participant: the worklist hands over the communication it found without a code.
    expect(planned).toBe(selected);
    // The selection travels in the history entry's state, which a reload loses (it signs in again by
    // redirect): the page says so and leads back to the worklist, where the selection is made again.
    await expect(page).toHaveURL(/\/bulk\?from=worklist$/);
    await page.reload();
    const lostNote = page.getByText('The worklist’s selection does not survive a reload');
    const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
    await expect(lostNote.or(signInButton)).toBeVisible({ timeout: 20_000 });
    if (await signInButton.isVisible()) await signInButton.click();
    await expect(lostNote).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('heading', { name: 'Preview' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Back to the worklist' }).click();
    await expect(page).toHaveURL(/\/conversations/);
    await page.goto(worklist); // the same filters as before, for the same selection
    await page.getByLabel('Queue', { exact: true }).selectOption({ label: queue.name });
    await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: /^Select (all \d+|the \d+) matching conversations?$/ }).click();
    // Under the harsh profile conversations keep arriving, so the new selection may be larger: it is
    // the new selection the preview must plan, one item per participant again.
    const selectedAgain = Number(/(\d+)/.exec((await bulkButton.innerText()).replace(/,/g, ''))![1]);
    expect(selectedAgain).toBeGreaterThanOrEqual(selected);
    await bulkButton.click();
    await expect(page.getByRole('heading', { name: 'Preview' })).toBeVisible({ timeout: 20_000 });
    await expect(found).toHaveText(`${selectedAgain.toLocaleString('en-US')} agent participant communication${selectedAgain === 1 ? '' : 's'} found.`);
    const code = await codeOf(queueId);
    await chooseCode(page, code);
    const willWrite = Number(await page.getByTestId('preview-write').innerText());
    expect(willWrite).toBeGreaterThan(0);
    await expectAccessible(page, 'bulk preview');
    // Nothing is written before Start.
    expect(await postWrites(sim)).toEqual([]);

    // Keyboard only: focus Start and press Enter.
    await page.getByRole('button', { name: `Start: write “${code.name}” to ${willWrite} participant${willWrite === 1 ? '' : 's'}` }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 60_000 });
    await expect(page).toHaveURL(/\/bulk\?job=/);
    await expect(count(page, 'applied')).toHaveText(String(willWrite));

    // Back leads to the worklist (the job took the preview's place in the history), and the ended
    // job made the worklist read the platform again instead of showing what it had before.
    const beforeBack = Date.now();
    await page.goBack();
    await expect(page).toHaveURL(/\/conversations/);
    const worklistReads = async () =>
      (await sim.requests<{ tokens: { entries: { at: number; method: string; path: string }[] }[] }>()).tokens
        .flatMap((t) => t.entries)
        .filter((e) => e.at >= beforeBack && e.method === 'POST' && e.path === '/api/v2/analytics/conversations/details/query').length;
    await expect.poll(worklistReads, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.goForward();
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 20_000 });
    await expect(page.getByRole('progressbar', { name: /Progress: \d+ of \d+ items finished/ })).toBeVisible();

    const writes = await postWrites(sim);
    const applied = writes.filter((w) => w.outcome === 'applied');
    expect(applied).toHaveLength(willWrite);
    expect(new Set(applied.map((w) => `${w.conversationId}/${w.participantId}`)).size).toBe(willWrite);
    expect(applied.every((w) => w.code === code.id)).toBe(true);
    // Totals add up: every selected item ended in exactly one terminal state.
    const totals = await Promise.all(['applied', 'already-coded', 'skipped', 'failed', 'pending'].map(async (k) => Number(await count(page, k).innerText())));
    expect(totals[0]! + totals[1]! + totals[2]! + totals[3]!).toBe(planned);
    expect(totals[4]).toBe(0);

    // Results: filter by outcome.
    await page.getByLabel('Show outcome').selectOption({ label: 'Applied' });
    await expect(page.locator('tr[data-outcome]')).toHaveCount(Math.min(willWrite, 500));
    await page.getByLabel('Show outcome').selectOption({ label: 'Failed' });
    await expect(page.locator('tr[data-outcome]')).toHaveCount(0);
    await expectAccessible(page, 'bulk results');

    // Export: one row per item, outcome per item.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export results (CSV)' }).click();
    const file = await (await download).path();
    const lines = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^conversationId,participantId,communicationId/);
    expect(lines).toHaveLength(planned + 1);
    expect(lines.filter((l) => l.includes(',applied,'))).toHaveLength(willWrite);

    // The audit log has one entry per write sent.
    await page.goto('./audit');
    await expect(page.getByText(`${applied.length} of ${applied.length} entries shown`)).toBeVisible({ timeout: 20_000 });
  });

  test('import: per-line report before anything happens; pause, resume and stop send nothing more', async ({ page, sim }) => {
    const { items, code } = await targets(sim, 30);
    // Slow answers, so that pause and stop land in the middle of the job.
    await sim.setOptions({ latencyMs: 1500 });
    await signIn(page, sim, { path: './bulk' });
    const unknownConversation = '00000000-0000-4000-8000-000000000000';
    // The last target named by its agent's email address instead of the participant id.
    const last = items.at(-1)!;
    const email = (await simGet<Org>('org')).users.find((u) => u.id === last.userId)!.email;
    const lines = [
      'conversationId,participantId',
      ...items.slice(0, -1).map((m) => `${m.conversationId},${m.participantId}`),
      `${last.conversationId},${email.toUpperCase()}`,
      'not an id',
      `${items[0]!.conversationId},${items[0]!.participantId}`,
      unknownConversation,
      `${items[1]!.conversationId};agent@example.com`,
      `=HYPERLINK("http://x")`,
    ];
    await page.getByLabel('Paste conversation IDs').fill(lines.join('\n'));
    await page.getByRole('button', { name: 'Check lines' }).click();
    await expect(page.getByText('35 lines read: 32 usable, 3 with problems.')).toBeVisible();
    const report = page.getByRole('table', { name: 'Lines with problems' });
    await expect(report.getByRole('row', { name: /32 Malformed: not a conversation ID/ })).toBeVisible();
    await expect(report.getByRole('row', { name: /33 Duplicate of an earlier line/ })).toBeVisible();
    await expect(report.getByRole('row', { name: /36 Malformed: not a conversation ID/ })).toBeVisible();
    await page.getByRole('button', { name: 'Preview 32 targets' }).click();
    await expect(page.getByText('1 conversation was not found.')).toBeVisible({ timeout: 20_000 });
    const afterPreview = page.getByRole('table', { name: 'Lines with problems' });
    await expect(afterPreview.getByRole('row', { name: /34 Conversation not found/ })).toBeVisible();
    await expect(afterPreview.getByRole('row', { name: /35 No user of this org has this email address/ })).toBeVisible();
    await chooseCode(page, code);
    expect(await postWrites(sim)).toEqual([]);
    const willWrite = await start(page);
    await expect(count(page, 'applied')).not.toHaveText('0', { timeout: 20_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Paused — paused by you');
    // Calls in flight finish; then the counts and the write log agree and stay put.
    await expect.poll(async () => (await postWrites(sim)).length - Number(await count(page, 'applied').innerText())).toBe(0);
    const atPause = (await postWrites(sim)).length;
    expect(atPause).toBeLessThan(willWrite);
    await expect(count(page, 'pending')).toHaveText(String(willWrite - atPause));

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(async () => (await postWrites(sim)).length, { timeout: 20_000 }).toBeGreaterThan(atPause);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Stopped', { timeout: 20_000 });
    const applied = Number(await count(page, 'applied').innerText());
    const skipped = Number(await count(page, 'skipped').innerText());
    expect(applied).toBeLessThan(willWrite);
    expect(skipped).toBeGreaterThanOrEqual(willWrite - applied);
    const writes = await postWrites(sim);
    expect(writes.filter((w) => w.outcome === 'applied')).toHaveLength(applied);
    expect(new Set(writes.map((w) => w.conversationId)).size).toBe(writes.length);
    // Stopped is final: a reload of the job sends nothing more.
    await page.reload();
    await signInIfAsked(page);
    await expect(page.getByTestId('job-state')).toHaveText('Stopped', { timeout: 20_000 });
    await page.getByLabel('Show outcome').selectOption({ label: 'Skipped' });
    await expect(page.locator('tr[data-outcome="skipped"]', { hasText: 'Job stopped before this item' })).toHaveCount(willWrite - applied);
    expect(await postWrites(sim)).toHaveLength(writes.length);
  });

  test('a reload mid-job resumes from the journal and ends as an uninterrupted run; the history lists it', async ({ page, sim }) => {
    // A write in flight at the reload is re-read only once the platform could no longer apply it
    // (LATE_APPLY_WINDOW_MS, 60 s after it left): the resumed job may take that long to finish.
    test.setTimeout(180_000);
    const { items, code } = await targets(sim, 16);
    await sim.setOptions({ latencyMs: 600 });
    await signIn(page, sim, { path: './bulk' });
    await importTargets(
      page,
      items.map((m) => `${m.conversationId},${m.participantId}`),
    );
    await chooseCode(page, code);
    const willWrite = await start(page);
    await expect(count(page, 'applied')).not.toHaveText('0', { timeout: 20_000 });
    const url = page.url();
    await page.reload();
    // The token is never stored (checklist #4): the app signs in again if needed, then the job carries on by itself.
    await signInIfAsked(page);
    await expect(page).toHaveURL(url);
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 120_000 });
    await expect(count(page, 'applied')).toHaveText(String(willWrite));
    expectAppliedOnce(await postWrites(sim), items, code.id, willWrite);

    await page.getByRole('button', { name: 'Back to import and history' }).click();
    const history = page.getByRole('table', { name: 'Bulk jobs started in this browser, newest first' });
    await expect(history.getByRole('row')).toHaveCount(2);
    await expect(history.getByRole('row').nth(1)).toContainText('Finished');
    await expect(history.getByRole('row').nth(1)).toContainText(`${willWrite} applied, 0 failed, of 16`);
    await expectAccessible(page, 'bulk import and history');
    await history.getByRole('button', { name: /^Open the job from/ }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Finished');

    // A finished job can be deleted from the history (two steps); the audit log keeps its writes.
    await page.getByRole('button', { name: 'Back to import and history' }).click();
    await history.getByRole('button', { name: /^Delete the job from/ }).click();
    await history.getByRole('button', { name: /^Delete the job from .* for good/ }).press('Enter');
    await expect(page.getByText('No bulk jobs in this browser yet.')).toBeVisible();
    await page.goto('./audit');
    await expect(page.getByText(/^[1-9][\d,]* of [1-9][\d,]* entries shown/)).toBeVisible({ timeout: 20_000 });
  });

  test('an agent wrap-up during the run arrives as a notification and is kept, even where analytics cannot show it yet', async ({ page, sim }) => {
    const { items: picked, code } = await targets(sim, 40);
    // The agent's item must not be in pending after-call work: those are read live before writing anyway.
    const acwOf = async (m: Missing) => {
      const c = await simGet<{ participants: { id: string; comms: { id: string; acwState: string }[] }[] }>(`conversations/${m.conversationId}`);
      return c.participants.find((p) => p.id === m.participantId)?.comms.find((x) => x.id === m.communicationId)?.acwState;
    };
    const plain: Missing[] = [];
    for (const m of picked) if ((await acwOf(m)) !== 'pending') plain.push(m);
    const chosen = plain.at(-1)!;
    const items = [...picked.filter((m) => m !== chosen), chosen];
    // Analytics a minute behind: no batched re-check can see the agent's code, only the event can.
    await sim.setOptions({ latencyMs: 1000, analyticsLagMs: 60_000 });
    await signIn(page, sim, { path: './bulk' });
    await importTargets(
      page,
      items.map((m) => `${m.conversationId},${m.participantId}`),
    );
    await chooseCode(page, code);
    const willWrite = await start(page);
    await expect(page.getByTestId('watch-state')).toHaveText('Reported live (notifications on)', { timeout: 20_000 });
    // The agent codes the last item (the job is still at the first ones: 1 s per request).
    const last = items.at(-1)!;
    const org = await simGet<Org>('org');
    const agentCode = org.queues.find((q) => q.id === last.queueId)!.codeIds.find((id) => id !== code.id && org.codes.some((c) => c.id === id && !c.deleted))!;
    await sim.agentWrapup({ conversationId: last.conversationId, participantId: last.participantId, communicationId: last.communicationId, code: agentCode });
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 60_000 });
    await expect(count(page, 'already-coded')).toHaveText('1');
    await expect(count(page, 'applied')).toHaveText(String(willWrite - 1));
    const writes = await postWrites(sim);
    expect(writes.filter((w) => w.conversationId === last.conversationId)).toEqual([]);
    expectAppliedOnce(writes, items.slice(0, -1), code.id, willWrite - 1);
    await page.getByLabel('Show outcome').selectOption({ label: 'Already coded' });
    await expect(page.locator('tr[data-outcome="already-coded"]', { hasText: 'Coded by someone else during the job' })).toHaveCount(1);
    // The job's one channel subscribed to the targets and carried events (the agent's and the job's own).
    const { channels } = await sim.notifications<{ channels: { eventsSent: number; topics: number }[] }>();
    expect(channels).toHaveLength(1);
    expect(channels[0]!.topics).toBe(items.length);
    expect(channels[0]!.eventsSent).toBeGreaterThan(0);
  });

  test('refused writes fail with the platform message and contextId; "retry failed items" applies them once', async ({ page, sim, guard }) => {
    const { items, code } = await targets(sim, 5);
    // The sim refuses supervisor writes to communications that ended more than N days ago: 0 refuses all.
    await sim.setOptions({ wrapupWindowDays: 0 });
    await signIn(page, sim, { path: './bulk' });
    await importTargets(
      page,
      items.map((m) => `${m.conversationId},${m.participantId}`),
    );
    await chooseCode(page, code);
    const willWrite = await start(page);
    await expect(page.getByTestId('job-state')).toHaveText('Finished with failures', { timeout: 30_000 });
    await expect(count(page, 'failed')).toHaveText(String(willWrite));
    await page.getByLabel('Show outcome').selectOption({ label: 'Failed' });
    const row = page.locator('tr[data-outcome="failed"]').first();
    await expect(row).toContainText('Refused by the platform');
    await expect(row).toContainText('400 bad.request');
    await expect(row.locator('td').last()).not.toBeEmpty();
    const refused = await postWrites(sim);
    expect(refused).toHaveLength(willWrite);
    expect(refused.every((w) => w.outcome === 'refused')).toBe(true);
    expect(allowResourceErrors(guard, /status of 400/)).toBe(willWrite);

    await sim.setOptions({ wrapupWindowDays: 7 });
    await page.getByRole('button', { name: `Retry ${willWrite} failed item${willWrite === 1 ? '' : 's'}` }).click();
    // A preview first: final refusals are retried only when the user includes them (issue 15).
    const preview = page.getByTestId('retry-preview');
    await expect(preview.getByTestId('retry-final')).toHaveText(String(willWrite));
    await expect(preview.getByRole('button', { name: /^Retry \d+ items?$/ })).toBeDisabled();
    await preview.getByLabel('Also retry the items the platform refused').check();
    await preview.getByRole('button', { name: `Retry ${willWrite} item${willWrite === 1 ? '' : 's'}` }).click();
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 30_000 });
    await expect(count(page, 'applied')).toHaveText(String(willWrite));
    expectAppliedOnce(await postWrites(sim), items, code.id, willWrite);
  });

  test('a 401 mid-job pauses it without spending attempts; after signing in again it resumes, nothing lost or repeated', async ({ page, sim, guard }) => {
    const { items, code } = await targets(sim, 12);
    await sim.setOptions({ latencyMs: 300 });
    await signIn(page, sim, { path: './bulk' });
    await importTargets(
      page,
      items.map((m) => `${m.conversationId},${m.participantId}`),
    );
    await chooseCode(page, code);
    await sim.setFaults({ scope: 'writes', unauthorizedAfter: 4 });
    const willWrite = await start(page);
    await expect(page.getByTestId('job-state')).toContainText('your session expired', { timeout: 30_000 });
    await sim.setFaults({ unauthorizedAfter: null });
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await (await popup).waitForEvent('close', { timeout: 20_000 });
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 30_000 });
    await expect(count(page, 'applied')).toHaveText(String(willWrite));
    expectAppliedOnce(await postWrites(sim), items, code.id, willWrite);
    allowResourceErrors(guard, /status of 401/);
  });
});

test.describe('careful mode', () => {
  test('each write is preceded by a live read of that communication', async ({ page, sim }) => {
    const { items, code } = await targets(sim, 6);
    await previewTargets(page, sim, items, code);
    await page.getByLabel('Careful mode: read each item right before writing it').check();
    await start(page);
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 60_000 });
    await expect(count(page, 'applied')).toHaveText('6');
    const log = await sim.requests<{ tokens: { entries: { at: number; method: string; path: string; status: number }[] }[] }>();
    const entries = log.tokens.flatMap((t) => t.entries).sort((a, b) => a.at - b.at);
    const posts = entries.filter((e) => e.method === 'POST' && e.path.endsWith('/wrapup') && e.status === 202);
    expect(posts).toHaveLength(6);
    for (const p of posts) {
      const read = entries.filter((e) => e.method === 'GET' && e.path === p.path && e.at <= p.at).at(-1);
      expect(read, `a read of ${p.path} before its write`).toBeDefined();
      expect(p.at - read!.at).toBeLessThanOrEqual(5_000);
    }
  });
});
