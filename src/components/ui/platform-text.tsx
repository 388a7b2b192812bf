import { useTranslation } from 'react-i18next';

/**
 * Text we did not write: the platform's own error message (English, whatever the UI language), or a
 * technical message from the browser. Shown labelled as such, with `lang="en"` so screen readers
 * pronounce it as English and `data-platform-text` so the language checks know it is not ours
 * (issue 16 item 7). Our translated explanation always goes next to it, never instead of it.
 */
export function PlatformText({ text, source = 'platform', className }: { text: string; source?: 'platform' | 'technical'; className?: string }) {
  const { t } = useTranslation('common');
  return (
    <span className={className ? `platform-text ${className}` : 'platform-text'}>
      <span className="platform-text-label">{t(`platformText.${source}`)}:</span>{' '}
      <q lang="en" data-platform-text="">
        {text}
      </q>
    </span>
  );
}

/** Only the platform's words, marked as such, for places that already carry a label (a `<dt>` before it). */
export function PlatformWords({ text }: { text: string }) {
  return (
    <span lang="en" data-platform-text="">
      {text}
    </span>
  );
}
