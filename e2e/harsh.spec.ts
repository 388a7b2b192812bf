/**
 * The app against a sim whose unknowns are all on their harsher side (`--profile harsh`: the sync
 * query returns whole days, conversations keep arriving while pages are read, the limit is shared
 * by every token of the user and client, rate headers are hidden from the browser, only agents'
 * writes fire wrap-up events, analytics lags 10 s, 5% of events are lost). Runs in the `harsh`
 * Playwright project only (with worklist, wrap-up and bulk specs). docs/genesys-platform.md §8.
 */
import { rangeQuery, shownMissing } from './worklist-helpers.ts';
import { test, expect, expectAccessible, allowResourceErrors, signIn, SUPERVISOR } from './fixtures.ts';
import { count, postWrites, previewTargets, start, targets } from './bulk-helpers.ts';
import { simUrl } from '../playwright.config.ts';
import { wrapupUrl } from '../genesys-sim/src/index.ts';

const HOUR = 3_600_000;

interface Truth {
  conversations: number;
  totals: { missing: number };
  syncQueryConversations: number;
  driftAdded: number;
}

async function mintToken(email: string, clientId = 'wrapup-desk-demo'): Promise<string> {
  const res = await fetch(`${simUrl}/__sim/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, clientId }),
  });
  if (!res.ok) throw new Error(`mint ${email}: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

test.describe('under the harsh profile', () => {
  test.beforeEach(({ sim }) => {
    test.skip(!sim.harsh, 'harsh profile only');
  });

  test('the worklist shows only the window, whatever the day-wide query returns, while conversations arrive', async ({ page, sim }) => {
    // A denser org (more pages) and faster arrivals than the profile's 60/min: pages shift while read.
    await sim.reset({ conversations: 2500, days: 3, pageDriftPerMinute: 600 });
    const now = Date.now();
    const from = now - 6 * HOUR;
    const to = now - HOUR;
    const interval = `${new Date(from).toISOString()}/${new Date(to).toISOString()}`;
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, to)}` });
    const shown = await shownMissing(page, 60_000);
    const truth = await sim.truth<Truth>({ interval });
    expect(truth.totals.missing).toBeGreaterThan(0);
    expect(shown).toBe(truth.totals.missing);
    // The platform's query returned more than the window (whole days), and conversations arrived.
    expect(truth.syncQueryConversations).toBeGreaterThan(truth.conversations);
    expect(truth.driftAdded).toBeGreaterThan(0);
    // The list's count is what was loaded for the window, not the query's totalHits.
    await expect(page.getByText(new RegExp(`^${truth.conversations.toLocaleString('en-US')} conversations? loaded at`))).toBeVisible();
    await expectAccessible(page, 'worklist (harsh)');
  });

  test("a second supervisor's wrap-ups during a bulk job are never overwritten, though they fire no event", async ({ page, sim }) => {
    // Supervisors may write ended conversations here: this test is about events, not the write policy.
    await sim.setOptions({ wrapupPolicy: 'permissive', rateLimit: 120 });
    const { items, code } = await targets(sim, 24);
    const other = await mintToken('supervisor2@demo.example');
    await previewTargets(page, sim, items, code);
    // Slow answers from Start on: each item costs a read and a write, so the job reaches the last
    // items some 10 s later, well after the other supervisor's writes below (without them the first
    // window's budget let the whole job run in a second or two, and on a busy machine it could reach
    // "not yet reached" items before the other supervisor did).
    await sim.setOptions({ latencyMs: 1500 });
    const willWrite = await start(page);
    expect(willWrite).toBe(24);
    // Without an event for its own writes the job reads each item right before writing it.
    await expect(page.getByTestId('checking')).toHaveText(/Each item is read right before it is written/);
    // The other supervisor codes three items the job has not reached yet (the write log tells
    // whose write landed when, whatever the code).
    const theirs = items.slice(-3);
    await Promise.all(
      theirs.map(async (t) => {
        const res = await fetch(wrapupUrl(simUrl, t), {
          method: 'POST',
          headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
          body: JSON.stringify({ code: code.id, notes: 'by supervisor 2' }),
        });
        expect(res.status, await res.text()).toBe(202);
      }),
    );
    await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 90_000 });
    const writes = await postWrites(sim);
    const byOther = writes.filter((w) => w.userEmail === 'supervisor2@demo.example' && w.outcome === 'applied');
    expect(byOther).toHaveLength(3);
    for (const w of byOther) {
      const later = writes.filter(
        (x) => x.seq > w.seq && x.outcome === 'applied' && x.conversationId === w.conversationId && x.participantId === w.participantId,
      );
      expect(later, `overwrote ${w.conversationId}`).toEqual([]);
    }
    await expect(count(page, 'already-coded')).toHaveText('3');
    await expect(count(page, 'applied')).toHaveText('21');
    await expect(count(page, 'failed')).toHaveText('0');
  });

  test('another browser of the same user and client spends half the budget: the job slows down and no item fails', async ({ page, sim, guard }) => {
    test.setTimeout(200_000); // at 40 requests a minute, shared: about a minute and a half
    // A small limit so that the shared bucket is contended within seconds.
    await sim.setOptions({ wrapupPolicy: 'permissive', rateLimit: 40 });
    const { items, code } = await targets(sim, 12);
    await previewTargets(page, sim, items, code);
    // The other browser: a token of the same user and OAuth client. It spends half the window at
    // once, then half the limit per minute.
    const token = await mintToken(SUPERVISOR);
    const me = () => fetch(`${simUrl}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });
    await Promise.all(Array.from({ length: 20 }, me));
    let stop = false;
    const load = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 3_000));
        await me();
      }
    })();
    try {
      await start(page);
      await expect(page.getByTestId('job-state')).toHaveText('Finished', { timeout: 150_000 });
    } finally {
      stop = true;
      await load;
    }
    await expect(count(page, 'applied')).toHaveText('12');
    await expect(count(page, 'failed')).toHaveText('0');
    const applied = (await postWrites(sim)).filter((w) => w.outcome === 'applied');
    expect(new Set(applied.map((w) => `${w.conversationId}/${w.participantId}`)).size).toBe(12);
    expect(applied).toHaveLength(12);
    // The contention was real: the app's own token met the shared limit.
    const log = await sim.requests<{ tokens: { token: string; byStatus: Record<string, number> }[] }>();
    const app429 = log.tokens.filter((t) => t.token !== token).reduce((n, t) => n + (t.byStatus['429'] ?? 0), 0);
    expect(app429).toBeGreaterThan(0);
    // The browser logs each refused request; those 429s are the point of this test.
    expect(allowResourceErrors(guard, /\/api\/v2\//)).toBeGreaterThan(0);
  });
});
