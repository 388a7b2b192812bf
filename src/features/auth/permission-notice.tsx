import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { useFeatureAccess } from './auth-queries.ts';
import { FEATURES } from './permissions.ts';

/** Says plainly which permissions the user lacks and which features that disables. */
export function PermissionNotice() {
  const { t } = useTranslation('auth');
  const access = useFeatureAccess();
  if (!access) return null;
  const blocked = FEATURES.map((f) => access[f]).filter((a) => !a.allowed);
  if (blocked.length === 0) return null;
  return (
    <GuxInlineAlert accent="warning" className="permission-notice">
      <div>
        <strong>{t('permissions.title')}</strong>
        <p>{t('permissions.intro')}</p>
        <ul>
          {blocked.map((a) => (
            <li key={a.feature}>
              {t('permissions.disabled', { feature: t(`permissions.feature.${a.feature}`), permissions: a.missing.join(', ') })}
            </li>
          ))}
        </ul>
      </div>
    </GuxInlineAlert>
  );
}
