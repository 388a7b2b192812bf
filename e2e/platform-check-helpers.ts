/**
 * Helpers of the platform check specs (issue 15), reusable by other specs: drive the write probe to a
 * saved verdict, and find items by their after-call-work state in the sim's ground truth.
 */
import type { Page } from '@playwright/test';
import { allowResourceErrors, expect, type Guard, type SimControl } from './fixtures.ts';
import { simUrl } from '../playwright.config.ts';
import type { TruthItem } from '../genesys-sim/src/index.ts';

export interface ProbeTarget {
  conversationId: string;
  participantId: string;
  communicationId: string;
  /** The wrap-up path segment: calls, callbacks, emails, messages, ... */
  media: string;
}

export interface ProbeAttemptShown {
  method: 'post' | 'patch';
  outcome: string;
}

/**
 * Runs the platform check's write probe on one communication with the code named `codeName`, and
 * waits until its attempts are stored in the verdict. The page must be signed in (English UI): it
 * goes to the check through the navigation (a reload would sign out: the token lives in memory),
 * fills in the ids, picks the code, sends, and returns the attempts the page shows.
 */
export async function runWriteProbe(page: Page, target: ProbeTarget, codeName: string): Promise<{ attempts: ProbeAttemptShown[]; conclusion: string }> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Platform check' }).click();
  await expect(page.getByRole('heading', { name: 'Platform check', level: 1 })).toBeVisible();
  await page.getByLabel('Conversation ID').fill(target.conversationId);
  await page.getByLabel('Participant ID').fill(target.participantId);
  await page.getByLabel('Communication ID').fill(target.communicationId);
  await page.getByLabel('Media', { exact: true }).selectOption(target.media);
  await page.getByRole('button', { name: 'Load the allowed codes' }).click();
  return sendWriteProbe(page, codeName);
}

/** On the check with a communication chosen (its codes loading or loaded): picks the code, sends, waits for the stored result. */
export async function sendWriteProbe(page: Page, codeName: string): Promise<{ attempts: ProbeAttemptShown[]; conclusion: string }> {
  const codeSelect = page.getByLabel('Wrap-up code', { exact: true });
  await expect(codeSelect.getByRole('option', { name: codeName, exact: true })).toHaveCount(1, { timeout: 15_000 });
  await codeSelect.selectOption({ label: codeName });
  await expect(page.getByText('What will be sent')).toBeVisible();
  const conclusion = page.getByTestId('verdict-conclusion');
  const before = Number((await conclusion.getAttribute('data-attempts')) ?? 0);
  await page.getByRole('button', { name: 'Send the test write' }).click();
  const result = page.locator('.probe-result');
  await expect(result.getByRole('heading', { name: 'Result of the test write' })).toBeVisible({ timeout: 60_000 });
  await expect(result.getByText('Recorded in the verdict and in the audit log.')).toBeVisible();
  const attempts = await result.locator('[data-testid^="attempt-"]').evaluateAll((els) =>
    els.map((e) => ({
      method: (e.getAttribute('data-testid') ?? '').replace('attempt-', '') as 'post' | 'patch',
      outcome: e.getAttribute('data-outcome') ?? '',
    })),
  );
  // The verdict shown is the stored one, re-read after saving: it counts this probe's attempts.
  await expect(conclusion).toHaveAttribute('data-attempts', String(before + attempts.length));
  return { attempts, conclusion: (await conclusion.getAttribute('data-conclusion')) ?? '' };
}

const PATHS: Record<string, string> = { voice: 'calls', callback: 'callbacks', email: 'emails', message: 'messages' };

interface SimConversation {
  participants: { id: string; comms: { id: string; acwState: string; wrapup: unknown }[] }[];
}

async function simConversation(id: string): Promise<SimConversation> {
  const res = await fetch(`${simUrl}/__sim/conversations/${id}`);
  if (!res.ok) throw new Error(`sim conversation ${id}: ${res.status}`);
  return (await res.json()) as SimConversation;
}

export interface MissingItem extends ProbeTarget {
  queueId: string | null;
  acwState: string;
}

/**
 * Writable items missing a wrap-up (conversations started in the last 4 days), with their
 * communication's after-call-work state from the sim: `pending: true` for ACW still pending,
 * false for ACW ended (or none). Media with a participant PATCH only (calls, callbacks, emails, messages).
 */
export async function missingByAcw(sim: SimControl, opts: { pending: boolean; count?: number }): Promise<MissingItem[]> {
  const now = Date.now();
  const interval = `${new Date(now - 4 * 86_400_000).toISOString()}/${new Date(now + 86_400_000).toISOString()}`;
  // acwGraceMs 0: pending after-call work counts as missing however young (the app's grace is a product rule).
  const truth = await sim.truth<{ missing: TruthItem[] }>({ interval, acwGraceMs: 0 });
  const out: MissingItem[] = [];
  for (const m of truth.missing) {
    const media = PATHS[m.mediaType];
    if (!m.writable || !media) continue;
    const c = await simConversation(m.conversationId);
    const comm = c.participants.find((p) => p.id === m.participantId)?.comms.find((x) => x.id === m.communicationId);
    if (!comm || comm.wrapup) continue;
    if ((comm.acwState === 'pending') !== opts.pending) continue;
    out.push({
      conversationId: m.conversationId,
      participantId: m.participantId,
      communicationId: m.communicationId,
      media,
      queueId: m.queueId,
      acwState: comm.acwState,
    });
    if (out.length >= (opts.count ?? 1)) break;
  }
  if (out.length === 0) throw new Error(`the seeded org has no missing item with after-call work ${opts.pending ? 'pending' : 'ended'}`);
  return out;
}

/** The names of the codes the sim allows for a queue. */
export async function allowedCodeNames(queueId: string | null): Promise<string[]> {
  const res = await fetch(`${simUrl}/__sim/org`);
  const org = (await res.json()) as { queues: { id: string; codeIds: string[] }[]; codes: { id: string; name: string; deleted?: boolean }[] };
  const ids = org.queues.find((q) => q.id === queueId)?.codeIds ?? [];
  return org.codes.filter((c) => ids.includes(c.id) && !c.deleted).map((c) => c.name);
}

/**
 * The platform check provokes refusals on purpose (an 8-day query without a filter, a 200-row page,
 * refused test writes); the browser logs each as "Failed to load resource". Call before a test ends.
 */
export function allowPlatformCheckRefusals(guard: Guard): number {
  return allowResourceErrors(guard, /analytics\/conversations\/details\/query|\/wrapup|\/participants\//);
}
