/**
 * Issue 15 item 2: the app acts on what the platform check learned. The verdict comes from the
 * check's write probe (the page, as a supervisor uses it); platform behaviour from the sim's
 * switches; ground truth from the sim's write log.
 */
import type { Page } from '@playwright/test';
import { test, expect, signIn } from './fixtures.ts';
import { simGet, importTargets, start, count } from './bulk-helpers.ts';
import { allowPlatformCheckRefusals, missingByAcw, runWriteProbe, type MissingItem } from './platform-check-helpers.ts';
import type { OrgSummary, WriteLogEntry } from '../genesys-sim/src/index.ts';

async function writes(sim: { writes: <T>() => Promise<T> }): Promise<WriteLogEntry[]> {
  return (await sim.writes<{ writes: WriteLogEntry[] }>()).writes;
}

async function codeFor(queueId: string | null): Promise<{ id: string; name: string }> {
  const org = await simGet<OrgSummary>('org');
  const ids = org.queues.find((q) => q.id === queueId)?.codeIds ?? [];
  const code = org.codes.find((c) => ids.includes(c.id) && !c.deleted);
  if (!code) throw new Error('no code for the queue');
  return code;
}

/** A new visit of `path` in the signed-in tab: the app may sign in again by itself, or ask. */
async function visit(page: Page, path: string) {
  await page.goto(path);
  const button = page.getByRole('button', { name: 'Sign in', exact: true });
  const signedIn = page.getByText(/^Signed in as /);
  await expect(signedIn.or(button).first()).toBeVisible({ timeout: 20_000 });
  if (await button.isVisible()) await button.click();
  await expect(signedIn).toBeVisible();
}

/** Missing items of one queue (so that one code is allowed for all of them). */
function sameQueue(items: MissingItem[], queueId: string | null, n: number): MissingItem[] {
  return items.filter((m) => m.queueId === queueId).slice(0, n);
}

test.describe('the app acts on the platform check', () => {
  test('strict POST, permissive PATCH: after the check, a single write and a bulk job write by PATCH only', async ({ page, sim, guard }) => {
    test.setTimeout(150_000);
    await sim.reset({ wrapupPolicy: 'strict', patchPolicy: 'permissive' });
    const ended = await missingByAcw(sim, { pending: false, count: 40 });
    const probe = ended[0]!;
    const code = await codeFor(probe.queueId);
    const rest = sameQueue(ended.slice(1), probe.queueId, 4);
    expect(rest.length).toBeGreaterThanOrEqual(3);
    const [single, ...bulk] = rest;

    await signIn(page, sim);
    const { attempts, conclusion } = await runWriteProbe(page, probe, code.name);
    expect(attempts.map((a) => [a.method, a.outcome])).toEqual([
      ['post', 'refused'],
      ['patch', 'applied'],
    ]);
    expect(conclusion).toBe('patch');
    const afterCheck = (await writes(sim)).length;

    // The single form (a new visit: the verdict is read from this browser's store).
    await visit(page, `./conversations/${single!.conversationId}/wrap-up?participant=${single!.participantId}`);
    await expect(page.getByRole('heading', { name: 'Apply a wrap-up' })).toBeVisible();
    await expect(page.getByTestId('write-method')).toBeVisible();
    await page.getByLabel('Wrap-up code', { exact: true }).selectOption(code.id);
    await page.getByRole('button', { name: 'Apply wrap-up' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Wrap-up ${code.name} applied.` })).toBeVisible({ timeout: 20_000 });

    // A bulk job.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bulk jobs' }).click();
    await importTargets(
      page,
      bulk.map((m) => `${m.conversationId},${m.participantId}`),
    );
    await page.getByLabel('Wrap-up code', { exact: true }).selectOption(code.id);
    await expect(page.getByTestId('write-method')).toBeVisible();
    const willWrite = await start(page);
    expect(willWrite).toBe(bulk.length);
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 60_000 });
    await expect(count(page, 'applied')).toHaveText(String(bulk.length));

    const since = (await writes(sim)).slice(afterCheck);
    expect(since.map((w) => [w.via, w.outcome])).toEqual(Array.from({ length: 1 + bulk.length }, () => ['patch', 'applied']));
    expect(new Set(since.map((w) => w.conversationId))).toEqual(new Set([single!, ...bulk].map((m) => m.conversationId)));
    allowPlatformCheckRefusals(guard);
  });

  test('writes only during after-call work: the worklist marks the others as refused, and a job from "all missing" writes only the pending ones', async ({
    page,
    sim,
    guard,
  }) => {
    test.setTimeout(180_000);
    await sim.reset({ wrapupPolicy: 'during-acw' });
    const [endedItem] = await missingByAcw(sim, { pending: false });
    // Pending after-call work older than the app's grace period is "missing" in the worklist.
    const pending = await missingByAcw(sim, { pending: true, count: 10_000 });
    const pendingItem = pending[0]!;
    await signIn(page, sim);
    const first = await runWriteProbe(page, endedItem!, (await codeFor(endedItem!.queueId)).name);
    expect(first.attempts.map((a) => [a.method, a.outcome])).toEqual([
      ['post', 'refused'],
      ['patch', 'refused'],
    ]);
    const second = await runWriteProbe(page, pendingItem, (await codeFor(pendingItem.queueId)).name);
    expect(second.attempts.map((a) => [a.method, a.outcome])).toEqual([['post', 'applied']]);
    await expect(page.getByTestId('verdict-conclusion')).toContainText(/only during after-call work/i);
    const afterCheck = (await writes(sim)).length;

    // The worklist of the queue of the remaining pending items, last 4 days, "missing".
    const perQueue = new Map<string | null, number>();
    for (const m of pending) if (m !== pendingItem) perQueue.set(m.queueId, (perQueue.get(m.queueId) ?? 0) + 1);
    const queueId = [...perQueue].sort((a, b) => b[1] - a[1])[0]?.[0] ?? pendingItem.queueId;
    const org = await simGet<OrgSummary>('org');
    const queue = org.queues.find((q) => q.id === queueId)!;
    const code = await codeFor(queueId);
    const now = Date.now();
    const from = new Date(now - 4 * 86_400_000).toISOString();
    const to = new Date(now + 3_600_000).toISOString();
    await visit(page, `./conversations?range=custom&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    await page.getByLabel('Queue', { exact: true }).selectOption({ label: queue.name });
    await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('platform-refuses').first()).toBeVisible();
    expect(await page.getByTestId('platform-refuses').first().innerText()).toMatch(/^the platform refuses this \(learned /);

    await page.getByRole('button', { name: /^Select (all \d+|the \d+) matching conversations?$/ }).click();
    await page.getByRole('button', { name: /^Wrap up \d+ participants? in bulk$/ }).click();
    await expect(page.getByRole('heading', { name: 'Preview' })).toBeVisible({ timeout: 20_000 });
    await page.getByLabel('Wrap-up code', { exact: true }).selectOption(code.id);
    const refusedInPreview = Number(await page.getByTestId('preview-platformRefuses').innerText());
    expect(refusedInPreview).toBeGreaterThan(0);
    await expect(page.getByLabel('Try anyway the items the platform refuses')).not.toBeChecked();
    const willWrite = Number(await page.getByTestId('preview-write').innerText());
    expect(willWrite).toBeGreaterThan(0);
    await start(page);
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 60_000 });
    const since = (await writes(sim)).slice(afterCheck);
    expect(since).toHaveLength(willWrite);
    // Every write of the job went to an item whose after-call work was pending, and the platform took it.
    const pendingKeys = new Set(pending.map((m) => `${m.conversationId}/${m.participantId}`));
    for (const w of since) {
      expect(pendingKeys.has(`${w.conversationId}/${w.participantId}`), `${w.conversationId} had after-call work pending`).toBe(true);
      expect(w.outcome).toBe('applied');
    }
    allowPlatformCheckRefusals(guard);
  });
});
