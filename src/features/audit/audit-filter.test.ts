import type { AuditEntry } from './audit-entry.ts';
import { auditCsv, auditSearchSchema, filterEntries } from './audit-filter.ts';
import { formulaPieces, HOSTILE_CSV_TEXTS } from '@/lib/csv-test-support.ts';

const entry = (seq: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  seq,
  time: `2026-01-0${seq}T10:00:00.000Z`,
  supervisorId: 'u1',
  supervisorName: 'Sam Supervisor',
  conversationId: `conv-${seq}`,
  participantId: `part-${seq}`,
  communicationId: `comm-${seq}`,
  media: 'calls',
  codeId: `code-${seq}`,
  codeName: 'Sale',
  notes: '',
  replace: false,
  outcome: 'applied',
  status: 202,
  errorCode: null,
  message: null,
  contextId: null,
  ...over,
});

const entries = [
  entry(1),
  entry(2, { outcome: 'refused', status: 403, errorCode: 'not.authorized', contextId: 'ctx-abc', codeName: 'Billing issue' }),
  entry(3, { notes: '=SUM(A1)' }),
];

describe('filterEntries', () => {
  it('shows newest first, filters by outcome and by every word of the text', () => {
    expect(filterEntries(entries, {}).map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(filterEntries(entries, { outcome: 'refused' }).map((e) => e.seq)).toEqual([2]);
    expect(filterEntries(entries, { q: 'CTX-ABC' }).map((e) => e.seq)).toEqual([2]);
    expect(filterEntries(entries, { q: 'billing issue' }).map((e) => e.seq)).toEqual([2]);
    expect(filterEntries(entries, { q: 'conv-1' }).map((e) => e.seq)).toEqual([1]);
    expect(filterEntries(entries, { outcome: 'applied', q: 'billing' })).toEqual([]);
  });
});

describe('auditSearchSchema', () => {
  it('keeps valid filters and drops malformed ones', () => {
    expect(auditSearchSchema.parse({ outcome: 'refused', q: 'x' })).toEqual({ outcome: 'refused', q: 'x' });
    expect(auditSearchSchema.parse({ outcome: 'bogus', q: 42 })).toEqual({ outcome: undefined, q: undefined });
    expect(auditSearchSchema.parse({})).toEqual({});
  });
});

describe('auditCsv', () => {
  it('has one header and one line per entry, with formula-looking cells defused', () => {
    const csv = auditCsv(filterEntries(entries, {}));
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'time,supervisorId,supervisorName,conversationId,participantId,communicationId,media,codeId,codeName,notes,replace,outcome,status,errorCode,message,contextId',
    );
    expect(lines[1]).toContain("'=SUM(A1)");
    expect(lines[2]).toContain('refused,403,not.authorized,,ctx-abc');
  });

  it('no cell starts a formula when read with , or ; as separator (German Excel)', () => {
    const hostile = HOSTILE_CSV_TEXTS.map((t, i) => entry(i + 1, { supervisorName: t, codeName: t, notes: t, message: t, contextId: t, errorCode: t }));
    expect(formulaPieces(auditCsv(hostile))).toEqual([]);
  });
});
