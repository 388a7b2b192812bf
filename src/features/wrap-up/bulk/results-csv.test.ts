import { resultsCsv, RESULTS_CSV_HEADER } from './results-csv.ts';
import type { BulkItem } from './model.ts';
import { formulaPieces, HOSTILE_CSV_TEXTS } from '@/lib/csv-test-support.ts';

const base: BulkItem = {
  key: 'c/p/m', seq: 0, conversationId: 'c', participantId: 'p', communicationId: 'm', mediaType: 'voice', media: 'calls', queueId: 'q', userId: 'u',
  observed: { status: 'missing', codeId: null, at: 0 }, plannedCode: null, status: 'applied', reason: null, message: null, attempts: 1, sends: 1,
  readFailures: 0, unknownOutcome: false, recheck: false, lastError: null, notBefore: 0, updatedAt: Date.parse('2026-03-02T10:00:00Z'),
};

describe('resultsCsv', () => {
  it('one row per item in plan order with outcome, message, status, code and contextId; formula-safe', () => {
    const failed: BulkItem = { ...base, key: 'c2/p/m', seq: 1, conversationId: 'c2', status: 'failed', reason: 'refused', message: '=HYPERLINK("x")', lastError: { status: 400, code: 'bad.request', message: '=HYPERLINK("x")', contextId: 'ctx-1' } };
    const csv = resultsCsv({ code: { id: 'sale', name: '+Sale' } }, [failed, base]);
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(RESULTS_CSV_HEADER.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe("c,p,m,voice,q,u,applied,,,,,,1,false,sale,'+Sale,2026-03-02T10:00:00.000Z,");
    expect(lines[2]).toBe(`c2,p,m,voice,q,u,failed,refused,"'=HYPERLINK(""x"")",400,bad.request,ctx-1,1,false,sale,'+Sale,2026-03-02T10:00:00.000Z,`);
  });

  it('no cell starts a formula when read with , or ; as separator (hostile code names and messages)', () => {
    const items = HOSTILE_CSV_TEXTS.map((t, i): BulkItem => ({ ...base, key: `k${i}`, seq: i, conversationId: t, status: 'failed', reason: 'refused', message: t, lastError: { status: 400, code: t, message: t, contextId: t } }));
    expect(formulaPieces(resultsCsv({ code: { id: 'sale', name: 'Messaging;=2+2' } }, items))).toEqual([]);
  });
});
