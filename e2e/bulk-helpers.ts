/**
 * Helpers of the bulk wrap-up specs (bulk.spec.ts, bulk-tabs.spec.ts). The sim's write log
 * (`GET /__sim/writes`) is the ground truth of what reached the platform; targets come from its
 * ground truth (`POST /__sim/truth`).
 */
import type { Page } from '@playwright/test';
import { expect, signIn, type SimControl } from './fixtures.ts';
import { simUrl } from '../playwright.config.ts';
import { pickSharedCodeTargets, type OrgSummary, type TruthItem, type WriteLogEntry } from '../genesys-sim/src/index.ts';

export const DAY = 86_400_000;

export async function simGet<T>(path: string): Promise<T> {
  const res = await fetch(`${simUrl}/__sim/${path}`);
  if (!res.ok) throw new Error(`sim GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export function interval(days = 7): string {
  const now = Date.now();
  return `${new Date(now - days * DAY).toISOString()}/${new Date(now + DAY).toISOString()}`;
}

/**
 * `n` writable missing items (one per conversation) of the queues that allow the most widely
 * allowed code, and that code: one code the preview allows for all of them.
 */
export async function targets(
  sim: SimControl,
  n: number,
  mediaType?: string,
): Promise<{ items: TruthItem[]; code: { id: string; name: string }; queueId: string }> {
  const org = await simGet<OrgSummary>('org');
  const truth = await sim.truth<{ missing: TruthItem[] }>({ interval: interval(), ...(mediaType ? { mediaType } : {}) });
  const best = pickSharedCodeTargets(truth.missing, org);
  if (!best || best.items.length < n) throw new Error(`only ${best?.items.length ?? 0} missing items share a code`);
  return { items: best.items.slice(0, n), code: best.code, queueId: best.items[0]!.queueId! };
}

export async function postWrites(sim: SimControl): Promise<WriteLogEntry[]> {
  const { writes } = await sim.writes<{ writes: WriteLogEntry[] }>();
  return writes.filter((w) => w.via === 'post');
}

/**
 * Every applied write is one of the targets, with the job's code, and no target is written twice;
 * exactly `expected` were applied (what the preview said would be written).
 */
export function expectAppliedOnce(writes: readonly WriteLogEntry[], items: readonly TruthItem[], codeId: string, expected: number) {
  const applied = writes.filter((w) => w.outcome === 'applied');
  const keys = applied.map((w) => `${w.conversationId}/${w.participantId}`);
  expect(new Set(keys).size, 'no double writes').toBe(keys.length);
  const wanted = new Set(items.map((m) => `${m.conversationId}/${m.participantId}`));
  expect(keys.filter((k) => !wanted.has(k))).toEqual([]);
  expect(keys).toHaveLength(expected);
  expect(applied.every((w) => w.code === codeId)).toBe(true);
}

/** Reads how many writes the preview announces, then presses Start. */
export async function start(page: Page): Promise<number> {
  const willWrite = Number((await page.getByTestId('preview-write').innerText()).replace(/[^\d]/g, ''));
  expect(willWrite).toBeGreaterThan(0);
  // The button names the chosen code (issue 16: no write of a code nobody named).
  await page.getByRole('button', { name: new RegExp(`^Start: write “.+” to ${willWrite} participants?$`) }).click();
  return willWrite;
}

/** After a reload: the app may keep the session or ask to sign in (autoLogin answers at once). */
export async function signInIfAsked(page: Page) {
  const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
  await expect(page.getByTestId('job-state').or(signInButton)).toBeVisible({ timeout: 20_000 });
  if (await signInButton.isVisible()) await signInButton.click();
}

/** Imports the targets by paste and opens the preview. */
export async function importTargets(page: Page, lines: string[]) {
  await page.getByLabel('Paste conversation IDs').fill(lines.join('\n'));
  await page.getByRole('button', { name: 'Check lines' }).click();
  await page.getByRole('button', { name: /^Preview \d+ targets?$/ }).click();
  await expect(page.getByRole('heading', { name: 'Preview' })).toBeVisible({ timeout: 20_000 });
}

export async function chooseCode(page: Page, code: { id: string }) {
  await page.getByLabel('Wrap-up code', { exact: true }).selectOption(code.id);
}

export const count = (page: Page, which: string) => page.getByTestId(`count-${which}`);

/** Signs in on the bulk page, imports the items (conversation and participant ids) and chooses the code. */
export async function previewTargets(page: Page, sim: SimControl, items: readonly TruthItem[], code: { id: string }) {
  await signIn(page, sim, { path: './bulk' });
  await importTargets(
    page,
    items.map((t) => `${t.conversationId},${t.participantId}`),
  );
  await chooseCode(page, code);
}
