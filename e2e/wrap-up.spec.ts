/**
 * Issue 6: apply a wrap-up to one participant, and the audit log. Against the simulated org over
 * real HTTP; the sim's write log (`GET /__sim/writes`) is the ground truth of what reached the
 * platform. Targets come from the sim's ground truth (`POST /__sim/truth`, missing items).
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect, expectAccessible, allowResourceErrors, signIn, SUPERVISOR, type SimControl } from './fixtures.ts';
import { simUrl } from '../playwright.config.ts';
import type { OrgSummary, TruthItem, WriteLogEntry } from '../genesys-sim/src/index.ts';

type Missing = TruthItem;
type Write = WriteLogEntry;
type Org = OrgSummary;
interface Code {
  id: string;
  name: string;
}

async function simJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${simUrl}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sim ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const DAY = 86_400_000;

/** Writable missing items of conversations that started in the last 4 days (well inside the sim's 7-day window). */
async function missing(sim: SimControl, mediaType?: string): Promise<Missing[]> {
  const now = Date.now();
  const interval = `${new Date(now - 4 * DAY).toISOString()}/${new Date(now + DAY).toISOString()}`;
  const truth = await sim.truth<{ missing: Missing[] }>({ interval, ...(mediaType ? { mediaType } : {}) });
  return truth.missing.filter((m) => m.writable || mediaType === 'chat');
}

async function first(sim: SimControl, mediaType: string, pred: (m: Missing) => boolean = () => true): Promise<Missing> {
  const item = (await missing(sim, mediaType)).find(pred);
  if (!item) throw new Error(`the seeded org has no missing ${mediaType} item`);
  return item;
}

async function allowedCodes(queueId: string | null): Promise<Code[]> {
  const org = await simJson<Org>('GET', 'org');
  const ids = org.queues.find((q) => q.id === queueId)?.codeIds ?? [];
  return org.codes.filter((c) => ids.includes(c.id) && !c.deleted).map(({ id, name }) => ({ id, name }));
}

async function codeOutside(queueId: string | null): Promise<Code> {
  const org = await simJson<Org>('GET', 'org');
  const ids = org.queues.find((q) => q.id === queueId)?.codeIds ?? [];
  const other = org.codes.find((c) => !ids.includes(c.id));
  if (!other) throw new Error('no code outside the queue');
  return other;
}

async function writes(sim: SimControl): Promise<Write[]> {
  return (await sim.writes<{ writes: Write[] }>()).writes;
}

/** Writes that reached the platform's write endpoint from the app (not the sim's agent helper). */
async function appWrites(sim: SimControl): Promise<Write[]> {
  return (await writes(sim)).filter((w) => w.via !== 'agent');
}

async function liveWrapup(item: Missing): Promise<{ code: string; notes?: string } | null> {
  const c = await simJson<{ participants: { id: string; comms: { id: string; wrapup: { code: string; notes?: string } | null }[] }[] }>(
    'GET',
    `conversations/${item.conversationId}`,
  );
  return c.participants.find((p) => p.id === item.participantId)?.comms.find((m) => m.id === item.communicationId)?.wrapup ?? null;
}

/** The app's reads of the live conversation, as the sim logged them. */
async function conversationReads(item: Missing): Promise<{ at: number; status: number }[]> {
  const log = await simJson<{ tokens: { entries: { at: number; method: string; path: string; status: number }[] }[] }>('GET', 'requests');
  return log.tokens.flatMap((t) => t.entries).filter((e) => e.method === 'GET' && e.path.endsWith(`/conversations/${item.conversationId}`));
}

function formPath(item: Missing) {
  return `./conversations/${item.conversationId}/wrap-up?participant=${item.participantId}`;
}

async function openForm(page: Page, sim: SimControl, item: Missing) {
  await signIn(page, sim, { path: formPath(item) });
  await expect(page.getByRole('heading', { name: 'Apply a wrap-up' })).toBeVisible();
}

const codeSelect = (page: Page) => page.getByLabel('Wrap-up code', { exact: true });
const submit = (page: Page) => page.getByRole('button', { name: 'Apply wrap-up' });

/** Narrows the list by name with the search field, then picks the code. */
async function chooseCode(page: Page, code: Code) {
  const word = code.name.split(/\s+/)[0] ?? code.name;
  await page.getByLabel('Search wrap-up codes by name').fill(word);
  await expect(codeSelect(page).getByRole('option', { name: code.name, exact: true })).toHaveCount(1);
  await codeSelect(page).selectOption(code.id);
}

const WRITE_URL = /\/participants\/[^/]+\/communications\/[^/]+\/wrapup/;

test.describe('apply a wrap-up to one participant', () => {
  for (const [mediaType, path] of [
    ['voice', 'calls'],
    ['message', 'messages'],
    ['email', 'emails'],
    ['callback', 'callbacks'],
  ] as const) {
    test(`happy path on ${mediaType}: one write to .../${path}/..., read back, shown as applied`, async ({ page, sim }) => {
      const item = await first(sim, mediaType);
      const [code] = await allowedCodes(item.queueId);
      if (!code) throw new Error('queue without codes');
      await openForm(page, sim, item);
      // Only the participant's own codes are offered (plus the placeholder).
      const offered = await codeSelect(page)
        .locator('option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(offered.sort()).toEqual((await allowedCodes(item.queueId)).map((c) => c.id).sort());
      if (mediaType === 'voice') await expectAccessible(page, 'wrap-up form');

      await chooseCode(page, code);
      await page.getByLabel('Notes (optional)').fill(`fixed by e2e (${mediaType})`);
      await submit(page).click();
      await expect(page.getByRole('status').filter({ hasText: `Wrap-up ${code.name} applied.` })).toContainText('confirms');

      const log = await appWrites(sim);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        via: 'post',
        media: path,
        conversationId: item.conversationId,
        participantId: item.participantId,
        communicationId: item.communicationId,
        code: code.id,
        notes: `fixed by e2e (${mediaType})`,
        outcome: 'applied',
        status: 202,
      });
      expect(await liveWrapup(item)).toMatchObject({ code: code.id });
      // The form now knows about the code it wrote: replacing it would need the explicit choice.
      await expect(page.getByLabel(`Replace the existing code ${code.name}`)).toBeVisible();
    });
  }

  test('platform text is inert: a code named with <img onerror> is offered and applied as text', async ({ page, sim }) => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const codes = new Map<string, Code>();
    let item: Missing | undefined;
    for (const m of await missing(sim, 'voice')) {
      const markup = (await allowedCodes(m.queueId)).find((c) => c.name.includes('<img'));
      if (markup) {
        item = m;
        codes.set('markup', markup);
        break;
      }
    }
    const markup = codes.get('markup');
    if (!item || !markup) throw new Error('no missing item whose queue has the markup code');
    await openForm(page, sim, item);
    await codeSelect(page).selectOption(markup.id);
    await expect(codeSelect(page).locator('option:checked')).toHaveText(markup.name);
    await submit(page).click();
    await expect(page.getByRole('status').filter({ hasText: `Wrap-up ${markup.name} applied.` })).toBeVisible();
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await appWrites(sim)).toMatchObject([{ code: markup.id, outcome: 'applied' }]);
  });

  test('a code outside the participant list, notes over the limit and no code are refused in the form: nothing reaches the platform', async ({ page, sim }) => {
    const item = await first(sim, 'voice');
    const outside = await codeOutside(item.queueId);
    const [allowed] = await allowedCodes(item.queueId);
    await openForm(page, sim, item);

    await submit(page).click();
    await expect(page.getByText('Choose a wrap-up code.')).toBeVisible();

    // A stale or tampered page offering a foreign code (e.g. another queue's, or a deleted one).
    await codeSelect(page).evaluate((el, c) => {
      const o = document.createElement('option');
      o.value = c.id;
      o.textContent = c.name;
      el.append(o);
    }, outside);
    await codeSelect(page).selectOption(outside.id);
    await submit(page).click();
    await expect(page.getByText('This code is not allowed for this participant. Choose one from the list.')).toBeVisible();

    await codeSelect(page).selectOption(allowed!.id);
    await page.getByLabel('Notes (optional)').fill('x'.repeat(1001));
    await submit(page).click();
    await expect(page.getByText('Notes can be at most 1000 characters long.')).toBeVisible();

    expect(await writes(sim)).toEqual([]);
    expect(await liveWrapup(item)).toBeNull();
  });

  test('an existing code shows the replace choice; without it nothing is written, with it the code is replaced', async ({ page, sim }) => {
    const item = await first(sim, 'email');
    const [agentCode, newCode] = await allowedCodes(item.queueId);
    if (!agentCode || !newCode) throw new Error('queue needs two codes');
    await simJson('POST', 'agent-wrapup', {
      conversationId: item.conversationId,
      participantId: item.participantId,
      communicationId: item.communicationId,
      code: agentCode.id,
      notes: 'by the agent',
    });

    await openForm(page, sim, item);
    await expect(page.getByTestId('existing-wrapup')).toHaveText(`This communication already has the wrap-up code ${agentCode.name}. Notes: by the agent`);
    const replace = page.getByLabel(`Replace the existing code ${agentCode.name}`);
    await expect(replace).not.toBeChecked();
    await chooseCode(page, newCode);
    await submit(page).click();
    await expect(page.getByText('This communication already has a wrap-up. Tick "Replace" to overwrite it, or leave it as it is.')).toBeVisible();
    expect(await appWrites(sim)).toEqual([]);

    await replace.check();
    await submit(page).click();
    await expect(page.getByRole('status').filter({ hasText: `Wrap-up ${newCode.name} applied.` })).toBeVisible();
    expect(await appWrites(sim)).toMatchObject([{ code: newCode.id, outcome: 'applied', communicationId: item.communicationId }]);
    expect(await liveWrapup(item)).toMatchObject({ code: newCode.id });
  });

  test('a 401 on Apply keeps the form: after signing in again the code, notes and replace tick are there, the reads re-run, one write', async ({
    page,
    sim,
    guard,
  }) => {
    const item = await first(sim, 'voice');
    const [agentCode, newCode] = await allowedCodes(item.queueId);
    if (!agentCode || !newCode) throw new Error('queue needs two codes');
    await simJson('POST', 'agent-wrapup', {
      conversationId: item.conversationId,
      participantId: item.participantId,
      communicationId: item.communicationId,
      code: agentCode.id,
      notes: 'by the agent',
    });
    await openForm(page, sim, item);
    const replace = page.getByLabel(`Replace the existing code ${agentCode.name}`);
    await chooseCode(page, newCode);
    await page.getByLabel('Notes (optional)').fill('kept across a 401');
    await replace.check();

    const revokedAt = Date.now();
    await sim.revoke({ email: SUPERVISOR });
    await submit(page).click();
    await expect(page.getByText('Your session has expired. Everything on this page is kept.')).toBeVisible();
    allowResourceErrors(guard, /status of 401 .*\/api\/v2\//);
    // The page keeps the form while the session is gone (the reads that failed are not shown as the page failing).
    await expect(page.getByText(/could not be loaded/)).toBeHidden();
    await expect(codeSelect(page)).toHaveValue(newCode.id);

    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await (await popup).waitForEvent('close');
    await expect(page.getByText('You are signed in again.')).toBeVisible();
    // The form is as it was, and what failed was read again with the new token.
    await expect(codeSelect(page)).toHaveValue(newCode.id);
    await expect(page.getByLabel('Notes (optional)')).toHaveValue('kept across a 401');
    await expect(replace).toBeChecked();
    await expect(page.getByTestId('existing-wrapup')).toContainText(agentCode.name);
    await expect(page.getByText(/could not be loaded/)).toBeHidden();
    await expect.poll(async () => (await conversationReads(item)).filter((e) => e.status === 200 && e.at > revokedAt).length).toBeGreaterThan(0);
    expect(await appWrites(sim)).toEqual([]);

    await submit(page).click();
    await expect(page.getByRole('status').filter({ hasText: `Wrap-up ${newCode.name} applied.` })).toBeVisible();
    expect(await appWrites(sim)).toMatchObject([{ code: newCode.id, notes: 'kept across a 401', outcome: 'applied', communicationId: item.communicationId }]);
    allowResourceErrors(guard, /status of 401 .*\/api\/v2\//); // the reads refreshed after the 401 got one too
  });

  test('read before write: an agent codes it after the form opened → nothing written, the existing code is shown', async ({ page, sim }) => {
    const item = await first(sim, 'voice');
    const [agentCode, myCode] = await allowedCodes(item.queueId);
    if (!agentCode || !myCode) throw new Error('queue needs two codes');
    await openForm(page, sim, item);
    await expect(page.getByTestId('existing-wrapup')).toHaveCount(0);
    await chooseCode(page, myCode);
    await simJson('POST', 'agent-wrapup', {
      conversationId: item.conversationId,
      participantId: item.participantId,
      communicationId: item.communicationId,
      code: agentCode.id,
    });
    await submit(page).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Nothing was written' })).toContainText(`already has the wrap-up code ${agentCode.name}`);
    expect(await appWrites(sim)).toEqual([]);
    expect(await liveWrapup(item)).toMatchObject({ code: agentCode.id });
    // The form re-read the wrap-up: the explicit replace choice is now offered.
    await expect(page.getByLabel(`Replace the existing code ${agentCode.name}`)).toBeVisible();
  });

  test('strict policy: the refusal is shown with its contextId, nothing is written, the audit page lists it', async ({ page, sim, guard }) => {
    const item = await first(sim, 'message');
    const [code] = await allowedCodes(item.queueId);
    await sim.setOptions({ wrapupPolicy: 'strict' });
    await openForm(page, sim, item);
    await chooseCode(page, code!);
    await submit(page).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The platform refused the wrap-up. Nothing was written.' });
    await expect(alert).toContainText('The platform does not let a supervisor write this agent');
    await expect(alert).toContainText("Only the participant's own user may set its wrap-up."); // the platform's own message
    await expect(alert).toContainText('403 not.authorized');
    const contextId = (await alert.getByTestId('context-id').textContent())?.trim() ?? '';
    expect(contextId).toMatch(/^[0-9a-f-]{16,}$/i);

    const log = await appWrites(sim);
    expect(log).toMatchObject([{ outcome: 'refused', status: 403, errorCode: 'not.authorized' }]);
    expect(log.filter((w) => w.outcome === 'applied')).toEqual([]);
    expect(await liveWrapup(item)).toBeNull();
    expect(allowResourceErrors(guard, WRITE_URL)).toBeLessThanOrEqual(1);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    const row = page.getByRole('row').filter({ hasText: item.conversationId });
    await expect(row).toContainText('Refused by the platform');
    await expect(row).toContainText(contextId);
    await expect(row).toContainText('Sam Supervisor');
  });

  test('a lost response (write applied, answer lost) leads to exactly one write and ends as applied', async ({ page, sim, guard }) => {
    const item = await first(sim, 'callback');
    const [code] = await allowedCodes(item.queueId);
    await sim.setFaults({ scope: 'writes', rateLostResponse: 1 });
    await openForm(page, sim, item);
    await chooseCode(page, code!);
    await submit(page).click();
    await expect(page.getByRole('status').filter({ hasText: `Wrap-up ${code!.name} applied.` })).toContainText('Nothing was sent twice');

    const log = await appWrites(sim);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ outcome: 'applied', responseLost: true, code: code!.id, communicationId: item.communicationId });
    expect(await liveWrapup(item)).toMatchObject({ code: code!.id });
    allowResourceErrors(guard, WRITE_URL);
  });

  test('keyboard only: search, choose, write notes and submit without the mouse', async ({ page, sim }) => {
    const item = await first(sim, 'message');
    const codes = await allowedCodes(item.queueId);
    const code = codes.find((c) => codes.filter((o) => o.name.toLowerCase().includes(c.name.toLowerCase())).length === 1);
    if (!code) throw new Error('no uniquely named code');
    await openForm(page, sim, item);
    // The allowed codes have arrived (the search counts them) before typing, or the keys land in a field that re-renders.
    await expect(page.getByText(`${codes.length} of ${codes.length} codes match`)).toBeVisible();
    await page.getByLabel('Search wrap-up codes by name').focus();
    await page.keyboard.type(code.name);
    await expect(page.getByText('1 of')).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(codeSelect(page)).toBeFocused();
    await page.keyboard.press('ArrowDown'); // from the placeholder to the one match
    await expect(codeSelect(page)).toHaveValue(code.id);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Notes (optional)')).toBeFocused();
    await page.keyboard.type('typed without a mouse');
    for (let i = 0; i < 5 && !(await submit(page).evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(submit(page)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: `Wrap-up ${code.name} applied.` })).toBeVisible();
    expect(await appWrites(sim)).toMatchObject([{ code: code.id, notes: 'typed without a mouse', outcome: 'applied' }]);
  });

  test('chat says plainly that it cannot be written, and offers no form', async ({ page, sim }) => {
    const item = await first(sim, 'chat');
    await openForm(page, sim, item);
    await expect(page.getByText('This is a chat conversation. Genesys Cloud removed the chat wrap-up endpoints')).toBeVisible();
    await expect(submit(page)).toHaveCount(0);
    expect(await writes(sim)).toEqual([]);
  });
});

test.describe('audit log', () => {
  test('lists every attempt, filters by outcome and text, exports CSV; axe clean', async ({ page, sim, guard }) => {
    const [a, b] = await missing(sim, 'voice');
    if (!a || !b) throw new Error('need two voice items');
    const [codeA] = await allowedCodes(a.queueId);
    const [codeB] = await allowedCodes(b.queueId);

    await openForm(page, sim, a);
    await chooseCode(page, codeA!);
    await page.getByLabel('Notes (optional)').fill('=HYPERLINK("x") first');
    await submit(page).click();
    await expect(page.getByRole('status').filter({ hasText: 'applied.' })).toBeVisible();

    // The second one is refused (strict policy).
    await sim.setOptions({ wrapupPolicy: 'strict' });
    // A new address signs in again silently (the platform's login session); the audit log is in IndexedDB.
    await page.goto(formPath(b));
    await expect(page.getByRole('heading', { name: 'Apply a wrap-up' })).toBeVisible();
    await expect(page.getByTestId('participant-name')).not.toHaveText(b.participantId);
    await chooseCode(page, codeB!);
    await submit(page).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The platform refused the wrap-up.' })).toBeVisible();
    allowResourceErrors(guard, WRITE_URL);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.getByText('2 of 2 entries shown')).toBeVisible();
    const rows = page.locator('tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(b.conversationId); // newest first
    await expect(rows.nth(0)).toContainText('Refused by the platform');
    await expect(rows.nth(1)).toContainText(a.conversationId);
    await expect(rows.nth(1)).toContainText('Applied');
    await expect(rows.nth(1)).toContainText(codeA!.name);
    await expectAccessible(page, 'audit page');

    await page.getByLabel('Outcome').selectOption({ label: 'Applied' });
    await expect(rows).toHaveCount(1);
    await expect(page).toHaveURL(/outcome=applied/);
    await page.getByLabel('Outcome').selectOption({ label: 'All outcomes' });
    await page.getByLabel(/^Search/).fill(b.participantId);
    await expect(rows).toHaveCount(1);
    await expect(rows.nth(0)).toContainText(b.conversationId);
    await page.getByLabel(/^Search/).fill('');
    await expect(rows).toHaveCount(2);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toContain('time,supervisorId,supervisorName,conversationId');
    expect(lines).toHaveLength(3);
    expect(csv).toContain(a.conversationId);
    expect(csv).toContain(b.conversationId);
    expect(csv).toContain(`"'=HYPERLINK(""x"") first"`); // formula defused
    expect(csv.toLowerCase()).not.toMatch(/bearer|access_token/);
  });
});
