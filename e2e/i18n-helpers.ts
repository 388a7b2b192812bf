/**
 * Helpers of the German-screens check (i18n.spec.ts, issue 16 item 7): reading what a screen shows
 * as text, and finding English value words in it. Text that is not ours to translate is left out:
 * elements marked as the platform's (`data-platform-text`, `lang="en"`), people's own words
 * (`translate="no"`: wrap-up notes), ids (`<code>`), and the org's own names (queues, codes, users,
 * divisions, participants), which are data in whatever language the org chose.
 */
import type { Page } from '@playwright/test';
import { expect, type SimControl } from './fixtures.ts';
import { simGet, DAY } from './bulk-helpers.ts';
import type { OrgSummary } from '../genesys-sim/src/index.ts';

/**
 * English words that have no place on a German screen: the platform's raw values (media, states,
 * purposes, disconnect types, after-call work states), our English outcome words, and the small
 * words of any English sentence. None is a German word.
 */
export const ENGLISH_WORDS = [
  // platform values
  'calls',
  'call',
  'voice',
  'email',
  'emails',
  'callback',
  'callbacks',
  'messages',
  'message',
  'inbound',
  'outbound',
  'disconnected',
  'connected',
  'alerting',
  'dialing',
  'contacting',
  'terminated',
  'pending',
  'skipped',
  'complete',
  'completed',
  'endpoint',
  'peer',
  'notApplicable',
  'mandatory',
  'timeout',
  'forcedTimeout',
  'agentRequested',
  'customer',
  'queue',
  'participant',
  'conversation',
  'communication',
  'wrap-up',
  'wrapup',
  'after-call',
  // our outcome words
  'applied',
  'failed',
  'refused',
  'stopped',
  'finished',
  'unknown',
  'already',
  'allowed',
  'attempts',
  'written',
  'kept',
  'missing',
  // the small words of English sentences
  'the',
  'and',
  'of',
  'has',
  'have',
  'with',
  'not',
  'been',
  'this',
  'is',
  'are',
  'to',
  'for',
  'by',
] as const;

/**
 * Raw values whose German word is spelled the same but capitalised ("Agent", "Chat", "Video"): the
 * lowercase spelling is the platform's value shown untranslated.
 */
export const RAW_VALUE_WORDS = [
  'agent',
  'acd',
  'ivr',
  'user',
  'external',
  'workflow',
  'voicemail',
  'station',
  'chat',
  'video',
  'system',
  'client',
  'transfer',
  'error',
  'other',
] as const;

/** Names that are not language: the product and the platform. */
const PRODUCT_NAMES = ['Wrap-up Desk', 'Genesys Cloud', 'Genesys Spark', 'Genesys'];

/** The text of the page as a user sees it (and the options of every select), minus text that is not ours. */
export async function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    // `body [lang="en"]`: an English island inside the page, not the page itself when it is in English.
    const skip = '[data-platform-text], body [lang="en"], [translate="no"], code, script, style, noscript, template';
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest(skip)) continue;
      // Options of a closed select are not rendered, but they are what the user reads when it opens.
      if (!el.closest('option') && !el.checkVisibility({ visibilityProperty: true })) continue;
      parts.push(text);
    }
    return parts.join('\n');
  });
}

/** The org's own names, to be taken out of the text before looking for English words. */
export async function orgNames(): Promise<string[]> {
  const org = await simGet<OrgSummary & { divisions: { name: string }[] }>('org');
  return [
    org.name,
    ...org.divisions.map((d) => d.name),
    ...org.queues.map((q) => q.name),
    ...org.codes.map((c) => c.name),
    ...org.users.map((u) => u.name),
    ...PRODUCT_NAMES,
  ]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordRe = (words: readonly string[], flags: string) => new RegExp(`(?<![\\p{L}\\p{N}])(${words.map(escape).join('|')})(?![\\p{L}\\p{N}])`, flags);
const ENGLISH_RE = wordRe(ENGLISH_WORDS, 'giu');
const RAW_RE = wordRe(RAW_VALUE_WORDS, 'gu');

/** English words in the text, each with a little context: "disconnected" in "Anna (agent): disconnected". */
export function englishWords(text: string, names: readonly string[]): string[] {
  let t = text;
  for (const n of names) t = t.split(n).join(' ');
  // The sim's external participants are named "Customer 1234" and its IVR "Main IVR": names, not words.
  t = t.replace(/\bCustomer \d+\b/g, ' ').replace(/\bMain IVR\b/g, ' ');
  // Email addresses and permission names (`conversation:participant:wrapup`) are not words.
  t = t.replace(/[\w.+-]+@[\w.-]+/g, ' ').replace(/[\w-]+(?::[\w-]+)+/g, ' ');
  const found: string[] = [];
  for (const line of t.split('\n')) {
    for (const re of [ENGLISH_RE, RAW_RE]) {
      re.lastIndex = 0;
      for (const m of line.matchAll(re)) found.push(`"${m[1]}" in "${line.trim().slice(0, 160)}"`);
    }
  }
  return [...new Set(found)];
}

/**
 * Opens `path` in German (the browser's language) and signs in on the German sign-in screen when
 * the app asks (it may keep the session across a reload).
 */
export async function signInGerman(page: Page, sim: SimControl, path: string) {
  await sim.setOptions({ autoLogin: 'supervisor@demo.example' });
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  const signInButton = page.getByRole('button', { name: 'Anmelden', exact: true });
  const signedIn = page.getByText(/^Angemeldet als /);
  await expect(signInButton.or(signedIn)).toBeVisible();
  if (await signInButton.isVisible()) await signInButton.click();
  await expect(signedIn).toBeVisible();
}

/** A custom range of the last `days` days as the worklist keeps it in the URL. */
export function lastDays(days: number): string {
  const now = Date.now();
  return `range=custom&from=${encodeURIComponent(new Date(now - days * DAY).toISOString())}&to=${encodeURIComponent(new Date(now).toISOString())}`;
}
