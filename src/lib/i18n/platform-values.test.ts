import i18next from 'i18next';
import { resources } from './resources.ts';
import {
  communicationMedia,
  isKnownValue,
  mediaOfCommunication,
  PLATFORM_VALUES,
  platformValue,
  systemCodeText,
  valueKey,
  type AnyT,
  type PlatformValueKind,
} from './platform-values.ts';

async function tFor(lng: 'en' | 'de'): Promise<AnyT> {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, fallbackLng: false, resources, ns: ['common'], defaultNS: 'common', interpolation: { escapeValue: false } });
  return i18n.getFixedT(lng, 'common');
}

const KINDS = Object.keys(PLATFORM_VALUES) as PlatformValueKind[];

describe('platform values', () => {
  it.each(['en', 'de'] as const)('%s: the catalogue has a word for every known value, and no word for a value the code does not know', (lng) => {
    const catalogue = resources[lng].common.value as unknown as Record<string, Record<string, string> | string>;
    for (const kind of KINDS) {
      const words = catalogue[kind];
      expect(typeof words, kind).toBe('object');
      expect(Object.keys(words as Record<string, string>).sort(), kind).toEqual([...PLATFORM_VALUES[kind]].sort());
    }
  });

  it('catalogue keys: dotted, dashed and capital values become camel case', () => {
    expect(valueKey('transfer.consult')).toBe('transferConsult');
    expect(valueKey('transport.failure')).toBe('transportFailure');
    expect(valueKey('LIVE-VOICE')).toBe('liveVoice');
    expect(valueKey('MANDATORY_TIMEOUT')).toBe('mandatoryTimeout');
    expect(valueKey('notApplicable')).toBe('notApplicable');
    expect(valueKey('voice')).toBe('voice');
    expect(isKnownValue('disconnectType', 'transfer.noanswer')).toBe(true);
    expect(isKnownValue('media', 'socialExpression')).toBe(false);
  });

  it('German words for platform values; the same word for a medium wherever it comes from', async () => {
    const de = await tFor('de');
    expect(platformValue(de, 'communicationState', 'disconnected')).toBe('Getrennt');
    expect(platformValue(de, 'acwState', 'pending')).toBe('Offen');
    expect(platformValue(de, 'purpose', 'acd')).toBe('Warteschlange');
    expect(platformValue(de, 'disconnectType', 'endpoint')).toBe('Am Telefon aufgelegt');
    expect(platformValue(de, 'disconnectType', 'transfer.consult')).toBe('Weitergeleitet (Rückfrage)');
    expect(platformValue(de, 'wrapupPrompt', 'MANDATORY_TIMEOUT')).toBe(platformValue(de, 'wrapupPrompt', 'timeout'));
    expect(mediaOfCommunication('calls')).toBe('voice');
    expect(communicationMedia(de, 'calls')).toBe(platformValue(de, 'media', 'voice'));
    expect(communicationMedia(de, 'socialExpressions')).toBe(communicationMedia(de, 'socials'));
  });

  it("a value the platform adds tomorrow is shown as the platform's, labelled, in either language; empty is a dash", async () => {
    const [en, de] = await Promise.all([tFor('en'), tFor('de')]);
    expect(platformValue(de, 'media', 'socialExpression')).toBe('„socialExpression“ (Wert der Plattform)');
    expect(platformValue(en, 'media', 'socialExpression')).toBe('"socialExpression" (platform value)');
    expect(platformValue(de, 'communicationState', 'hologram')).toBe('„hologram“ (Wert der Plattform)');
    // Not confused by names of Object's own properties.
    expect(platformValue(de, 'purpose', 'constructor')).toBe('„constructor“ (Wert der Plattform)');
    expect(platformValue(de, 'media', undefined)).toBe('—');
    expect(platformValue(de, 'media', '  ')).toBe('—');
  });

  it('system codes in words', async () => {
    const de = await tFor('de');
    expect(systemCodeText(de, 'ININ-WRAP-UP-TIMEOUT')).toBe('System: Zeitüberschreitung');
    expect(systemCodeText(de, 'inin-wrap-up-timeout')).toBe('System: Zeitüberschreitung');
    expect(systemCodeText(de, 'ININ-OUTBOUND-ANSWERING-MACHINE')).toBe('System: ausgehende Wahl (Anrufbeantworter)');
    expect(systemCodeText(de, 'ININ-OUTBOUND-NEW-THING')).toBe('System: ausgehende Wahl („NEW-THING“ (Wert der Plattform))');
    expect(systemCodeText(de, 'ININ-SYSTEM-LOGOUT')).toBe('System: ININ-SYSTEM-LOGOUT');
  });
});
