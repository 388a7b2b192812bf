import { useTranslation } from 'react-i18next';
import { chooseLanguage } from '@/lib/i18n/i18n.ts';
import { SUPPORTED_LANGUAGES, toSupported } from '@/lib/i18n/languages.ts';

/** A native select: keyboard and screen-reader friendly without extra work. */
export function LanguageMenu() {
  const { t, i18n } = useTranslation();
  const current = toSupported(i18n.language) ?? 'en';
  return (
    <label className="language-menu">
      <span>{t('language.label')}</span>
      <select
        value={current}
        onChange={(e) => {
          const next = toSupported(e.target.value);
          if (next) void chooseLanguage(next);
        }}
      >
        {SUPPORTED_LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
