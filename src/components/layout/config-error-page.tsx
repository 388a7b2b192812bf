import { useTranslation } from 'react-i18next';
import type { ConfigProblem } from '@/config/load-config.ts';

/** Shown instead of a blank page when config.json is missing or invalid. */
export function ConfigErrorPage({ file, problems }: { file: string; problems: ConfigProblem[] }) {
  const { t } = useTranslation('config');
  return (
    <main className="config-error" id="main">
      <h1>{t('title')}</h1>
      <p>{t('intro', { file })}</p>
      <h2>{t('problems')}</h2>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.kind === 'fetch' && t('fetchFailed', { status: p.status })}
            {p.kind === 'json' && t('notJson')}
            {p.kind === 'region' && t('unknownRegion', { region: p.region })}
            {p.kind === 'schema' && <code>{`${p.path}: ${p.message}`}</code>}
          </li>
        ))}
      </ul>
      <p>{t('fix')}</p>
    </main>
  );
}
