import { useTranslation } from 'react-i18next';
import { useAppConfig } from '@/config/config-context.tsx';
import { SIM_REGION } from '@/config/schema.ts';
import { userTimeZone } from '@/lib/i18n/format.ts';

export function AboutRoute() {
  const { t } = useTranslation();
  const config = useAppConfig();
  const platform = config.region === SIM_REGION ? t('about.sim', { url: config.simUrl }) : t('about.region', { region: config.region });
  return (
    <section aria-labelledby="about-title" className="page">
      <h1 id="about-title">{t('about.title')}</h1>
      <p>{t('about.body')}</p>
      <ul>
        <li>{t('about.version', { version: __APP_VERSION__ })}</li>
        <li>{t('about.platform', { platform })}</li>
        <li>{t('about.spark', { version: __SPARK_VERSION__ })}</li>
        <li>{t('about.timeZone', { zone: userTimeZone() })}</li>
      </ul>
    </section>
  );
}
