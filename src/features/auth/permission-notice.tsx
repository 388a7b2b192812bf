import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { useFeatureAccess, useRole } from './auth-queries.ts';
import { FEATURES, SUPERVISOR_ONLY_FEATURES } from './permissions.ts';

/**
 * Says plainly which permissions the user lacks and which features that disables. An agent is not
 * told about the supervisor features (their page says what their own permissions allow).
 */
export function PermissionNotice() {
  const { t } = useTranslation('auth');
  const access = useFeatureAccess();
  const role = useRole();
  if (!access) return null;
  const agent = role?.kind === 'agent';
  const blocked = FEATURES.map((f) => access[f]).filter((a) => !a.allowed && !(agent && SUPERVISOR_ONLY_FEATURES.includes(a.feature)));
  if (blocked.length === 0) return null;
  return (
    <GuxInlineAlert accent="warning" className="permission-notice">
      <div>
        <strong>{t('permissions.title')}</strong>
        <p>{t('permissions.intro')}</p>
        <ul>
          {blocked.map((a) => (
            <li key={a.feature}>{t('permissions.disabled', { feature: t(`permissions.feature.${a.feature}`), permissions: a.missing.join(', ') })}</li>
          ))}
        </ul>
      </div>
    </GuxInlineAlert>
  );
}
