import { GuxToast } from 'genesys-spark-components-react';
import { useTranslation } from 'react-i18next';
import { dismissToast, useToasts } from './toast-store.ts';

/** App-wide notifications in one polite live region (Spark's toast requires an aria-live parent). */
export function Toasts() {
  const toasts = useToasts();
  const { t } = useTranslation();
  return (
    <section className="toasts" aria-label={t('notifications')} aria-live="polite">
      {toasts.map((toast) => (
        <GuxToast
          key={toast.id}
          toastType={toast.kind}
          onGuxdismiss={(e) => {
            e.preventDefault();
            dismissToast(toast.id);
          }}
        >
          <div slot="title">{toast.title}</div>
          <div slot="message">{toast.body ?? ''}</div>
        </GuxToast>
      ))}
    </section>
  );
}
