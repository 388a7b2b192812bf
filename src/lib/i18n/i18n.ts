import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources, NAMESPACES } from './resources.ts';
import {
  EMBED_LANGUAGE_KEY,
  FALLBACK_LANGUAGE,
  LANGUAGE_STORAGE_KEY,
  pickLanguage,
  type Language,
} from './languages.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}

function safeGet(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

/** Starts i18next in the language chosen by {@link pickLanguage}; call once before the first render. */
export async function initI18n(): Promise<typeof i18next> {
  const { language, embedTag } = pickLanguage({
    search: window.location.search,
    stored: safeGet(localStorage, LANGUAGE_STORAGE_KEY),
    embedStored: safeGet(sessionStorage, EMBED_LANGUAGE_KEY),
    browser: navigator.languages,
  });
  if (embedTag) sessionStorage.setItem(EMBED_LANGUAGE_KEY, embedTag);
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: FALLBACK_LANGUAGE,
    ns: NAMESPACES,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  syncDocumentLanguage(language);
  i18next.on('languageChanged', (lng) => syncDocumentLanguage(lng));
  return i18next;
}

/** Spark components read their language from the closest `lang` attribute. */
function syncDocumentLanguage(lng: string) {
  document.documentElement.lang = lng;
}

/** The header menu: switch now and remember the choice (not a secret). */
export async function chooseLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
    sessionStorage.removeItem(EMBED_LANGUAGE_KEY);
  } catch {
    // Storage may be blocked (private mode, iframe policies): the choice still applies to this page.
  }
  await i18next.changeLanguage(language);
}
