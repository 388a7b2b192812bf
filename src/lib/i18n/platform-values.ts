/**
 * Values that come from the platform's data (media types, participant purposes, communication
 * states, disconnect types, after-call work states, outbound system-code details), shown in the
 * UI's language (issue 16 item 7). The words live once, in `common.json` under `value.*`, so every
 * feature says the same word for the same value. A value the platform adds tomorrow is not in the
 * lists: it is shown as the platform's own value, quoted and labelled as such, never as if it were
 * one of our words and never as a crash.
 */
import { useCallback } from 'react';
import type { Namespace, TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

/** The values we have words for, by kind (keys of `value.<kind>` in `common.json`, see {@link valueKey}). */
export const PLATFORM_VALUES = {
  /** Analytics `mediaType`, and the media of a live communication (`calls` → `voice`, see {@link mediaOfCommunication}). */
  media: ['voice', 'callback', 'email', 'message', 'chat', 'cobrowse', 'screenshare', 'video', 'internalmessage', 'social', 'screenmonitoring', 'unknown'],
  /** Participant `purpose`. */
  purpose: [
    'customer',
    'external',
    'agent',
    'user',
    'acd',
    'ivr',
    'workflow',
    'botflow',
    'voicemail',
    'station',
    'outbound',
    'inbound',
    'dialer',
    'campaign',
    'api',
    'fax',
    'group',
    'manual',
  ],
  /** `originatingDirection` / communication `direction`. */
  direction: ['inbound', 'outbound'],
  /** A live communication's `state`. */
  communicationState: [
    'alerting',
    'dialing',
    'contacting',
    'offering',
    'connected',
    'disconnected',
    'terminated',
    'converting',
    'uploading',
    'transmitting',
    'scheduled',
    'parked',
    'none',
  ],
  /** A communication's `disconnectType` (dotted values are camel-cased: `transfer.consult` → `transferConsult`). */
  disconnectType: [
    'endpoint',
    'client',
    'system',
    'timeout',
    'transfer',
    'transferConference',
    'transferConsult',
    'transferForward',
    'transferNoanswer',
    'transferNotavailable',
    'transportFailure',
    'error',
    'peer',
    'other',
    'spam',
    'uncallable',
  ],
  /** `afterCallWork.state`. */
  acwState: ['pending', 'skipped', 'complete', 'notApplicable', 'unknown'],
  /** A participant's `wrapupPrompt` (and a queue's `acwSettings.wrapupPrompt`, `MANDATORY_TIMEOUT` → `mandatoryTimeout`). */
  wrapupPrompt: ['mandatory', 'optional', 'timeout', 'forcedTimeout', 'mandatoryTimeout', 'mandatoryForcedTimeout', 'agentRequested'],
  /** The part after `ININ-OUTBOUND-` of a system code set by outbound dialing (`LIVE-VOICE` → `liveVoice`). */
  outboundCode: [
    'liveVoice',
    'answeringMachine',
    'machine',
    'transferredToQueue',
    'previewSkipped',
    'busy',
    'noAnswer',
    'fax',
    'ambiguous',
    'sitCallable',
    'sitUncallable',
    'invalidPhoneNumber',
    'onDoNotCallList',
    'contactUncallable',
    'numberUncallable',
    'disconnect',
  ],
} as const;

export type PlatformValueKind = keyof typeof PLATFORM_VALUES;

const known = (kind: PlatformValueKind): ReadonlySet<string> => new Set<string>(PLATFORM_VALUES[kind]);
const KNOWN: Record<PlatformValueKind, ReadonlySet<string>> = {
  media: known('media'),
  purpose: known('purpose'),
  direction: known('direction'),
  communicationState: known('communicationState'),
  disconnectType: known('disconnectType'),
  acwState: known('acwState'),
  wrapupPrompt: known('wrapupPrompt'),
  outboundCode: known('outboundCode'),
};

/**
 * The catalogue key of a platform value: separators (`.`, `-`, `_`, space) turn into camel case and
 * an all-capitals value is read in lower case (`transfer.consult` → `transferConsult`,
 * `LIVE-VOICE` → `liveVoice`, `notApplicable` stays). i18next reads `.` as nesting, hence the rewrite.
 */
export function valueKey(value: string): string {
  const v = value.trim();
  const base = v === v.toUpperCase() ? v.toLowerCase() : v;
  const [first = '', ...rest] = base.split(/[.\-_\s]+/).filter(Boolean);
  return first.charAt(0).toLowerCase() + first.slice(1) + rest.map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase()).join('');
}

/** True when we have a word for this value. */
export function isKnownValue(kind: PlatformValueKind, value: string): boolean {
  return KNOWN[kind].has(valueKey(value));
}

/** The live Conversation's communication arrays (and wrap-up path segments) → the media they carry. */
const MEDIA_OF_COMMUNICATION: Readonly<Record<string, string>> = {
  calls: 'voice',
  callbacks: 'callback',
  chats: 'chat',
  cobrowsesessions: 'cobrowse',
  emails: 'email',
  messages: 'message',
  internalMessages: 'internalmessage',
  screenMonitorings: 'screenmonitoring',
  screenshares: 'screenshare',
  socialExpressions: 'social',
  socials: 'social',
  videos: 'video',
};

/** `calls` → `voice`: one word for a medium, whether it comes from analytics, a live conversation or a wrap-up path. */
export function mediaOfCommunication(kind: string): string {
  return MEDIA_OF_COMMUNICATION[kind] ?? kind;
}

/**
 * Any feature's `t`: the words are looked up with the `common:` prefix, which works from every
 * namespace (`common` is loaded with the shell, before any page).
 */
export type AnyT = TFunction<Namespace>;

/**
 * A platform value in the UI's language: our word when we have one, else the value itself, quoted
 * and labelled as the platform's (`„socialExpression“ (Wert der Plattform)`). Empty: a dash.
 */
export function platformValue(t: AnyT, kind: PlatformValueKind, value: string | null | undefined): string {
  const tt = t as unknown as (key: string, options?: Record<string, unknown>) => string;
  if (value === null || value === undefined || value.trim() === '') return tt('common:value.none');
  const key = valueKey(value);
  if (KNOWN[kind].has(key)) return tt(`common:value.${kind}.${key}`);
  return tt('common:value.unknown', { value });
}

/** A communication array name or wrap-up path (`calls`, `emails`, …) as its medium's word. */
export function communicationMedia(t: AnyT, kind: string | null | undefined): string {
  return platformValue(t, 'media', kind ? mediaOfCommunication(kind) : kind);
}

/** {@link platformValue} bound to the current language, for components. */
export function usePlatformValue(): (kind: PlatformValueKind, value: string | null | undefined) => string {
  const { t } = useTranslation('common');
  return useCallback((kind, value) => platformValue(t, kind, value), [t]);
}

/**
 * A system wrap-up code (`ININ-WRAP-UP-TIMEOUT`, `ININ-OUTBOUND-LIVE-VOICE`, other `ININ-…`) in
 * words: "System: timeout", "System: outbound dialing (Person reached)"; an unknown one by its code.
 */
export function systemCodeText(t: AnyT, code: string): string {
  const tt = t as unknown as (key: string, options?: Record<string, unknown>) => string;
  const upper = code.toUpperCase();
  if (upper === 'ININ-WRAP-UP-TIMEOUT') return tt('common:value.systemCode.timeout');
  if (upper.startsWith('ININ-OUTBOUND-'))
    return tt('common:value.systemCode.outbound', { detail: platformValue(t, 'outboundCode', code.slice('ININ-OUTBOUND-'.length)) });
  return tt('common:value.systemCode.other', { code });
}
