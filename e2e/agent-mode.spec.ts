/**
 * Issue 18 items 1, 2 and 5: agent mode. An agent (no org-wide analytics permission) lands on "My
 * missing wrap-ups", sees exactly their own missing items (the sim's ground truth for that user),
 * fixes one through the one wrap-up path (the write log: by that agent, on their own participant);
 * an agent without any analytics permission sees only calls and is told why; a communication that
 * leaves after-call work without a code appears at once. Against the simulated org over real HTTP.
 */
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, signIn, type SimControl } from './fixtures.ts';
import { simUrl } from '../playwright.config.ts';
import type { OrgSummary, TruthItem, WriteLogEntry } from '../genesys-sim/src/index.ts';

const AGENT = 'agent01@demo.example';
const AGENT_WITHOUT_ANALYTICS = 'agent02@demo.example';

interface Truth {
  missing: TruthItem[];
  userId: string;
}

async function simJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${simUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sim ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The interval the page shows (its own `data-start`/`data-end`, epoch ms) as `<ISO>/<ISO>`. */
async function shownInterval(page: Page): Promise<string> {
  const el = page.getByTestId('interval-shown');
  const start = Number(await el.getAttribute('data-start'));
  const end = Number(await el.getAttribute('data-end'));
  return `${new Date(start).toISOString()}/${new Date(end).toISOString()}`;
}

/** Waits for the whole list, then the missing count the page shows. */
async function shownMissing(page: Page): Promise<number> {
  await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });
  return Number(await page.getByTestId('my-missing').getAttribute('data-count'));
}

/** `conversationId/participantId` of every row the list shows (status filter "missing only": the missing ones). */
async function shownRows(page: Page): Promise<string[]> {
  const rows = page.locator('.my-table tbody tr');
  const out: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const r = rows.nth(i);
    out.push(`${await r.getAttribute('data-conversation')}/${await r.getAttribute('data-participant')}`);
  }
  return out.sort();
}

const key = (m: Pick<TruthItem, 'conversationId' | 'participantId'>) => `${m.conversationId}/${m.participantId}`;

async function writes(sim: SimControl): Promise<WriteLogEntry[]> {
  return (await sim.writes<{ writes: WriteLogEntry[] }>()).writes;
}

test.describe('agent mode: my missing wrap-ups', () => {
  test('an agent lands on their own missing wrap-ups, exactly the ground truth for them, and fixes one on their own participant', async ({ page, sim }) => {
    // An org that refuses agent-scoped queries unless they are filtered to the caller: the app always filters.
    await sim.reset({ agentQueryScope: 'refuse' });
    await signIn(page, sim, { as: AGENT });
    await expect(page).toHaveURL(/\/my$/);
    await expect(page.getByRole('heading', { level: 1, name: 'My missing wrap-ups' })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'My wrap-ups' })).toHaveAttribute('aria-current', 'page');
    await expect(nav.getByRole('link', { name: 'Conversations' })).toHaveCount(0);
    // Not told about supervisor features the agent does not use.
    await expect(page.getByText('Some features are not available to your account')).toHaveCount(0);
    await expect(page.getByText('Only calls are shown')).toHaveCount(0);

    const count = await shownMissing(page);
    const truth = await sim.truth<Truth>({ interval: await shownInterval(page), email: AGENT });
    expect(truth.missing.length).toBeGreaterThan(1);
    expect(count).toBe(truth.missing.length);
    expect(await shownRows(page)).toEqual(truth.missing.map(key).sort());
    await expect(page.getByText(`You have ${truth.missing.length} missing wrap-ups in this time range.`)).toBeVisible();
    await expect(page.locator('.my-live')).toHaveAttribute('data-live', 'live');
    await expectAccessible(page, 'my missing wrap-ups');

    // Fix one: the newest writable one, through the one wrap-up form.
    const target = truth.missing.find((m) => m.writable && m.mediaType === 'voice') ?? truth.missing.find((m) => m.writable)!;
    const row = page.locator(`.my-table tbody tr[data-participant="${target.participantId}"]`);
    await row.getByRole('link', { name: /^Apply a wrap-up to your / }).click();
    await expect(page.getByRole('heading', { name: 'Apply a wrap-up' })).toBeVisible();
    await expectAccessible(page, 'wrap-up form (agent)');
    await page.getByLabel('Wrap-up code', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Apply wrap-up' }).click();
    await expect(page.locator('[data-outcome="applied"]')).toBeVisible();

    const org = await simJson<OrgSummary>('GET', '/__sim/org');
    const agent = org.users.find((u) => u.email === AGENT)!;
    const sent = (await writes(sim)).filter((w) => w.via !== 'agent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      outcome: 'applied',
      userEmail: AGENT,
      userId: agent.id,
      conversationId: target.conversationId,
      participantId: target.participantId,
      communicationId: target.communicationId,
    });
    // The participant written is the agent's own.
    expect(target.userId).toBe(agent.id);
    // Nothing the agent may not call was asked for (the media GET instead of GET /conversations/{id}).
    const { tokens } = await sim.requests<{ tokens: { userEmail: string; entries: { path: string; status: number }[] }[] }>();
    const mine = tokens.filter((t) => t.userEmail === AGENT).flatMap((t) => t.entries);
    expect(mine.filter((e) => e.status === 403 || e.status === 401)).toEqual([]);
    expect(
      mine.some((e) => e.path.startsWith(`/api/v2/conversations/${target.mediaType === 'voice' ? 'calls' : `${target.mediaType}s`}/${target.conversationId}`)),
    ).toBe(true);

    // Back on the list the item is no longer missing.
    await page.getByRole('link', { name: 'Back to my missing wrap-ups' }).click();
    await expect(page.getByTestId('my-missing')).toHaveAttribute('data-count', String(truth.missing.length - 1));
    await expect(page.locator(`.my-table tbody tr[data-participant="${target.participantId}"]`)).toHaveCount(0);
  });

  test('an agent without analytics sees only calls, told why, and fixes one by the participant PATCH', async ({ page, sim }) => {
    await signIn(page, sim, { as: AGENT_WITHOUT_ANALYTICS });
    await expect(page).toHaveURL(/\/my$/);
    const note = page.getByRole('note');
    await expect(note.getByText('Only calls are shown')).toBeVisible();
    await expect(
      note.getByText(
        /ask your Genesys Cloud administrator for the permission “Analytics > Agent Conversation Detail > View” \(analytics:agentConversationDetail:view\)/i,
      ),
    ).toBeVisible();

    const count = await shownMissing(page);
    const interval = await shownInterval(page);
    const all = await sim.truth<Truth>({ interval, email: AGENT_WITHOUT_ANALYTICS });
    const calls = await sim.truth<Truth>({ interval, email: AGENT_WITHOUT_ANALYTICS, mediaType: 'voice' });
    // The org has other media for this agent; the page shows their calls, all of them.
    expect(all.missing.length).toBeGreaterThan(calls.missing.length);
    expect(count).toBe(calls.missing.length);
    expect(await shownRows(page)).toEqual(calls.missing.map(key).sort());
    await expect(page.locator('.my-table tbody td[data-label="Media type"]').first()).toHaveText('Voice');
    await expectAccessible(page, 'my missing wrap-ups (calls only)');

    const { tokens } = await sim.requests<{ tokens: { userEmail: string; entries: { method: string; path: string; status: number }[] }[] }>();
    const paths = tokens.filter((t) => t.userEmail === AGENT_WITHOUT_ANALYTICS).flatMap((t) => t.entries);
    expect(paths.some((e) => e.path.startsWith('/api/v2/conversations/calls/history'))).toBe(true);
    expect(paths.filter((e) => e.path.startsWith('/api/v2/analytics/'))).toEqual([]);
    expect(paths.filter((e) => e.status >= 400)).toEqual([]);

    const target = calls.missing[0]!;
    await page
      .locator(`.my-table tbody tr[data-participant="${target.participantId}"]`)
      .getByRole('link', { name: /^Apply a wrap-up to your / })
      .click();
    await expect(page.getByTestId('write-method')).toHaveText(/written to the participant/);
    await page.getByLabel('Wrap-up code', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Apply wrap-up' }).click();
    await expect(page.locator('[data-outcome="applied"]')).toBeVisible();
    const sent = (await writes(sim)).filter((w) => w.via !== 'agent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      via: 'patch',
      outcome: 'applied',
      userEmail: AGENT_WITHOUT_ANALYTICS,
      conversationId: target.conversationId,
      participantId: target.participantId,
    });
    expect(target.userId).toBe(calls.userId);
  });

  test('a communication that leaves after-call work without a code appears at once, with a toast', async ({ page, sim }) => {
    // The agent's active call: from their own call history and the sim's view of it.
    const token = await simJson<{ access_token: string; userId: string }>('POST', '/__sim/tokens', { email: AGENT });
    const now = Date.now();
    const interval = `${new Date(now - 7 * 86_400_000).toISOString()}/${new Date(now).toISOString()}`;
    const history = (await (
      await fetch(`${simUrl}/api/v2/conversations/calls/history?pageSize=50&interval=${encodeURIComponent(interval)}`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      })
    ).json()) as { entities: { id: string }[] };
    let active: { conversationId: string; participantId: string } | undefined;
    for (const c of history.entities) {
      const view = await simJson<{ participants: { id: string; userId?: string; situation?: string }[] }>('GET', `/__sim/conversations/${c.id}`);
      const p = view.participants.find((x) => x.userId === token.userId && x.situation === 'active');
      if (p) active = { conversationId: c.id, participantId: p.id };
    }
    if (!active) throw new Error('the seeded org has no active call of agent01');

    await signIn(page, sim, { as: AGENT });
    const before = await shownMissing(page);
    await expect(page.locator('.my-live')).toHaveAttribute('data-live', 'live');
    const row = page.locator(`.my-table tbody tr[data-participant="${active.participantId}"]`);
    await expect(row).toHaveCount(0); // active: not missing

    // The call ends; after-call work starts (still "active": the agent is choosing a code).
    await sim.agentDisconnect(active);
    await page.waitForTimeout(500);
    await expect(row).toHaveCount(0);
    // The agent leaves after-call work without a code: at once in the list, and a toast.
    await sim.acwEnd(active);
    await expect(row).toHaveAttribute('data-status', 'missing');
    await expect(row.getByText('new')).toBeVisible();
    await expect(page.getByTestId('my-missing')).toHaveAttribute('data-count', String(before + 1));
    await expect(page.getByText('Wrap-up code missing').first()).toBeVisible();
    await expect(page.getByText(/You left after-call work without a wrap-up code/).first()).toBeVisible();
    await expectAccessible(page, 'my missing wrap-ups (live)');
    // And it can be fixed from there like any other.
    await expect(row.getByRole('link', { name: /^Apply a wrap-up to your / })).toBeVisible();
  });
});
