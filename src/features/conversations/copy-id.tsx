import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * An id as supporting detail (issue 16 item 1: ids are available, not the headline): the id itself,
 * selectable, and a button that copies it; the outcome is said in a small live region beside it.
 */
export function CopyId({ id, what }: { id: string; what: string }) {
  const { t } = useTranslation('conversations');
  const [said, setSaid] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (said !== 'copied') return;
    const timer = setTimeout(() => setSaid(null), 3000);
    return () => clearTimeout(timer);
  }, [said]);
  const copy = () => {
    // The Clipboard API needs a secure context and the page's focus; without them, say so.
    if (!navigator.clipboard) {
      setSaid('failed');
      return;
    }
    navigator.clipboard.writeText(id).then(
      () => setSaid('copied'),
      () => setSaid('failed'),
    );
  };
  return (
    <span className="copy-id">
      <code>{id}</code>
      <button type="button" className="copy-button" aria-label={t('detail.copyLabel', { what, id })} onClick={copy}>
        {t('detail.copy')}
      </button>
      <span role="status" className="copy-said">
        {said === 'copied' ? t('detail.copied', { what }) : said === 'failed' ? t('detail.copyFailed') : ''}
      </span>
    </span>
  );
}
