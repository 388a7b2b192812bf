import enCommon from '@/locales/en/common.json';
import enConfig from '@/locales/en/config.json';
import deCommon from '@/locales/de/common.json';
import deConfig from '@/locales/de/config.json';
import enAuth from '@/locales/en/auth.json';
import deAuth from '@/locales/de/auth.json';

/** Every catalogue, by language and namespace (one namespace per feature). English is the reference. */
export const resources = {
  en: { common: enCommon, config: enConfig, auth: enAuth },
  de: { common: deCommon, config: deConfig, auth: deAuth },
} as const;

export const NAMESPACES = Object.keys(resources.en) as (keyof (typeof resources)['en'])[];
