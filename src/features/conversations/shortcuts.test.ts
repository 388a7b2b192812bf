import { isTypingTarget, shortcutOf, type KeyLike } from './shortcuts.ts';

function press(key: string, target: EventTarget | null = document.body, over: Partial<KeyLike> = {}): KeyLike {
  return { key, ctrlKey: false, metaKey: false, altKey: false, target, defaultPrevented: false, ...over };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

describe('worklist keyboard shortcuts', () => {
  it('maps A, N, ? and Escape outside text fields', () => {
    expect(shortcutOf(press('a'))).toBe('apply');
    expect(shortcutOf(press('N'))).toBe('next');
    expect(shortcutOf(press('?'))).toBe('help');
    expect(shortcutOf(press('Escape'))).toBe('close');
    expect(shortcutOf(press('x'))).toBeNull();
  });

  it('letters typed into text fields, the notes, a code list or editable text are not shortcuts', () => {
    for (const target of [el('input'), el('input', { type: 'search' }), el('textarea'), el('select')]) {
      expect(shortcutOf(press('a', target))).toBeNull();
      expect(shortcutOf(press('n', target))).toBeNull();
      expect(shortcutOf(press('?', target))).toBeNull();
    }
    const editable = el('div', { contenteditable: 'true' });
    document.body.append(editable);
    expect(isTypingTarget(editable)).toBe(true);
    editable.remove();
  });

  it('buttons, checkboxes and radios are not typing: shortcuts work there', () => {
    expect(shortcutOf(press('a', el('button')))).toBe('apply');
    expect(shortcutOf(press('a', el('input', { type: 'checkbox' })))).toBe('apply');
    expect(shortcutOf(press('n', el('input', { type: 'radio' })))).toBe('next');
  });

  it('Escape closes even from a text field; modifier keys and handled events are left alone', () => {
    expect(shortcutOf(press('Escape', el('textarea')))).toBe('close');
    expect(shortcutOf(press('a', document.body, { ctrlKey: true }))).toBeNull();
    expect(shortcutOf(press('a', document.body, { metaKey: true }))).toBeNull();
    expect(shortcutOf(press('n', document.body, { altKey: true }))).toBeNull();
    expect(shortcutOf(press('Escape', document.body, { defaultPrevented: true }))).toBeNull();
    expect(shortcutOf(press('a', document.body, { isComposing: true }))).toBeNull();
  });
});
