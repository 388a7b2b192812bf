/**
 * The worklist's keyboard shortcuts (issue 16 items 1 and 6): which key does what, and when a key is
 * someone typing rather than a shortcut. Plain functions, so the rules are tested without a page.
 */

export type ShortcutAction = 'apply' | 'next' | 'close' | 'help';

/** The keys, in the order the "?" overlay lists them (Enter and Shift+Enter belong to the form). */
export const SHORTCUTS: readonly { keys: readonly string[]; action: ShortcutAction | 'save' | 'saveAndNext' }[] = [
  { keys: ['A'], action: 'apply' },
  { keys: ['Enter'], action: 'save' },
  { keys: ['Shift', 'Enter'], action: 'saveAndNext' },
  { keys: ['N'], action: 'next' },
  { keys: ['Esc'], action: 'close' },
  { keys: ['?'], action: 'help' },
];

const NOT_TYPING_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color']);

/** True when keys pressed on this element are text being written (a letter there is not a shortcut). */
export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  // (isContentEditable where the browser has it; the attribute for DOMs without layout, such as jsdom.)
  if (el.isContentEditable || el.closest('[contenteditable]:not([contenteditable="false"])')) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !NOT_TYPING_INPUTS.has(el.type);
  return false;
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
  defaultPrevented: boolean;
  isComposing?: boolean;
}

/**
 * The shortcut a key press means, or null. Letters and "?" never fire while typing or with Ctrl,
 * ⌘ or Alt (the browser's and the screen reader's own keys); Escape closes the panel from anywhere.
 */
export function shortcutOf(e: KeyLike): ShortcutAction | null {
  if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === 'Escape') return 'close';
  if (isTypingTarget(e.target)) return null;
  switch (e.key) {
    case 'a':
    case 'A':
      return 'apply';
    case 'n':
    case 'N':
      return 'next';
    case '?':
      return 'help';
    default:
      return null;
  }
}
