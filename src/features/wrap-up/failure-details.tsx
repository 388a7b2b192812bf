import { useTranslation } from 'react-i18next';
import type { ApiError } from '@/lib/genesys/api-error.ts';
import { PlatformWords } from '@/components/ui/platform-text.tsx';
import { explainFailure } from './error-mapping.ts';

/**
 * A platform failure: our plain explanation, then the platform's own message as it was sent
 * (rendered as text), its status and code, and always the contextId for Genesys support.
 */
export function FailureDetails({ error }: { error: ApiError }) {
  const { t } = useTranslation('wrapup');
  const { reason, permission } = explainFailure(error);
  return (
    <div className="wrapup-failure">
      <p>{t(`errors.${reason}`, { permission: permission ?? '' })}</p>
      <dl className="wrapup-evidence">
        {/* The platform's words (English), labelled as the platform's; a failure without an answer has a browser message instead. */}
        <dt>{error.kind === 'http' ? t('failure.platformMessage') : t('failure.technicalMessage')}</dt>
        <dd>
          <PlatformWords text={error.message} />
        </dd>
        <dt>{t('failure.status')}</dt>
        <dd>{error.status > 0 ? `${error.status} ${error.code}` : error.code}</dd>
        <dt>{t('failure.contextId')}</dt>
        <dd>
          <code data-testid="context-id">{error.contextId ?? t('failure.noContextId')}</code>
        </dd>
      </dl>
    </div>
  );
}
