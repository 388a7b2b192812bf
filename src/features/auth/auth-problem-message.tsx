import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import type { AuthProblem } from './session-store.ts';

const KNOWN_PLATFORM_ERRORS = [
  'access_denied',
  'unauthorized_client',
  'invalid_client',
  'invalid_grant',
  'invalid_request',
  'unsupported_response_type',
] as const;
type KnownPlatformError = (typeof KNOWN_PLATFORM_ERRORS)[number];
const isKnown = (e: string): e is KnownPlatformError => (KNOWN_PLATFORM_ERRORS as readonly string[]).includes(e);

/** One plain message per sign-in problem, with what to do. Platform text is shown as the platform sent it. */
export function AuthProblemMessage({ problem }: { problem: AuthProblem }) {
  const { t } = useTranslation('auth');
  let title: string;
  let body: string;
  let evidence: string | undefined;
  switch (problem.kind) {
    case 'refused':
      title = t('refused.title');
      body = t(`refused.${problem.reason}`);
      break;
    case 'platform':
      title = t('error.title');
      body = isKnown(problem.error) ? t(`error.${problem.error}`) : t('error.unknown');
      evidence = t('error.platform', { error: [problem.error, problem.description].filter(Boolean).join(': ') });
      break;
    default:
      title = t('error.title');
      body = t(`error.${problem.kind}`);
      evidence = problem.detail;
  }
  return (
    <GuxInlineAlert accent="error" role="alert">
      <div>
        <strong>{title}</strong>
        <p>{body}</p>
        {evidence && <p className="evidence">{evidence}</p>}
      </div>
    </GuxInlineAlert>
  );
}
