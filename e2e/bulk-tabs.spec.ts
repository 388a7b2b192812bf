/**
 * Bulk jobs across tabs and under a long rate-limit pause (reliability checklist #13, #14, #19,
 * #20), in the real app against the simulated org over real HTTP. The sim's write log
 * (`GET /__sim/writes`) and request log (`GET /__sim/requests`) are the ground truth of what
 * reached the platform; never timing.
 */
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, allowResourceErrors, guardPage, signIn, type SimControl } from './fixtures.ts';
import { chooseCode, count, expectAppliedOnce, importTargets, postWrites, signInIfAsked, start, targets } from './bulk-helpers.ts';
import type { WriteLogEntry } from '../genesys-sim/src/index.ts';

/** The wrap-up write (POST …/participants/{pid}/communications/{commId}/wrapup). */
const WRITE_URL = /\/api\/v2\/conversations\/[^/]+\/[^/]+\/participants\/[^/]+\/communications\/[^/]+\/wrapup$/;

interface RequestLog {
  tokens: { token: string; userEmail: string | null; total: number; entries: { at: number; method: string; path: string; status: number }[] }[];
}

async function requestLog(sim: SimControl): Promise<RequestLog['tokens']> {
  return (await sim.requests<RequestLog>()).tokens;
}

const isWrite = (e: { method: string; path: string }) => e.method === 'POST' && WRITE_URL.test(e.path);

/** Write requests per token (tokens that sent none are left out). */
async function writesByToken(sim: SimControl): Promise<Map<string, number>> {
  const byToken = new Map<string, number>();
  for (const t of await requestLog(sim)) {
    const n = t.entries.filter(isWrite).length;
    if (n > 0) byToken.set(t.token, n);
  }
  return byToken;
}

/** What reached the platform so far: every write attempt and every /api/v2 request. */
async function platformSnapshot(sim: SimControl): Promise<{ writes: number; requests: number }> {
  const [writes, tokens] = await Promise.all([sim.writes<{ writes: WriteLogEntry[] }>(), requestLog(sim)]);
  return { writes: writes.writes.length, requests: tokens.reduce((sum, t) => sum + t.total, 0) };
}

/**
 * Nothing more reaches the platform: the logs are read every 500 ms for `ms` and must not move
 * from the snapshot taken first. (A fixed span, but the proof is the log, read again and again.)
 */
async function expectNothingSent(sim: SimControl, ms: number, what: string) {
  const before = await platformSnapshot(sim);
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    expect(await platformSnapshot(sim), what).toEqual(before);
  }
}

const lines = (items: readonly { conversationId: string; participantId: string }[]) => items.map((m) => `${m.conversationId},${m.participantId}`);

/** Times as the page shows them (bulk-page `formatDateTime`: medium date, short time, the page's locale and zone). */
function appTimes(page: Page, times: number[]): Promise<string[]> {
  return page.evaluate(
    (list) =>
      list.map((at) =>
        new Intl.DateTimeFormat(document.documentElement.lang || navigator.language, { dateStyle: 'medium', timeStyle: 'short' })
          .format(new Date(at))
          .replace(/\s+/g, ' '),
      ),
    times,
  );
}

test.describe('bulk jobs: tabs and long pauses', () => {
  test('#19 two tabs, one runner: the second tab shows the job runs elsewhere, takes over when the first closes, each item applied once', async ({
    page,
    sim,
    guard,
  }) => {
    // Items whose write was in flight when the first tab closed are re-read only once the platform
    // could no longer apply that write (LATE_APPLY_WINDOW_MS, 60 s after it left): the takeover
    // may take that long to finish.
    test.setTimeout(180_000);
    const { items, code } = await targets(sim, 80);
    await signIn(page, sim, { path: './bulk' });
    await importTargets(page, lines(items));
    await chooseCode(page, code);
    // Slow answers (every /api/v2 call takes 1.5 s, 4 writes at a time: about 30 s for 80 items), so the
    // job is still running when the second tab has signed in, been checked for accessibility (20 s on a
    // busy machine) and the first one closes. With 40 items at 1 s the first tab once finished alone.
    await sim.setOptions({ latencyMs: 1500 });
    const willWrite = await start(page);
    await expect(page).toHaveURL(/\/bulk\?job=[^&]+$/);
    const jobUrl = page.url();
    await expect(page.getByTestId('job-state')).toHaveText('Running');

    // The second tab: same browser context (same IndexedDB journal, same Web Locks), same job URL.
    const tab2 = await page.context().newPage();
    await guardPage(tab2, guard);
    await tab2.goto(jobUrl);
    await signInIfAsked(tab2);
    await expect(tab2).toHaveURL(jobUrl);
    const state2 = tab2.getByTestId('job-state');
    await expect(state2).toHaveText('Running — another tab is running this job', { timeout: 20_000 });
    await expect(page.getByTestId('job-state')).toHaveText('Running');
    await expectAccessible(tab2, 'bulk job running in another tab');

    // Resume offered in the second tab tries again: still locked, nothing sent from there.
    await tab2.getByRole('button', { name: 'Resume' }).click();
    await expect(state2).toHaveText('Running — another tab is running this job');
    await expect(tab2.getByRole('button', { name: 'Resume' })).toBeEnabled();
    // Only the tab that runs the job may pause or stop it: the second tab offers neither.
    await expect(tab2.getByRole('button', { name: 'Pause' })).toHaveCount(0);
    await expect(tab2.getByRole('button', { name: 'Stop' })).toHaveCount(0);

    // Only the first tab's token writes, each target at most once, only targets.
    await expect.poll(async () => (await writesByToken(sim)).size, { message: 'one tab writes' }).toBe(1);
    const [firstTabToken] = [...(await writesByToken(sim)).keys()];
    const before = await postWrites(sim);
    const appliedBefore = before.filter((w) => w.outcome === 'applied').length;
    expectAppliedOnce(before, items, code.id, appliedBefore);
    // Mid-job: not everything is written yet.
    expect(appliedBefore).toBeLessThan(willWrite);

    // Meanwhile the second tab follows the job's progress from the journal.
    await expect.poll(async () => Number(await count(tab2, 'applied').innerText()), { timeout: 20_000 }).toBeGreaterThan(0);

    // The first tab goes away mid-job (its lock goes with it); the second takes over by itself,
    // as a reload would.
    await page.close();
    await expect(state2).not.toContainText('another tab is running this job', { timeout: 20_000 });
    await expect(state2).toHaveText('Finished', { timeout: 120_000 });
    await expect(count(tab2, 'applied')).toHaveText(String(willWrite));
    await expect(count(tab2, 'pending')).toHaveText('0');
    await expect(count(tab2, 'failed')).toHaveText('0');
    const writes = await postWrites(sim);
    expectAppliedOnce(writes, items, code.id, willWrite);
    expect(writes.every((w) => w.outcome === 'applied')).toBe(true);
    // The rest was written by the second tab's token.
    const after = await writesByToken(sim);
    const secondTab = [...after.entries()].filter(([token]) => token !== firstTabToken);
    expect(secondTab).toHaveLength(1);
    expect(secondTab[0]![1]).toBeGreaterThan(0);
    await expectNothingSent(sim, 2_000, 'nothing after the end');
  });

  test('#14 a Retry-After over 180 s pauses the job until a shown time; resuming early sends nothing; Stop skips the rest', async ({ page, sim, guard }) => {
    const { items, code } = await targets(sim, 12);
    await signIn(page, sim, { path: './bulk' });
    await importTargets(page, lines(items));
    await chooseCode(page, code);
    await sim.setOptions({ latencyMs: 300 });
    const willWrite = await start(page);
    const state = page.getByTestId('job-state');
    await expect(count(page, 'applied')).not.toHaveText('0', { timeout: 20_000 });
    // From now on every write is refused: 429 with `Retry-After: 400` (probability 1, so deterministic).
    await sim.setFaults({ scope: 'writes', rate429RetryAfter: 1, retryAfterSeconds: 400 });
    await expect(state).toContainText('Paused — the platform asked to wait until ', { timeout: 20_000 });

    // The calls in flight finish; then the counts and the write log agree.
    await expect(page.locator('tr[data-outcome="in-flight"]')).toHaveCount(0);
    const atPause = await postWrites(sim);
    const refused = atPause.filter((w) => w.outcome === 'fault');
    const applied = atPause.filter((w) => w.outcome === 'applied');
    expect(refused.length).toBeGreaterThan(0);
    // Only the writes already on their way when the first 429 came back (the job writes 4 at a time).
    expect(refused.length).toBeLessThanOrEqual(4);
    expect(refused.every((w) => w.status === 429 && w.fault === '429-retry-after')).toBe(true);
    await expect(count(page, 'applied')).toHaveText(String(applied.length));
    await expect(count(page, 'pending')).toHaveText(String(willWrite - applied.length));
    expectAppliedOnce(atPause, items, code.id, applied.length);

    // The pause names the time the platform gave: 400 s after the first 429 (to the minute).
    const firstRefusal = Math.min(...refused.map((w) => w.at));
    const candidates = await appTimes(
      page,
      [-2_000, 0, 2_000, 5_000].map((d) => firstRefusal + 400_000 + d),
    );
    const shown = (await state.innerText()).replace(/\s+/g, ' ');
    const until = /wait until (.+); press Resume to continue when it allows$/.exec(shown)?.[1];
    expect(until, shown).toBeDefined();
    expect(candidates, `pause text: ${shown}`).toContain(until);
    await expectAccessible(page, 'bulk job paused by a long Retry-After');

    // Paused: nothing reaches the platform, not even the rest of the app's calls.
    await expectNothingSent(sim, 3_000, 'nothing while paused');

    // Resuming early (checklist #13): the job runs again, but nothing leaves before Retry-After.
    await page.getByRole('button', { name: 'Resume' }).click();
    // Running again, and the page says why nothing moves: the platform holds requests until then.
    await expect(state).toHaveText(`Running — the platform holds every request until ${until}`);
    await expectNothingSent(sim, 3_000, 'nothing before Retry-After, even after Resume');

    // Stop (checklist #20): nothing is in flight, so nothing more is sent; the rest is skipped.
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(state).toHaveText('Stopped', { timeout: 20_000 });
    await expect(count(page, 'applied')).toHaveText(String(applied.length));
    await expect(count(page, 'skipped')).toHaveText(String(willWrite - applied.length));
    await expect(count(page, 'failed')).toHaveText('0');
    await expect(count(page, 'pending')).toHaveText('0');
    await page.getByLabel('Show outcome').selectOption({ label: 'Skipped' });
    await expect(page.locator('tr[data-outcome="skipped"]', { hasText: 'Job stopped before this item' })).toHaveCount(willWrite - applied.length);
    await expectNothingSent(sim, 2_000, 'nothing after Stop');
    expect(await postWrites(sim)).toEqual(atPause);
    expect(allowResourceErrors(guard, /status of 429/)).toBe(refused.length);
  });

  test('#6 signing in again during a long Retry-After is not held by it; the job still waits for the time shown', async ({ page, sim, guard }) => {
    const { items, code } = await targets(sim, 8);
    await sim.setOptions({ tokenTtl: 30 });
    await signIn(page, sim, { path: './bulk' });
    await importTargets(page, lines(items));
    await chooseCode(page, code);
    // Every write is refused with `Retry-After: 400`: the whole app is paused for 400 s.
    await sim.setFaults({ scope: 'writes', rate429RetryAfter: 1, retryAfterSeconds: 400 });
    await start(page);
    await expect(page.getByTestId('job-state')).toContainText('Paused — the platform asked to wait until ', { timeout: 20_000 });
    const pausedAt = Date.now();
    const writesAtPause = await postWrites(sim);
    expect(writesAtPause.length).toBeGreaterThan(0);
    expect(writesAtPause.every((w) => w.status === 429)).toBe(true);

    // The 30 s token runs out during the pause; the next one lives long.
    await sim.setOptions({ tokenTtl: 3600 });
    await expect(page.getByText('Your session has expired. Everything on this page is kept.')).toBeVisible({ timeout: 45_000 });
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await (await popup).waitForEvent('close', { timeout: 20_000 });
    // Signed in long before the 400 s are over: the login's token check went out during the pause.
    await expect(page.getByText('You are signed in again.')).toBeVisible({ timeout: 15_000 });
    const tokenChecks = (await requestLog(sim))
      .flatMap((t) => t.entries)
      .filter((e) => e.method === 'GET' && e.path === '/api/v2/tokens/me' && e.at > pausedAt);
    expect(tokenChecks.length).toBeGreaterThan(0);
    expect(tokenChecks.every((e) => e.status === 200)).toBe(true);
    // Everything else still waits: no write has left since the pause.
    await expectNothingSent(sim, 2_000, 'nothing but the token check during the pause');
    expect(await postWrites(sim)).toEqual(writesAtPause);
    await expect(page.getByTestId('job-state')).toContainText(/wait until|holds every request until/);
    allowResourceErrors(guard, /status of 429/);
  });
});
