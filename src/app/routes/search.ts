/**
 * The URL schemas of the routes whose pages load on first use: the router validates the URL
 * before it fetches a page's code, so these stay small and out of the pages' files (plain readers,
 * not zod: see lib/search-params.ts). Anything malformed means "none".
 */
import { searchRecord, text, withoutUndefined } from '@/lib/search-params.ts';

export interface BulkSearch {
  /** The job shown; absent (not empty) when none is open, so the address stays as the user typed it. */
  job?: string;
}

/** Bulk: `?job=<id>`, the job shown; anything malformed means none (import and history). */
export function parseBulkSearch(raw: unknown): BulkSearch {
  return withoutUndefined({ job: text(searchRecord(raw).job, { trim: true, min: 1, max: 100 }) });
}

export interface WrapupSearch {
  participant: string;
}

/** Wrap-up form: `?participant=<participantId>`; anything malformed becomes "none chosen" (the page says so). */
export function parseWrapupSearch(raw: unknown): WrapupSearch {
  return { participant: text(searchRecord(raw).participant, { trim: true, max: 200 }) ?? '' };
}
