import type { WorklistTarget } from '@/features/conversations/worklist-rows.ts';
import type { SelectionEntry } from '@/features/wrap-up/bulk/planner.ts';

/**
 * The worklist's hand-off: the selected targets (agent participants without a wrap-up), as plain
 * data. Kept here, in the composition layer, between the worklist's "Wrap up in bulk" and the bulk
 * page's preview; a reload forgets it (the worklist selection is not persisted either). A file of
 * its own so the worklist does not load the bulk page's code to hand over a selection.
 */
let handoff: SelectionEntry[] | null = null;

export function handOffToBulk(targets: readonly WorklistTarget[]): void {
  handoff = targets.map((t) => ({ conversationId: t.conversationId, participantId: t.participantId }));
}

/** The selection handed over, if any (the bulk page reads it when it opens). */
export function peekHandoff(): SelectionEntry[] | null {
  return handoff;
}

/** Once a job exists (or the user went back), the hand-off is used up. */
export function clearHandoff(): void {
  handoff = null;
}
