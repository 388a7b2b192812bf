/**
 * The items of "My missing wrap-ups": the signed-in agent's own agent participants in the loaded
 * rows, with the status the worklist gives them (the rows are classified once, by the one rule).
 */
import { mediaPathFromAnalytics, type WrapupMediaPath } from '@/lib/genesys/media.ts';
import type { MyStatusFilter } from './my-filters.ts';
import type { ConversationRow, ParticipantState, WrapupStatus } from './wrapup-status.ts';

export interface MyItem {
  row: ConversationRow;
  participant: ParticipantState;
  status: WrapupStatus;
  code?: string;
  /** Where "Apply wrap-up" writes: the media path, and the communication ('' = not known: the participant). */
  media: WrapupMediaPath | null;
  communicationId: string;
}

const MISSING: ReadonlySet<WrapupStatus> = new Set(['missing', 'not-writable']);

export function isMissing(status: WrapupStatus): boolean {
  return MISSING.has(status);
}

/** Every own agent participant with a status, newest conversation first. */
export function myItems(rows: readonly ConversationRow[], userId: string): MyItem[] {
  const out: MyItem[] = [];
  for (const row of rows)
    for (const p of row.agents) {
      if (p.userId !== userId || !p.wrapup) continue;
      const w = p.wrapup;
      const mediaType = w.mediaType ?? p.sessions[p.sessions.length - 1]?.mediaType ?? row.media;
      const resolved = mediaPathFromAnalytics(mediaType);
      const item: MyItem = {
        row,
        participant: p,
        status: w.status,
        media: resolved.writable ? resolved.path : null,
        // A missing participant names the communication to write; otherwise its latest one.
        communicationId: w.communicationId ?? p.sessions[p.sessions.length - 1]?.sessionId ?? '',
      };
      if (w.code) item.code = w.code;
      out.push(item);
    }
  return out.sort((a, b) => b.row.start - a.row.start || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
}

export function filterMyItems(items: readonly MyItem[], status: MyStatusFilter): MyItem[] {
  return status === 'any' ? items.slice() : items.filter((i) => isMissing(i.status));
}

/** "Missing" as the worklist counts it: writable or not. */
export function missingCount(items: readonly MyItem[]): number {
  return items.reduce((n, i) => n + (isMissing(i.status) ? 1 : 0), 0);
}
