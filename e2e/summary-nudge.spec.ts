/**
 * The worklist's summary strip (issue 16 item 3) and the supervisor's nudge (issue 18 item 3): the
 * counts per agent and per queue against the sim's ground truth, the strip as a filter, the platform
 * check's verdict deciding what comes first, and one nudge = one chat message (the sim's chat log).
 */
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, signIn, VIEWER } from './fixtures.ts';
import { simGet, DAY } from './bulk-helpers.ts';
import { rangeQuery } from './worklist-helpers.ts';
import { allowPlatformCheckRefusals, missingByAcw, runWriteProbe } from './platform-check-helpers.ts';
import type { OrgSummary, TruthItem } from '../genesys-sim/src/index.ts';

interface ChatEntry {
  fromEmail: string;
  toUserId: string;
  message: string;
}

const loaded = (page: Page) => expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout: 30_000 });

/** en-US numbers as the strip shows them ("1,234"). */
const num = (s: string) => Number(s.replace(/[^\d]/g, ''));

/** Every agent row of the strip (after "Show all"), as user id → missing. */
async function stripAgents(page: Page): Promise<Map<string, number>> {
  const strip = page.getByTestId('summary-strip');
  const all = strip.getByRole('button', { name: /^Show all \d+ agents$/ });
  if (await all.isVisible()) await all.click();
  const rows = await strip
    .getByTestId('strip-agent')
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-user-id') ?? '', e.querySelector('[data-testid="strip-agent-missing"]')?.textContent ?? ''] as const),
    );
  return new Map(rows.map(([id, n]) => [id, num(n)]));
}

async function stripQueues(page: Page): Promise<Map<string, number>> {
  const strip = page.getByTestId('summary-strip');
  const all = strip.getByRole('button', { name: /^Show all \d+ queues$/ });
  if (await all.isVisible()) await all.click();
  const rows = await strip
    .getByTestId('strip-queue')
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-queue-id') ?? '', e.querySelector('.strip-count')?.textContent ?? ''] as const));
  return new Map(rows.map(([id, n]) => [id, num(n)]));
}

function countBy(items: readonly TruthItem[], key: (m: TruthItem) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of items) out.set(key(m), (out.get(key(m)) ?? 0) + 1);
  return out;
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

test.describe('summary strip and nudge', () => {
  test('the strip counts equal the ground truth per agent and per queue; an agent or queue click filters the list; axe clean', async ({ page, sim }) => {
    test.setTimeout(120_000);
    const now = Date.now();
    const from = now - 3 * DAY;
    const interval = `${new Date(from).toISOString()}/${new Date(now).toISOString()}`;
    await signIn(page, sim, { path: `./conversations?${rangeQuery(from, now)}` });
    await loaded(page);
    const truth = await sim.truth<{ missing: TruthItem[] }>({ interval });
    expect(truth.missing.length).toBeGreaterThan(0);
    // Every truth item has a user in the seeded org: the strip shows each under its user id.
    const perAgent = countBy(truth.missing, (m) => m.userId ?? '');
    const perQueue = countBy(truth.missing, (m) => m.queueId ?? '');
    expect(perAgent.size).toBeGreaterThan(1);

    const strip = page.getByTestId('summary-strip');
    await expect(strip.getByTestId('strip-total')).toHaveText(`${truth.missing.length.toLocaleString('en-US')} missing`);
    expect(await stripAgents(page)).toEqual(perAgent);
    expect(await stripQueues(page)).toEqual(perQueue);
    // Not alarm red while nothing is wrong with the colour rule: the finished count above zero is marked.
    await expect(strip.getByTestId('strip-total')).toHaveClass(/marked/);
    await expectAccessible(page, 'worklist with summary strip');

    // The agent with the most missing: their name filters the list (the worklist's own agent filter).
    const [topId, topCount] = [...perAgent].sort((a, b) => b[1] - a[1])[0]!;
    const org = await simGet<OrgSummary>('org');
    const top = org.users.find((u) => u.id === topId)!;
    const agentRow = (id: string) => strip.locator(`[data-testid="strip-agent"][data-user-id="${id}"]`);
    await agentRow(topId).locator('th').getByRole('button').click();
    await expect(page).toHaveURL(new RegExp(`[?&]agent=${topId}(&|$)`));
    await expect(page.getByLabel('Agent', { exact: true })).toHaveValue(topId);
    await loaded(page);
    await expect(strip.getByTestId('strip-agent')).toHaveCount(1);
    await expect(agentRow(topId).locator('th').getByRole('button')).toHaveAttribute('aria-pressed', 'true');
    await expect(strip.getByTestId('strip-total')).toHaveText(`${topCount.toLocaleString('en-US')} missing`);
    // The list shows that agent's missing items: each row names them.
    const rowAgents = page.locator('.worklist-table tbody tr:not(.spacer)');
    await expect(rowAgents.first()).toBeVisible();
    for (const text of (await rowAgents.allInnerTexts()).slice(0, 20)) expect(text).toContain(top.name);

    // Pressed again, the filter is taken off.
    await agentRow(topId).locator('th').getByRole('button').click();
    await expect(page).not.toHaveURL(/[?&]agent=/);
    await loaded(page);
    await expect(strip.getByTestId('strip-total')).toHaveText(`${truth.missing.length.toLocaleString('en-US')} missing`);

    // A queue filters too.
    const [queueId, queueCount] = [...perQueue].filter(([id]) => id !== '').sort((a, b) => b[1] - a[1])[0]!;
    const queue = org.queues.find((q) => q.id === queueId)!;
    await strip
      .getByTestId('strip-queue')
      .and(page.locator(`[data-queue-id="${queueId}"]`))
      .getByRole('button')
      .click();
    await expect(page.getByLabel('Queue', { exact: true })).toHaveValue(queueId);
    await loaded(page);
    await expect(strip.getByTestId('strip-total')).toHaveText(`${queueCount.toLocaleString('en-US')} missing`);
    await expect(strip.getByRole('button', { name: new RegExp(`^${queue.name} `) })).toHaveAttribute('aria-pressed', 'true');
  });

  test('under --wrapup-policy strict the worklist suggests nudging first; one nudge is one chat message naming the count; a second is refused', async ({
    page,
    sim,
    guard,
  }) => {
    test.setTimeout(150_000);
    await sim.reset({ wrapupPolicy: 'strict' });
    const [probe] = await missingByAcw(sim, { pending: false });
    const org = await simGet<OrgSummary>('org');
    const codeIds = org.queues.find((q) => q.id === probe!.queueId)?.codeIds ?? [];
    const code = org.codes.find((c) => codeIds.includes(c.id) && !c.deleted)!;

    await signIn(page, sim);
    // Before any verdict: nothing says the supervisor cannot fix it.
    const now = Date.now();
    const from = now - 4 * DAY;
    const path = `./conversations?${rangeQuery(from, now)}`;
    await visit(page, path);
    await loaded(page);
    await expect(page.getByTestId('strip-suggestion')).toHaveAttribute('data-first', 'fix');

    const { attempts } = await runWriteProbe(page, probe!, code.name);
    expect(attempts.map((a) => [a.method, a.outcome])).toEqual([
      ['post', 'refused'],
      ['patch', 'refused'],
    ]);

    await visit(page, path);
    await loaded(page);
    const suggestion = page.getByTestId('strip-suggestion');
    await expect(suggestion).toHaveAttribute('data-first', 'nudge');
    await expect(suggestion).toContainText('Suggested first: ask the agents (Nudge).');
    await expect(suggestion).toContainText('refuses your wrap-ups');

    // The agent with the most missing, as the strip lists them first.
    const truth = await sim.truth<{ missing: TruthItem[] }>({ interval: `${new Date(from).toISOString()}/${new Date(now).toISOString()}` });
    const perAgent = countBy(truth.missing, (m) => m.userId ?? '');
    const first = page.getByTestId('strip-agent').first();
    const userId = (await first.getAttribute('data-user-id'))!;
    const count = perAgent.get(userId)!;
    expect(num(await first.getByTestId('strip-agent-missing').innerText())).toBe(count);
    expect(count).toBe(Math.max(...perAgent.values()));
    const agent = org.users.find((u) => u.id === userId)!;

    const before = (await sim.chats<{ chats: ChatEntry[] }>()).chats.length;
    const nudge = first.getByRole('button', { name: /^Nudge / });
    const dialog = page.getByRole('dialog', { name: /^Nudge / });
    // Escape cancels: nothing sent, focus back on Nudge.
    await nudge.click();
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(nudge).toBeFocused();
    await nudge.click();
    await expect(dialog).toBeVisible();
    const message = dialog.getByLabel('Message');
    await expect(message).toBeFocused();
    const text = await message.inputValue();
    expect(text).toContain(`you have ${count} missing wrap-up`);
    expect(text).toContain('/wrapup-desk/my');
    // Shown, not sent: nothing left before Send.
    expect((await sim.chats<{ chats: ChatEntry[] }>()).chats).toHaveLength(before);
    await expectAccessible(page, 'nudge dialog');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByText(`Nudge sent to ${agent.name}`)).toBeVisible({ timeout: 15_000 });
    await expect(dialog).toBeHidden();
    // Focus stays in the agent's row (Nudge is off now): on the agent's filter.
    await expect(first.locator('th button')).toBeFocused();

    const chats = (await sim.chats<{ chats: ChatEntry[] }>()).chats.slice(before);
    expect(chats).toHaveLength(1);
    expect(chats[0]!.toUserId).toBe(userId);
    expect(chats[0]!.fromEmail).toBe('supervisor@demo.example');
    expect(chats[0]!.message).toBe(text);
    expect(chats[0]!.message).toContain(String(count));

    // Within the hour the next nudge to that agent is refused, and says until when.
    await expect(nudge).toBeDisabled();
    await expect(first.getByTestId('nudge-limited')).toContainText(/^Nudged at .+; again from .+\.$/);
    await nudge.click({ force: true });
    await expect(dialog).toBeHidden();
    // Another visit (a new page load): the limit is remembered for this org and user.
    await visit(page, path);
    await loaded(page);
    const again = page.locator(`[data-testid="strip-agent"][data-user-id="${userId}"]`);
    await expect(again.getByRole('button', { name: /^Nudge / })).toBeDisabled();
    expect((await sim.chats<{ chats: ChatEntry[] }>()).chats.slice(before)).toHaveLength(1);
    allowPlatformCheckRefusals(guard);
  });

  test('without a chat permission Nudge is off and the missing permission is named', async ({ page, sim }) => {
    const now = Date.now();
    await signIn(page, sim, { as: VIEWER, path: `./conversations?${rangeQuery(now - 3 * DAY, now)}` });
    await loaded(page);
    const strip = page.getByTestId('summary-strip');
    await expect(strip.getByText('Nudging needs the permission chat:chat:access or chat:1on1Message:add; your role has neither.')).toBeVisible();
    await expect(strip.getByRole('button', { name: /^Nudge / }).first()).toBeDisabled();
    // The viewer may not write: asking the agents comes first.
    await expect(page.getByTestId('strip-suggestion')).toHaveAttribute('data-first', 'nudge');
  });
});
