import { Link, useLocation } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

export function NotFoundRoute() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <section aria-labelledby="nf-title" className="page">
      <h1 id="nf-title">{t('notFound.title')}</h1>
      <p>{t('notFound.body', { path: pathname })}</p>
      <Link to="/conversations">{t('notFound.home')}</Link>
    </section>
  );
}
