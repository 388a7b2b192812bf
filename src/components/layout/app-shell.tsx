import type { ReactNode } from 'react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LanguageMenu } from './language-menu.tsx';
import { ErrorBoundary } from './error-boundary.tsx';
import { Toasts } from '@/components/ui/toasts.tsx';

const NAV = [
  { to: '/conversations', key: 'nav.conversations' },
  { to: '/bulk', key: 'nav.bulk' },
  { to: '/audit', key: 'nav.audit' },
  { to: '/about', key: 'nav.about' },
] as const;

/** Header, navigation, main region with an error boundary, and the toast region. */
export function AppShell({ account, banner, children }: { account?: ReactNode; banner?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="shell-header">
        <span className="app-name">{t('appName')}</span>
        <nav aria-label={t('nav.label')} className="shell-nav">
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} activeProps={{ 'aria-current': 'page', className: 'active' }}>
              {t(item.key)}
            </Link>
          ))}
        </nav>
        <div className="shell-header-end">
          <LanguageMenu />
          {account}
        </div>
      </header>
      {banner}
      <main id="main" className="shell-main" tabIndex={-1}>
        <ErrorBoundary>{children}</ErrorBoundary>
      </main>
      <Toasts />
    </div>
  );
}
