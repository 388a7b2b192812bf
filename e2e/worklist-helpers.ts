/** Helpers of the worklist specs (worklist.spec.ts, harsh.spec.ts). */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** A custom range as the app keeps it in the URL. */
export function rangeQuery(from: number, to: number): string {
  return `range=custom&from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`;
}

/** Waits until the whole list is loaded, then reads the "N agent participants missing a wrap-up" line. */
export async function shownMissing(page: Page, timeout = 30_000): Promise<number> {
  await expect(page.getByText(/conversations? loaded at/)).toBeVisible({ timeout });
  const text = await page
    .getByRole('list', { name: 'Agent participants by wrap-up status' })
    .getByText(/missing a wrap-up/)
    .innerText();
  const m = /^([\d,]+) agent participants? missing a wrap-up/.exec(text);
  expect(m, text).not.toBeNull();
  return Number(m![1]!.replace(/,/g, ''));
}
