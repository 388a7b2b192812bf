import { create } from 'zustand';

export type ToastKind = 'info' | 'success' | 'warning' | 'error';
export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  body?: string;
}

interface ToastState {
  toasts: Toast[];
  toastShown: (t: Omit<Toast, 'id'>) => number;
  toastDismissed: (id: number) => void;
}

let nextId = 1;

/** App-wide notifications. Features call `showToast`; the shell renders them in a live region. */
export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  toastShown: (t) => {
    const id = nextId++;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { ...t, id }] }));
    return id;
  },
  toastDismissed: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export const useToasts = () => useToastStore((s) => s.toasts);
export const showToast = (t: Omit<Toast, 'id'>) => useToastStore.getState().toastShown(t);
export const dismissToast = (id: number) => useToastStore.getState().toastDismissed(id);
