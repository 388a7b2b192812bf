import i18next from 'i18next';
import { resultsCsv, RESULTS_CSV_HEADER } from './results-csv.ts';
import type { BulkItem } from './model.ts';
import { itemText } from './item-text.ts';
import { formulaPieces, HOSTILE_CSV_TEXTS } from '@/lib/csv-test-support.ts';
import { resources } from '@/lib/i18n/resources.ts';

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
  status: 'applied',
  reason: null,
  message: null,
  attempts: 1,
  sends: 1,
  readFailures: 0,
  unknownOutcome: false,
  recheck: false,
  lastError: null,
  notBefore: 0,
  updatedAt: Date.parse('2026-03-02T10:00:00Z'),
};

describe('resultsCsv', () => {
  const describe = (it: BulkItem) => `text of ${it.reason ?? it.status}`;

  it('one row per item in plan order with outcome, reason, our text, the platform message, status, code and contextId; formula-safe', () => {
    const failed: BulkItem = {
      ...base,
      key: 'c2/p/m',
      seq: 1,
      conversationId: 'c2',
      status: 'failed',
      reason: 'refused',
      message: 'English runner text',
      lastError: { status: 400, code: 'bad.request', message: '=HYPERLINK("x")', contextId: 'ctx-1' },
    };
    const csv = resultsCsv({ code: { id: 'sale', name: '+Sale' } }, [failed, base], describe);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(RESULTS_CSV_HEADER.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe("c,p,m,voice,q,u,applied,,text of applied,,,,,1,false,sale,'+Sale,2026-03-02T10:00:00.000Z,,,,,");
    expect(lines[2]).toBe(
      `c2,p,m,voice,q,u,failed,refused,text of refused,"'=HYPERLINK(""x"")",400,bad.request,ctx-1,1,false,sale,'+Sale,2026-03-02T10:00:00.000Z,,,,,`,
    );
    // The runner's English sentence is not exported: the text column says it in the UI's language.
    expect(csv).not.toContain('English runner text');
  });

  it('in German: the reason column stays the machine code, the text column is German, the platform message stays its own', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'de', fallbackLng: false, resources, ns: ['common', 'bulk'], defaultNS: 'bulk', interpolation: { escapeValue: false } });
    const t = i18n.getFixedT('de', 'bulk');
    const refused: BulkItem = {
      ...base,
      status: 'failed',
      reason: 'refused',
      message: 'x',
      lastError: { status: 400, code: 'bad.request', message: 'Wrap-up code not allowed', contextId: 'ctx-1' },
    };
    const skipped: BulkItem = {
      ...base,
      key: 'k2',
      seq: 1,
      status: 'skipped',
      reason: 'code-not-allowed',
      message: '"Sale" is not allowed for this participant\'s queue.',
    };
    const csv = resultsCsv({ code: { id: 'sale', name: 'Sale' } }, [refused, skipped], (it) => itemText(t, it, { codeName: 'Sale' }).text);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[1]).toContain(',failed,refused,Nicht eingetragen: Die Plattform hat die Nachbearbeitung abgelehnt.,Wrap-up code not allowed,400,bad.request,');
    expect(lines[2]).toContain(',skipped,code-not-allowed,Übersprungen: „Sale“ ist für die Warteschlange dieses Teilnehmers nicht erlaubt.,,');
    expect(csv).not.toContain('is not allowed for this');
  });

  it('names the agent (name, email), the queue and the conversation start beside the ids; older items without names leave those cells empty', () => {
    const named: BulkItem = {
      ...base,
      names: { agentName: 'Ada Lovelace', agentEmail: 'ada@example.com', queueName: 'Billing' },
      conversationStart: Date.parse('2026-03-01T08:30:00Z'),
    };
    const rows = resultsCsv({ code: { id: 'sale', name: 'Sale' } }, [named, { ...base, key: 'old', seq: 1 }], describe)
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const header = rows[0]!.split(',');
    const at = (line: string, col: string) => line.split(',')[header.indexOf(col)];
    expect(header.slice(-4)).toEqual(['agentName', 'agentEmail', 'queueName', 'conversationStart']);
    expect(header).toEqual(expect.arrayContaining(['conversationId', 'participantId', 'userId', 'queueId', 'codeId', 'codeName']));
    expect(at(rows[1]!, 'agentName')).toBe('Ada Lovelace');
    expect(at(rows[1]!, 'agentEmail')).toBe('ada@example.com');
    expect(at(rows[1]!, 'queueName')).toBe('Billing');
    expect(at(rows[1]!, 'conversationStart')).toBe('2026-03-01T08:30:00.000Z');
    expect(at(rows[1]!, 'userId')).toBe('u');
    expect(at(rows[1]!, 'codeName')).toBe('Sale');
    // An item from a journal older than the names: the ids are there, the name cells are empty.
    expect(at(rows[2]!, 'userId')).toBe('u');
    expect(rows[2]!.endsWith(',,,,')).toBe(true);
  });

  it('no cell starts a formula when read with , or ; as separator (hostile code names and messages)', () => {
    const items = HOSTILE_CSV_TEXTS.map((t, i): BulkItem => ({
      ...base,
      key: `k${i}`,
      seq: i,
      conversationId: t,
      status: 'failed',
      reason: 'refused',
      message: t,
      lastError: { status: 400, code: t, message: t, contextId: t },
    }));
    expect(formulaPieces(resultsCsv({ code: { id: 'sale', name: 'Messaging;=2+2' } }, items, (it) => it.message ?? ''))).toEqual([]);
  });
});
