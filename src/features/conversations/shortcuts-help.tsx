/**
 * The "?" overlay: the worklist's keyboard shortcuts in a modal <dialog> (the browser traps focus
 * in it, closes it on Escape and returns focus to where it was).
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/button.tsx';
import { SHORTCUTS } from './shortcuts.ts';

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('conversations');
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const key = (k: string) => (k === 'Enter' || k === 'Shift' || k === 'Esc' ? t(`shortcuts.keys.${k}`) : k);
  return (
    <dialog ref={ref} className="shortcuts-help" aria-labelledby="shortcuts-title" aria-describedby="shortcuts-intro" onClose={onClose}>
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <p id="shortcuts-intro">{t('shortcuts.intro')}</p>
      <dl>
        {SHORTCUTS.map((s) => (
          <div key={s.action} className="shortcut">
            <dt>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' + '}
                  <kbd>{key(k)}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(`shortcuts.action.${s.action}`)}</dd>
          </div>
        ))}
      </dl>
      <Button accent="primary" onClick={onClose}>
        {t('shortcuts.close')}
      </Button>
    </dialog>
  );
}
