import i18next, { type TFunction } from 'i18next';
import { resources } from '@/lib/i18n/resources.ts';
import { itemText, platformWordsOf } from './item-text.ts';
import type { BulkItem, ItemReason } from './model.ts';

async function tFor(lng: 'en' | 'de'): Promise<TFunction<'bulk'>> {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, fallbackLng: false, resources, ns: ['common', 'bulk'], defaultNS: 'bulk', interpolation: { escapeValue: false } });
  return i18n.getFixedT(lng, 'bulk');
}

const base: BulkItem = {
  key: 'c/p/m',
  seq: 0,
  conversationId: 'c',
  participantId: 'p',
  communicationId: 'm',
  mediaType: 'voice',
  media: 'calls',
  queueId: 'q',
  userId: 'u',
  observed: { status: 'missing', codeId: null, at: 0 },
  plannedCode: null,
  status: 'skipped',
  reason: null,
  message: 'English runner sentence',
  attempts: 0,
  sends: 0,
  readFailures: 0,
  unknownOutcome: false,
  recheck: false,
  lastError: null,
  notBefore: 0,
  updatedAt: 0,
};
const refusedError = { status: 400, code: 'bad.request', message: 'The wrap-up code is not allowed', contextId: 'ctx-1' };

/** Every reason the model knows (the Record makes TypeScript fail here when a reason is added). */
const REASONS: Record<ItemReason, Partial<BulkItem>> = {
  active: {},
  unanswered: {},
  'chat-removed': { mediaType: 'chat', media: null },
  'no-write-path': { mediaType: 'socialExpression', media: null },
  'code-not-allowed': {},
  'system-coded': { observed: { status: 'system-coded', codeId: 'ININ-WRAP-UP-TIMEOUT', at: 0 } },
  coded: { status: 'already-coded', observed: { status: 'coded', codeId: 'c-1', at: 0 } },
  'same-code': { status: 'already-coded' },
  'coded-during-run': { status: 'already-coded' },
  refused: { status: 'failed', lastError: refusedError, attempts: 1 },
  'attempts-exhausted': {
    status: 'failed',
    attempts: 3,
    lastError: { status: 503, code: 'service.unavailable', message: 'Service Unavailable', contextId: null },
  },
  unverified: { status: 'failed', unknownOutcome: true, lastError: { status: 0, code: 'network', message: 'Failed to fetch', contextId: null } },
  stopped: {},
  'platform-refuses': {},
  'like-refused': {},
};

/** English words that never belong in a German sentence of ours. */
const ENGLISH = /\b(the|and|of|is|not|was|has|already|allowed|applied|skipped|refused|failed|attempts?|written|stopped|unknown|platform)\b/i;

describe('itemText', () => {
  it.each(Object.entries(REASONS))("%s: a German sentence, an English one, never the runner's message", async (reason, patch) => {
    const [en, de] = await Promise.all([tFor('en'), tFor('de')]);
    const item: BulkItem = { ...base, ...patch, reason: reason as ItemReason };
    const ctx = { codeName: 'Sale', learnedAt: '2026-03-01T10:00:00Z' };
    const english = itemText(en, item, ctx);
    const german = itemText(de, item, ctx);
    expect(english.text).not.toBe('');
    expect(german.text).not.toBe('');
    expect(german.text).not.toBe(english.text);
    expect(german.text).not.toMatch(ENGLISH);
    expect(german.text).not.toContain('{{');
    expect(english.text).not.toContain(item.message);
  });

  it("the platform's words come apart from ours, with their status and code, for refusals and failures", async () => {
    const de = await tFor('de');
    const refused = itemText(de, { ...base, status: 'failed', reason: 'refused', lastError: refusedError }, { codeName: 'Sale' });
    expect(refused.text).toBe('Nicht eingetragen: Die Plattform hat die Nachbearbeitung abgelehnt.');
    expect(refused.platform).toEqual({ text: '400 bad.request: The wrap-up code is not allowed', source: 'platform' });
    // No answer at all: the browser's words, labelled as technical, not as the platform's.
    expect(platformWordsOf({ status: 0, code: 'network', message: 'Failed to fetch', contextId: null })).toEqual({
      text: 'network: Failed to fetch',
      source: 'technical',
    });
    // Skips carry no platform words.
    expect(itemText(de, { ...base, reason: 'active' }, { codeName: 'Sale' }).platform).toBeNull();
  });

  it("parameters: the code name, the medium in words (or the platform's value, labelled), attempts with plurals, system codes in words", async () => {
    const [en, de] = await Promise.all([tFor('en'), tFor('de')]);
    const ctx = { codeName: 'Billing question' };
    expect(itemText(de, { ...base, reason: 'code-not-allowed' }, ctx).text).toBe(
      'Übersprungen: „Billing question“ ist für die Warteschlange dieses Teilnehmers nicht erlaubt.',
    );
    expect(itemText(de, { ...base, reason: 'no-write-path', mediaType: 'video' }, ctx).text).toContain('für den Medientyp Video');
    expect(itemText(de, { ...base, reason: 'no-write-path', mediaType: 'socialExpression' }, ctx).text).toContain('„socialExpression“ (Wert der Plattform)');
    expect(itemText(en, { ...base, reason: 'no-write-path', mediaType: 'socialExpression' }, ctx).text).toContain('"socialExpression" (platform value)');
    expect(itemText(de, { ...base, status: 'failed', reason: 'attempts-exhausted', attempts: 1 }, ctx).text).toBe(
      'Nicht eingetragen: kein Erfolg nach 1 Versuch.',
    );
    expect(itemText(de, { ...base, status: 'failed', reason: 'attempts-exhausted', attempts: 3 }, ctx).text).toBe(
      'Nicht eingetragen: kein Erfolg nach 3 Versuchen.',
    );
    expect(
      itemText(de, { ...base, reason: 'system-coded', observed: { status: 'system-coded', codeId: 'ININ-OUTBOUND-LIVE-VOICE', at: 0 } }, ctx).text,
    ).toContain('(System: ausgehende Wahl (Person erreicht))');
    expect(itemText(de, { ...base, status: 'applied' }, ctx).text).toBe('„Billing question“ eingetragen.');
    expect(itemText(en, { ...base, status: 'pending' }, ctx).text).toBe('Not applied yet.');
  });

  it('an unknown outcome says so, whether or not the job was stopped', async () => {
    const de = await tFor('de');
    const unknown = itemText(de, { ...base, status: 'failed', reason: 'unverified', unknownOutcome: true, lastError: null }, { codeName: 'Sale' });
    expect(unknown.text).toMatch(/^Ergebnis unbekannt/);
    expect(unknown.platform).toBeNull();
    const unchecked = itemText(de, { ...base, status: 'failed', reason: 'unverified', unknownOutcome: false, lastError: refusedError }, { codeName: 'Sale' });
    expect(unchecked.text).toMatch(/^Nicht eingetragen/);
    expect(unchecked.platform?.source).toBe('platform');
  });

  it("the platform check's date is shown in the UI's format when known", async () => {
    const de = await tFor('de');
    const text = itemText(
      de,
      { ...base, reason: 'platform-refuses' },
      { codeName: 'Sale', learnedAt: '2026-03-01T10:00:00Z', formatTime: () => '01.03.2026, 11:00' },
    ).text;
    expect(text).toBe('Übersprungen: Die Plattformprüfung hat am 01.03.2026, 11:00 ergeben, dass die Plattform Elemente wie dieses ablehnt.');
  });
});
