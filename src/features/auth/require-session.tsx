import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppConfig } from '@/config/config-context.tsx';
import { SignInPage } from './sign-in-page.tsx';
import { startSignIn } from './auth-flow.ts';
import { useSessionStatus } from './session-store.ts';

/**
 * Pages that need the platform render only with a session. While expired they stay on screen
 * (work is kept); the banner offers "Sign in again".
 */
export function RequireSession({ children, forcedRegion }: { children: ReactNode; forcedRegion?: string }) {
  const status = useSessionStatus();
  const config = useAppConfig();
  const { t } = useTranslation('auth');
  if (status === 'signedIn' || status === 'expired') return <>{children}</>;
  const effective = forcedRegion ? { ...config, region: forcedRegion, lockSignIn: true } : config;
  return (
    <>
      {status === 'signingIn' && (
        <p role="status" className="muted">
          {t('signingIn')}
        </p>
      )}
      <SignInPage config={effective} onSignIn={(s) => void startSignIn(s)} />
    </>
  );
}
