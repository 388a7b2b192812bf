import { Button } from '@/components/ui/button.tsx';
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { signInAgain } from './auth-flow.ts';
import { AuthProblemMessage } from './auth-problem-message.tsx';
import { onSessionEvent, useSessionExpiry, useSessionProblem, useSessionStatus, useSessionStore } from './session-store.ts';
import { showToast } from '@/components/ui/toast-store.ts';

/** Warn this long before the token expires. */
export const EXPIRY_WARNING_MS = 5 * 60_000;

function useNow(intervalMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/**
 * "Your session ends in N minutes" shortly before expiry, and "session expired" after it or after any
 * 401, with "Sign in again" by popup so the page and its state survive.
 */
export function SessionBanner() {
  const { t } = useTranslation('auth');
  const status = useSessionStatus();
  const expiresAt = useSessionExpiry();
  const problem = useSessionProblem();
  const now = useNow(5_000);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();

  useEffect(
    () =>
      onSessionEvent((e) => {
        if (e !== 'restored') return;
        showToast({ kind: 'success', title: t('session.restored') });
        // What failed while the session was gone (a 401) is read again with the new token; the
        // page keeps its data and its forms meanwhile (checklist #6).
        void queryClient.refetchQueries({ type: 'active', predicate: (q) => q.state.status === 'error' });
      }),
    [t, queryClient],
  );

  const remaining = expiresAt === null ? Infinity : expiresAt - now;
  useEffect(() => {
    if (status === 'signedIn' && remaining <= 0) useSessionStore.getState().sessionExpired();
  }, [status, remaining]);

  const again = () => {
    setBusy(true);
    void signInAgain().finally(() => setBusy(false));
  };

  if (status === 'expired') {
    return (
      <div className="banner" role="alert">
        <GuxInlineAlert accent="warning">
          <div className="banner-body">
            <span>{t('session.expired')}</span>
            <Button accent="primary" disabled={busy} onClick={again}>
              {t('session.signInAgain')}
            </Button>
          </div>
        </GuxInlineAlert>
        {problem && <AuthProblemMessage problem={problem} />}
      </div>
    );
  }
  if (status === 'signedIn' && remaining < EXPIRY_WARNING_MS) {
    const minutes = Math.max(1, Math.ceil(remaining / 60_000));
    return (
      <div className="banner" role="status">
        <GuxInlineAlert accent="info">
          <div className="banner-body">
            <span>{t('session.expiring', { count: minutes })}</span>
            <Button accent="secondary" disabled={busy} onClick={again}>
              {t('session.signInAgain')}
            </Button>
          </div>
        </GuxInlineAlert>
      </div>
    );
  }
  return null;
}
