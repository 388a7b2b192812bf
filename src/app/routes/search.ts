/**
 * The URL schemas of the routes whose pages load on first use: the router validates the URL
 * before it fetches a page's code, so these stay small and out of the pages' files (plain readers,
 * not zod: see lib/search-params.ts). Anything malformed means "none".
 */
import { oneOf, searchRecord, text, withoutUndefined } from '@/lib/search-params.ts';
import { WRAPUP_MEDIA_PATHS, type WrapupMediaPath } from '@/lib/genesys/media.ts';

export interface BulkSearch {
  /** The job shown; absent (not empty) when none is open, so the address stays as the user typed it. */
  job?: string;
  /** Opened by the worklist's "Wrap up in bulk": its selection is in the history state (bulk-targets.ts). */
  from?: 'worklist';
}

/** Bulk: `?job=<id>`, the job shown, or `?from=worklist`; anything malformed means none (import and history). */
export function parseBulkSearch(raw: unknown): BulkSearch {
  const r = searchRecord(raw);
  return withoutUndefined({ job: text(r.job, { trim: true, min: 1, max: 100 }), from: oneOf(['worklist'], r.from) });
}

export interface WrapupSearch {
  participant: string;
  /** The participant's media, when the link knows it (an agent's own list): the page reads the media GET. */
  media?: WrapupMediaPath;
  /** With `media`: the communication id (analytics `sessionId`); absent: the participant is written. */
  communication?: string;
}

/**
 * Wrap-up form: `?participant=<participantId>[&media=calls&communication=<id>]`; a malformed
 * participant becomes "none chosen" (the page says so), a malformed media or communication none.
 */
export function parseWrapupSearch(raw: unknown): WrapupSearch {
  const r = searchRecord(raw);
  return withoutUndefined({
    participant: text(r.participant, { trim: true, max: 200 }) ?? '',
    media: oneOf(WRAPUP_MEDIA_PATHS, r.media),
    communication: text(r.communication, { trim: true, pattern: /^[A-Za-z0-9-]{1,128}$/ }),
  });
}

export interface PlatformCheckSearch {
  conversationId?: string;
  participantId?: string;
  communicationId?: string;
  media?: WrapupMediaPath;
}

/** Platform ids: letters, digits and hyphens (UUIDs); anything else means "none". */
const PLATFORM_ID = /^[A-Za-z0-9-]{1,128}$/;

/**
 * Platform check: `?conversationId=&participantId=&communicationId=&media=`, the communication the
 * write probe is offered for (the worklist's "Test writing here"); each malformed value means none.
 */
export function parsePlatformCheckSearch(raw: unknown): PlatformCheckSearch {
  const r = searchRecord(raw);
  const id = (v: unknown) => text(v, { trim: true, pattern: PLATFORM_ID });
  return withoutUndefined({
    conversationId: id(r.conversationId),
    participantId: id(r.participantId),
    communicationId: id(r.communicationId),
    media: oneOf(WRAPUP_MEDIA_PATHS, r.media),
  });
}
