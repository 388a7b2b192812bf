import { useTranslation } from 'react-i18next';

/** An embedding URL that names an unknown host: nothing was sent anywhere (checklist #5). */
export function EmbedRefusedPage({ value }: { value: string }) {
  const { t } = useTranslation('auth');
  return (
    <main className="config-error" id="main">
      <h1>{t('embed.title')}</h1>
      <p role="alert">{t('embed.body', { value })}</p>
      <p>{t('embed.fix')}</p>
    </main>
  );
}

export function PopupCallbackPage() {
  const { t } = useTranslation('auth');
  return (
    <main className="config-error" id="main">
      <p role="status">{t('signingIn')}</p>
    </main>
  );
}
