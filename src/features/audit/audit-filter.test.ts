import { ownEntries, sanitizeEntry, type AuditEntry } from './audit-entry.ts';
import { auditCsv, auditSearchSchema, filterEntries } from './audit-filter.ts';
import { formulaPieces, HOSTILE_CSV_TEXTS } from '@/lib/csv-test-support.ts';

const entry = (seq: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  seq,
  time: `2026-01-0${seq}T10:00:00.000Z`,
  orgId: 'org-1',
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

describe('one entry per write (issue 14 finding 10)', () => {
  it('a later entry of the same write corrects the first: shown and counted once, marked corrected', () => {
    // A crash between the audit entry and the journal: the write is found applied again after the reload.
    const entries = [
      entry(1, { writeId: 'job-1/c1/p1/m1/1', outcome: 'unknown', status: null }),
      entry(2, { writeId: 'job-1/c2/p2/m2/1', outcome: 'applied' }),
      entry(3, { writeId: 'job-1/c1/p1/m1/1', outcome: 'applied' }),
      entry(4, { outcome: 'refused' }), // an entry from before write ids: its own
    ];
    const shown = filterEntries(entries, {});
    expect(shown.map((e) => [e.seq, e.outcome, e.corrected ?? false])).toEqual([
      [4, 'refused', false],
      [3, 'applied', true],
      [2, 'applied', false],
    ]);
    expect(filterEntries(entries, { outcome: 'applied' })).toHaveLength(2);
    expect(filterEntries(entries, { outcome: 'unknown' })).toHaveLength(0);
    const csv = auditCsv(shown)
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]!.split(',')).toContain('writeId');
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
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'time,supervisorId,supervisorName,conversationId,participantId,communicationId,media,codeId,codeName,notes,replace,outcome,status,errorCode,message,contextId,orgId,writeId,agentId,agentName,agentEmail,queueId,queueName,conversationStart',
    );
    expect(lines[1]).toContain("'=SUM(A1)");
    expect(lines[2]).toContain('refused,403,not.authorized,,ctx-abc');
  });

  it('carries the agent (id, name, email), the queue (id, name) and the conversation start; an older entry without them is still read, its name cells empty', () => {
    const named = entry(1, {
      ...sanitizeEntry({
        ...entry(1),
        agentId: 'u-ada',
        agentName: 'Ada Lovelace',
        agentEmail: 'ada@example.com',
        queueId: 'q-1',
        queueName: 'Billing',
        conversationStart: '2026-03-01T08:30:00.000Z',
      }),
    });
    const older = entry(2);
    const lines = auditCsv([named, older])
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const header = lines[0]!.split(',');
    const at = (line: string, col: string) => line.split(',')[header.indexOf(col)];
    expect(at(lines[1]!, 'agentName')).toBe('Ada Lovelace');
    expect(at(lines[1]!, 'agentEmail')).toBe('ada@example.com');
    expect(at(lines[1]!, 'agentId')).toBe('u-ada');
    expect(at(lines[1]!, 'queueName')).toBe('Billing');
    expect(at(lines[1]!, 'queueId')).toBe('q-1');
    expect(at(lines[1]!, 'conversationStart')).toBe('2026-03-01T08:30:00.000Z');
    expect(at(lines[1]!, 'conversationId')).toBe(named.conversationId);
    expect(at(lines[2]!, 'agentName')).toBe('');
    expect(at(lines[2]!, 'conversationId')).toBe(older.conversationId);
    // Search finds an entry by the agent's name or email and the queue's name.
    expect(filterEntries([named, older], { q: 'lovelace' }).map((e) => e.seq)).toEqual([1]);
    expect(filterEntries([named, older], { q: 'billing ada@example' }).map((e) => e.seq)).toEqual([1]);
  });

  it('sanitizeEntry keeps the names only as non-empty strings and the start only as a time', () => {
    const e = sanitizeEntry({ ...entry(1), agentName: '', agentEmail: 42 as unknown as string, queueName: 'Q', conversationStart: 'not a time' });
    expect(e).not.toHaveProperty('agentName');
    expect(e).not.toHaveProperty('agentEmail');
    expect(e).not.toHaveProperty('conversationStart');
    expect(e.queueName).toBe('Q');
  });

  it('no cell starts a formula when read with , or ; as separator (German Excel)', () => {
    const hostile = HOSTILE_CSV_TEXTS.map((t, i) => entry(i + 1, { supervisorName: t, codeName: t, notes: t, message: t, contextId: t, errorCode: t }));
    expect(formulaPieces(auditCsv(hostile))).toEqual([]);
  });
});

describe('the audit log belongs to one person (issue 16 item 5)', () => {
  const sam = { orgId: 'org-1', userId: 'u1' };
  const tess = { orgId: 'org-1', userId: 'u2' };
  // An entry stored before per-user logs: no orgId at all.
  const legacy = (seq: number, supervisorId: string): AuditEntry => {
    const { orgId: _drop, ...rest } = entry(seq, { supervisorId });
    void _drop;
    return rest as AuditEntry;
  };
  const log = [
    entry(1, { notes: 'sam 1' }),
    entry(2, { supervisorId: 'u2', supervisorName: 'Tess Teamlead', notes: 'tess private' }),
    entry(3, { orgId: 'org-2', notes: 'same user id in another org' }),
    legacy(4, 'u1'),
    legacy(5, ''),
    entry(6, { supervisorId: '', orgId: 'org-1' }),
  ];

  it('shows each person their own entries only, and their entries from before per-user logs', () => {
    const mine = ownEntries(log, sam);
    expect(mine.entries.map((e) => e.seq)).toEqual([1, 4]);
    expect(mine.entries.find((e) => e.seq === 4)?.orgId).toBe('');
    expect(ownEntries(log, tess).entries.map((e) => e.seq)).toEqual([2]);
    expect(ownEntries(log, { orgId: 'org-2', userId: 'u1' }).entries.map((e) => e.seq)).toEqual([3, 4]);
  });

  it('entries naming no one are counted, and shown to no one', () => {
    expect(ownEntries(log, sam).unowned).toBe(2);
    expect(ownEntries(log, tess).unowned).toBe(2);
    // Without a known user (still loading) nothing is shown.
    expect(ownEntries(log, { orgId: 'org-1', userId: '' }).entries).toEqual([]);
  });

  it("another person's notes never reach the CSV", () => {
    const csv = auditCsv(filterEntries(ownEntries(log, sam).entries, {}));
    expect(csv).toContain('sam 1');
    expect(csv).not.toContain('tess private');
    expect(csv).not.toContain('another org');
  });
});
