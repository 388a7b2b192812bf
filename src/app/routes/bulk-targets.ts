/**
 * The worklist's "Wrap up in bulk" hands its selection to the bulk page in the router's history
 * state (TanStack Router `navigate({ state })`), not in the URL (thousands of targets) and not in a
 * module variable. The browser keeps a history entry's state across a reload and Back/Forward, so
 * reloading the preview plans the same targets again. A /bulk address opened without it (typed,
 * bookmarked, copied to another tab) has no targets: the page shows import and history, and the
 * selection is made in the worklist again.
 *
 * Each target carries the communication the worklist found without a code, so the planner plans
 * that communication only (it still reads its current state from analytics).
 */
import type { WorklistTarget } from '@/features/conversations/worklist-rows.ts';
import type { SelectionEntry } from '@/features/wrap-up/bulk/planner.ts';

export interface BulkTarget {
  conversationId: string;
  participantId: string;
  communicationId: string;
}

declare module '@tanstack/history' {
  interface HistoryState {
    /** The worklist selection for the bulk page's preview (see app/routes/bulk-targets.ts). */
    bulkTargets?: BulkTarget[];
  }
}

export function toBulkTargets(targets: readonly WorklistTarget[]): BulkTarget[] {
  return targets.map(({ conversationId, participantId, communicationId }) => ({ conversationId, participantId, communicationId }));
}

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;

/**
 * The targets in a history entry's state, as the planner's selection; null when there are none.
 * The state comes back from the browser (possibly written by an older version of the app), so it
 * is checked: an entry that is not a target is dropped.
 */
export function selectionFromState(raw: unknown): SelectionEntry[] | null {
  if (!Array.isArray(raw)) return null;
  const out: SelectionEntry[] = [];
  for (const t of raw as unknown[]) {
    if (!t || typeof t !== 'object') continue;
    const { conversationId, participantId, communicationId } = t as Partial<Record<keyof BulkTarget, unknown>>;
    if (!isId(conversationId) || !isId(participantId)) continue;
    out.push(isId(communicationId) ? { conversationId, participantId, communicationId } : { conversationId, participantId });
  }
  return out.length > 0 ? out : null;
}
