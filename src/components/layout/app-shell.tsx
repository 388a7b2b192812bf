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
  { to: '/platform-check', key: 'nav.platformCheck' },
  { to: '/about', key: 'nav.about' },
] as const;

/** An agent's navigation (issue 18): their own missing wrap-ups, their audit log, about. */
const AGENT_NAV = [
  { to: '/my', key: 'nav.my' },
  { to: '/audit', key: 'nav.audit' },
  { to: '/about', key: 'nav.about' },
] as const;

/** Header, navigation (a supervisor's, or an agent's with `nav="agent"`), main region with an error boundary, and the toast region. */
export function AppShell({
  account,
  banner,
  nav = 'supervisor',
  children,
}: {
  account?: ReactNode;
  banner?: ReactNode;
  nav?: 'supervisor' | 'agent';
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="shell-header">
        <span className="app-name">{t('appName')}</span>
        <nav aria-label={t('nav.label')} className="shell-nav">
          {(nav === 'agent' ? AGENT_NAV : NAV).map((item) => (
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
