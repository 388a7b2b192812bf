import { useTranslation } from 'react-i18next';

/** Pages whose feature is not built yet say so plainly. */
export function PlaceholderRoute({ page }: { page: 'conversations' | 'bulk' | 'audit' }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="page-title" className="page">
      <h1 id="page-title">{t(`pages.${page}`)}</h1>
    </section>
  );
}
