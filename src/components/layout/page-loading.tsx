import { useTranslation } from 'react-i18next';

/**
 * What the main region shows while a page's code is fetched on first use (routes load lazily, see
 * router.tsx). Usually a few milliseconds; a plain status line in the page's own spacing, so the
 * page that replaces it does not jump.
 */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <section className="page page-loading" aria-busy="true">
      <p role="status" className="muted">
        {t('loading')}
      </p>
    </section>
  );
}
