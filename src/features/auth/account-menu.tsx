import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useMe } from './auth-queries.ts';
import { signOut } from './auth-flow.ts';
import { useSessionStatus } from './session-store.ts';

/** Header: who is signed in, to which org, and sign-out. */
export function AccountMenu() {
  const { t } = useTranslation('auth');
  const status = useSessionStatus();
  const me = useMe();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  if (status !== 'signedIn' && status !== 'expired') return null;
  const name = me.data?.name ?? me.data?.email;
  const org = me.data?.organization?.name;
  return (
    <div className="account-area">
      {name && (
        <div className="account">
          <span>{t('account.signedInAs', { user: name })}</span>
          {org && <span className="org">{t('account.org', { org })}</span>}
        </div>
      )}
      <button
        type="button"
        className="link-button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void signOut(
            () => queryClient.clear(),
            () => queryClient.cancelQueries(),
          );
        }}
      >
        {busy ? t('account.signingOut') : t('account.signOut')}
      </button>
    </div>
  );
}
