import { IDBFactory } from 'fake-indexeddb';
import { openAuditDb } from './audit-db.ts';
import type { AuditEntryInput } from './audit-entry.ts';

const input = (over: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  time: '2026-01-02T03:04:05.000Z',
  orgId: 'org-1',
  supervisorId: 'u-sup',
  supervisorName: 'Sam Supervisor',
  conversationId: 'c1',
  participantId: 'p1',
  communicationId: 'm1',
  media: 'calls',
  codeId: 'w1',
  codeName: 'Sale',
  notes: 'n',
  replace: false,
  outcome: 'applied',
  status: 202,
  errorCode: null,
  message: null,
  contextId: null,
  ...over,
});

describe('audit db (IndexedDB)', () => {
  it('appends in order and survives reopening', async () => {
    const factory = new IDBFactory();
    const db = await openAuditDb(factory, 'audit-test');
    const a = await db.append(input());
    const b = await db.append(input({ outcome: 'refused', status: 403, errorCode: 'not.authorized', contextId: 'ctx-9' }));
    expect(b.seq).toBeGreaterThan(a.seq);
    db.close();
    const again = await openAuditDb(factory, 'audit-test');
    const all = await again.list();
    expect(all.map((e) => [e.seq, e.outcome, e.contextId])).toEqual([
      [a.seq, 'applied', null],
      [b.seq, 'refused', 'ctx-9'],
    ]);
    again.close();
  });

  it('stores only the audit fields: a token passed by mistake is never written', async () => {
    const db = await openAuditDb(new IDBFactory(), 'audit-token');
    const leaky = { ...input(), accessToken: 'secret-token', authorization: 'Bearer secret-token' } as AuditEntryInput;
    await db.append(leaky);
    const [stored] = await db.list();
    expect(JSON.stringify(stored)).not.toContain('secret-token');
    expect(Object.keys(stored ?? {}).sort()).toEqual(
      [
        'codeId',
        'codeName',
        'communicationId',
        'contextId',
        'conversationId',
        'errorCode',
        'media',
        'method',
        'message',
        'notes',
        'orgId',
        'outcome',
        'participantId',
        'replace',
        'seq',
        'status',
        'supervisorId',
        'supervisorName',
        'time',
      ].sort(),
    );
    db.close();
  });

  it('offers no way to change or delete entries', async () => {
    const db = await openAuditDb(new IDBFactory(), 'audit-api');
    expect(Object.keys(db).sort()).toEqual(['append', 'close', 'list']);
    db.close();
  });
});
