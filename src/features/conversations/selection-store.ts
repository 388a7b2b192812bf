/**
 * The worklist's row selection (house style 5): a small zustand store of conversation ids, with
 * actions named as events and selector hooks. Rows themselves stay in the query cache; the store
 * never copies server data. A selection belongs to one filter scope: when the filters change it
 * starts empty, so "N selected" never counts rows the user cannot see.
 */
import { create } from 'zustand';

interface SelectionState {
  scope: string;
  ids: ReadonlySet<string>;
  rowToggled: (id: string) => void;
  rowsSelected: (ids: Iterable<string>) => void;
  rowsDeselected: (ids: Iterable<string>) => void;
  selectionCleared: () => void;
  scopeChanged: (scope: string) => void;
}

const EMPTY: ReadonlySet<string> = new Set();

export const useSelectionStore = create<SelectionState>()((set) => ({
  scope: '',
  ids: EMPTY,
  rowToggled: (id) =>
    set((s) => {
      const next = new Set(s.ids);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return { ids: next };
    }),
  rowsSelected: (ids) =>
    set((s) => {
      const next = new Set(s.ids);
      for (const id of ids) next.add(id);
      return { ids: next };
    }),
  rowsDeselected: (ids) =>
    set((s) => {
      const next = new Set(s.ids);
      for (const id of ids) next.delete(id);
      return { ids: next };
    }),
  selectionCleared: () => set({ ids: EMPTY }),
  scopeChanged: (scope) => set((s) => (s.scope === scope ? s : { scope, ids: EMPTY })),
}));

export const useSelectedIds = () => useSelectionStore((s) => s.ids);
export const useSelectionCount = () => useSelectionStore((s) => s.ids.size);
export const useIsSelected = (id: string) => useSelectionStore((s) => s.ids.has(id));

/** For code outside React (e.g. a route handing the selection to the bulk feature). */
export function getWorklistSelection(): { scope: string; ids: string[] } {
  const s = useSelectionStore.getState();
  return { scope: s.scope, ids: [...s.ids] };
}

export const selectionActions = {
  rowToggled: (id: string) => useSelectionStore.getState().rowToggled(id),
  rowsSelected: (ids: Iterable<string>) => useSelectionStore.getState().rowsSelected(ids),
  rowsDeselected: (ids: Iterable<string>) => useSelectionStore.getState().rowsDeselected(ids),
  selectionCleared: () => useSelectionStore.getState().selectionCleared(),
  scopeChanged: (scope: string) => useSelectionStore.getState().scopeChanged(scope),
};
