import { IDBFactory } from 'fake-indexeddb';
import { IdbJournal, JournalWipedError } from './journal.ts';
import { countItems, type BulkItem, type BulkJob } from './model.ts';
import { drive } from './test-support.ts';
import { simHarness } from './sim-harness.ts';

function item(n: number, over: Partial<BulkItem> = {}): BulkItem {
  return {
    key: `c${n}/p${n}/m${n}`,
    seq: n,
    conversationId: `c${n}`,
    participantId: `p${n}`,
    communicationId: `m${n}`,
    mediaType: 'voice',
    media: 'calls',
    queueId: 'q1',
    userId: 'u1',
    observed: { status: 'missing', codeId: null, at: 1 },
    plannedCode: null,
    status: 'pending',
    reason: null,
    message: null,
    attempts: 0,
    sends: 0,
    readFailures: 0,
    unknownOutcome: false,
    recheck: false,
    lastError: null,
    notBefore: 0,
    updatedAt: 1,
    ...over,
  };
}

function job(id: string, createdAt: number, items: BulkItem[]): BulkJob {
  return {
    id,
    createdAt,
    code: { id: 'sale', name: 'Sale' },
    notes: '',
    options: { replaceExisting: false, includeSystemCoded: false, verify: 'batched' },
    state: 'ready',
    pause: null,
    counts: countItems(items),
    updatedAt: createdAt,
  };
}

describe('IdbJournal', () => {
  it('stores a job with its items, updates items one by one or together, and reads them back in plan order', async () => {
    const factory = new IDBFactory();
    const j = new IdbJournal(factory, 'test');
    const items = [item(2), item(0), item(1)];
    await j.create(job('a', 10, items), items);
    await j.saveItem('a', item(1, { status: 'in-flight', attempts: 1 }));
    await j.saveItems('a', [item(0, { status: 'applied', attempts: 1, lastError: { status: 503, code: 'x', message: 'm', contextId: 'ctx' } })]);
    // Another connection (a reloaded tab) sees what was stored.
    const other = new IdbJournal(factory, 'test');
    const stored = (await other.load('a'))!;
    expect(stored.items.map((i) => [i.key, i.status])).toEqual([
      ['c0/p0/m0', 'applied'],
      ['c1/p1/m1', 'in-flight'],
      ['c2/p2/m2', 'pending'],
    ]);
    expect(stored.items[0]!.lastError).toEqual({ status: 503, code: 'x', message: 'm', contextId: 'ctx' });
    expect(stored.items[0]).not.toHaveProperty('jobId');
    expect(stored.job.id).toBe('a');
    await j.close();
    await other.close();
  });

  it('keeps jobs apart, lists them newest first, and removes one with its items', async () => {
    const j = new IdbJournal(new IDBFactory(), 'test');
    await j.create(job('old', 1, [item(0)]), [item(0)]);
    await j.create(job('new', 2, [item(0), item(1)]), [item(0), item(1)]);
    await j.saveJob({ ...job('new', 2, []), state: 'paused', pause: { kind: 'rate-limited', until: 99 } });
    expect((await j.listJobs()).map((x) => [x.id, x.state])).toEqual([
      ['new', 'paused'],
      ['old', 'ready'],
    ]);
    expect((await j.load('new'))!.items).toHaveLength(2);
    await j.remove('new');
    expect(await j.load('new')).toBeUndefined();
    expect((await j.load('old'))!.items).toHaveLength(1);
    await j.close();
  });

  it('reopens a connection that was closed under it (Resume can succeed), with nothing lost', async () => {
    const factory = new IDBFactory();
    const j = new IdbJournal(factory, 'closed');
    await j.create(job('a', 1, [item(0), item(1)]), [item(0), item(1)]);
    // What the browser does to a connection it closes on its own: every transaction on it throws InvalidStateError.
    await (j as unknown as { db: Promise<IDBDatabase> }).db.then((db) => db.close());
    await j.saveItem('a', item(1, { status: 'applied', attempts: 1 }));
    expect((await j.load('a'))!.items.map((i) => i.status)).toEqual(['pending', 'applied']);
    expect(j.lost).toBe(false);
    await j.close();
  });

  it('a journal deleted under a running job (site data cleared) is reopened, says it lost the job, and refuses to pretend', async () => {
    const factory = new IDBFactory();
    const j = new IdbJournal(factory, 'wiped');
    await j.create(job('a', 1, [item(0), item(1)]), [item(0), item(1)]);
    // Deleting the database asks open connections to close (versionchange); the journal lets it go.
    await new Promise<void>((resolve, reject) => {
      const req = factory.deleteDatabase('wiped');
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error ?? new Error('delete failed'));
      req.onblocked = () => reject(new Error('the journal kept the database open'));
    });
    await expect(j.saveItem('a', item(1, { status: 'applied' }))).rejects.toBeInstanceOf(JournalWipedError);
    await expect(j.saveJob({ ...job('a', 1, []), state: 'paused' })).rejects.toBeInstanceOf(JournalWipedError);
    expect(j.lost).toBe(true);
    expect(await j.load('a')).toBeUndefined();
    // The journal works again for new jobs.
    await j.create(job('b', 2, [item(0)]), [item(0)]);
    expect((await j.load('b'))!.items).toHaveLength(1);
    await j.close();
  });

  it('a running job whose connection is closed under it goes on (the journal reopens it): done, each item written once', async () => {
    const journal = new IdbJournal(new IDBFactory(), 'runner');
    const h = await simHarness({ items: 12, budget: 6, journal });
    await h.runner.start();
    await drive(h.clock, () => h.runner.getProgress().counts.applied >= 3, { journal: h.journal });
    await (journal as unknown as { db: Promise<IDBDatabase> }).db.then((db) => db.close());
    await drive(h.clock, () => ['done', 'paused'].includes(h.runner.getProgress().state), { journal: h.journal });
    expect(h.runner.getProgress()).toMatchObject({ state: 'done', pause: null, counts: { applied: 12, failed: 0 } });
    for (const key of h.keys) expect(h.landed(key)).toHaveLength(1);
    expect((await journal.load('job-1'))!.items.every((i) => i.status === 'applied')).toBe(true);
  });
});
