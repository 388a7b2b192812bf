/**
 * The worklist's side panel state (issue 16 item 1): which participant it is about, "next missing"
 * in the table's order, the keyboard shortcuts and the "?" overlay, and focus back on the row when
 * it closes. Nothing here is server data: the rows come in, the target is a pointer into them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { firstFixable, nextMissing, type PanelTarget } from './next-missing.ts';
import { shortcutOf } from './shortcuts.ts';
import type { AgentScope, ConversationRow } from './wrapup-status.ts';

/** Focus back on the row the panel was about: its "Apply" button, else its first control, else the table. */
function focusRow(target: PanelTarget) {
  const tr = document.querySelector(`tr[data-row-id="${CSS.escape(target.conversationId)}"]`);
  const el =
    tr?.querySelector<HTMLElement>(`button[data-apply="${CSS.escape(target.participantId)}"]`) ??
    tr?.querySelector<HTMLElement>('button, input') ??
    document.querySelector<HTMLElement>('.worklist-scroll');
  el?.focus();
}

export interface ApplyPanelState {
  target: PanelTarget | null;
  noNext: boolean;
  helpOpen: boolean;
  open: (target: PanelTarget) => void;
  close: () => void;
  next: () => void;
  showHelp: () => void;
  hideHelp: () => void;
}

/**
 * `enabled`: the route composed a form (and the user may write); without it no shortcut but "?"
 * does anything. `openId`: the conversation in the detail panel, the "A" key's fallback row.
 */
export function useApplyPanel({
  rows,
  scope,
  openId,
  enabled,
}: {
  rows: readonly ConversationRow[];
  scope: AgentScope;
  openId: string | undefined;
  enabled: boolean;
}): ApplyPanelState {
  const [target, setTarget] = useState<PanelTarget | null>(null);
  const [noNext, setNoNext] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  // The latest rows and the index the target's row had when last seen: after a save the row may
  // leave the list (the "missing" filter), and the row that followed it is then at that index.
  const latest = useRef({ rows, scope, openId, target, anchor: 0 });
  useEffect(() => {
    const l = latest.current;
    const index = target ? rows.findIndex((r) => r.id === target.conversationId) : -1;
    latest.current = { rows, scope, openId, target, anchor: index >= 0 ? index : l.anchor };
  }, [rows, scope, openId, target]);
  const returnTo = useRef<PanelTarget | null>(null);

  const open = useCallback((t: PanelTarget) => {
    setNoNext(false);
    setTarget(t);
  }, []);
  const close = useCallback(() => {
    returnTo.current = latest.current.target;
    setTarget(null);
    setNoNext(false);
  }, []);
  const next = useCallback(() => {
    const l = latest.current;
    const found = nextMissing(l.rows, l.scope, l.target, l.anchor);
    if (found) open(found);
    else setNoNext(true);
  }, [open]);

  useEffect(() => {
    if (target !== null || !returnTo.current) return;
    const back = returnTo.current;
    returnTo.current = null;
    focusRow(back);
  }, [target]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutOf(e);
      if (!action || helpOpen) return; // the modal overlay handles its own keys
      const l = latest.current;
      if (action === 'help') {
        e.preventDefault();
        setHelpOpen(true);
        return;
      }
      if (!enabled) return;
      if (action === 'close') {
        if (!l.target) return;
        e.preventDefault();
        close();
      } else if (action === 'next') {
        if (!l.target) return;
        e.preventDefault();
        next();
      } else {
        // "A": the row with the focus, else the one in the detail panel, else the first missing one.
        const focused = document.activeElement?.closest('tr[data-row-id]')?.getAttribute('data-row-id') ?? openId;
        const row = focused ? l.rows.find((r) => r.id === focused) : undefined;
        const found = (row && firstFixable(row, l.scope)) ?? nextMissing(l.rows, l.scope, null);
        if (!found) return;
        e.preventDefault();
        open(found);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled, helpOpen, openId, open, close, next]);

  return {
    target,
    noNext,
    helpOpen,
    open,
    close,
    next,
    showHelp: useCallback(() => setHelpOpen(true), []),
    hideHelp: useCallback(() => setHelpOpen(false), []),
  };
}
