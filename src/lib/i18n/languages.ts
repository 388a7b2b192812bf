/**
 * Which language the app speaks, in order (issue 8): the language Genesys Cloud hands an embedded app
 * (`gcLangTag`, legacy `pcLangTag`), the user's own choice from the header menu (remembered: it is not a
 * secret), the browser's languages, English.
 */
export const SUPPORTED_LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const FALLBACK_LANGUAGE: Language = 'en';
export const LANGUAGE_STORAGE_KEY = 'wud.language';
/** gcLangTag survives the OAuth round trip here (the PKCE return wipes the query string). */
export const EMBED_LANGUAGE_KEY = 'wud.embed.langTag';

/** `de-DE` → `de`; anything unsupported → undefined. */
export function toSupported(tag: string | null | undefined): Language | undefined {
  if (!tag) return undefined;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return SUPPORTED_LANGUAGES.find((l) => l === primary);
}

export interface LanguageSources {
  search: string;
  stored: string | null;
  embedStored: string | null;
  browser: readonly string[];
}

export function pickLanguage(src: LanguageSources): { language: Language; embedTag?: string } {
  const params = new URLSearchParams(src.search);
  const embedTag = params.get('gcLangTag') ?? params.get('pcLangTag') ?? src.embedStored ?? undefined;
  const fromEmbed = toSupported(embedTag);
  if (fromEmbed) return { language: fromEmbed, embedTag: embedTag ?? undefined };
  const fromStore = toSupported(src.stored);
  if (fromStore) return { language: fromStore };
  for (const b of src.browser) {
    const l = toSupported(b);
    if (l) return { language: l };
  }
  return { language: FALLBACK_LANGUAGE };
}
