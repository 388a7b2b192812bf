import enCommon from '@/locales/en/common.json';
import enConfig from '@/locales/en/config.json';
import deCommon from '@/locales/de/common.json';
import deConfig from '@/locales/de/config.json';
import enAuth from '@/locales/en/auth.json';
import deAuth from '@/locales/de/auth.json';
import enConversations from '@/locales/en/conversations.json';
import deConversations from '@/locales/de/conversations.json';
import enWrapup from '@/locales/en/wrapup.json';
import deWrapup from '@/locales/de/wrapup.json';
import enAudit from '@/locales/en/audit.json';
import deAudit from '@/locales/de/audit.json';
import enBulk from '@/locales/en/bulk.json';
import deBulk from '@/locales/de/bulk.json';
import enPlatformCheck from '@/locales/en/platformCheck.json';
import dePlatformCheck from '@/locales/de/platformCheck.json';
import enMy from '@/locales/en/my.json';
import deMy from '@/locales/de/my.json';

/** Every catalogue, by language and namespace (one namespace per feature). English is the reference. */
export const resources = {
  en: {
    common: enCommon,
    config: enConfig,
    auth: enAuth,
    conversations: enConversations,
    wrapup: enWrapup,
    audit: enAudit,
    bulk: enBulk,
    platformCheck: enPlatformCheck,
    my: enMy,
  },
  de: {
    common: deCommon,
    config: deConfig,
    auth: deAuth,
    conversations: deConversations,
    wrapup: deWrapup,
    audit: deAudit,
    bulk: deBulk,
    platformCheck: dePlatformCheck,
    my: deMy,
  },
} as const;

export const NAMESPACES = Object.keys(resources.en) as (keyof (typeof resources)['en'])[];
