import i18next, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { resources } from './resources.ts';
import { EMBED_LANGUAGE_KEY, FALLBACK_LANGUAGE, LANGUAGE_STORAGE_KEY, pickLanguage, type Language } from './languages.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}

export type Namespace = keyof (typeof resources)['en'];

/** What the shell, the sign-in page and the config error page say: loaded before the first render. */
const SHELL_NAMESPACES: Namespace[] = ['common', 'auth', 'config'];

/**
 * The catalogues, one chunk per language and namespace, fetched when first needed: a page's
 * namespace comes with the page (router.tsx preloads it with the page's code; a component that
 * asks for one not yet loaded suspends until it is). resources.ts keeps them all for types and tests.
 */
const catalogues = import.meta.glob<ResourceKey>('../../locales/*/*.json', { import: 'default' });

const lazyCatalogues: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, namespace, callback) {
    const load = catalogues[`../../locales/${language}/${namespace}.json`];
    if (!load) return callback(null, {});
    load().then(
      (catalogue) => callback(null, catalogue),
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), false),
    );
  },
};

/** Loads namespaces in the current language (and the fallback); resolves at once when they are there. */
export function loadNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  return i18next.loadNamespaces([...namespaces]);
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
  await i18next
    .use(lazyCatalogues)
    .use(initReactI18next)
    .init({
      lng: language,
      fallbackLng: FALLBACK_LANGUAGE,
      ns: SHELL_NAMESPACES,
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
