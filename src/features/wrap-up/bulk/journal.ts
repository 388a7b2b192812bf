/**
 * The job journal in IndexedDB (issue 7 item 4): every item's state is stored before and after
 * every call; an item is stored `in-flight` BEFORE its write goes out. After a reload or a crash
 * the runner reloads the job from here and treats `in-flight` items as unknown outcomes (re-read
 * before any retry, checklist #16 and #18).
 *
 * A small typed wrapper over the IndexedDB API (no library). Two object stores:
 * - `jobs`  (key `id`): the job record (code, notes, options, state, pause reason, counts);
 * - `items` (key `[jobId, key]`, index `byJob`): one record per item.
 * Nothing here holds a token (checklist #4).
 */
import type { BulkItem, BulkJob } from './model.ts';
import { idbDone, idbRequest } from '@/lib/idb.ts';

export interface StoredJob {
  job: BulkJob;
  items: BulkItem[];
}

export interface BulkJournal {
  /** Stores a new job with all its items (one transaction). */
  create(job: BulkJob, items: readonly BulkItem[]): Promise<void>;
  saveJob(job: BulkJob): Promise<void>;
  saveItem(jobId: string, item: BulkItem): Promise<void>;
  saveItems(jobId: string, items: readonly BulkItem[]): Promise<void>;
  /** The job and its items in plan order; undefined when unknown. */
  load(jobId: string): Promise<StoredJob | undefined>;
  /** Every job, newest first (the job history page). */
  listJobs(): Promise<BulkJob[]>;
  remove(jobId: string): Promise<void>;
}

export const JOURNAL_DB_NAME = 'wrapup-desk-bulk';
const DB_VERSION = 1;
const JOBS = 'jobs';
const ITEMS = 'items';

type ItemRecord = BulkItem & { jobId: string };

function openDb(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  const req = factory.open(name, DB_VERSION);
  req.onupgradeneeded = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains(JOBS)) db.createObjectStore(JOBS, { keyPath: 'id' });
    if (!db.objectStoreNames.contains(ITEMS)) {
      const items = db.createObjectStore(ITEMS, { keyPath: ['jobId', 'key'] });
      items.createIndex('byJob', 'jobId');
    }
  };
  return idbRequest(req);
}

/** Structured clone drops nothing we store, but keep records plain (no class instances, no functions). */
function record(jobId: string, item: BulkItem): ItemRecord {
  return { ...item, observed: { ...item.observed }, lastError: item.lastError ? { ...item.lastError } : null, jobId };
}

function fromRecord(r: ItemRecord): BulkItem {
  const { jobId: _jobId, ...item } = r;
  return item;
}

export class IdbJournal implements BulkJournal {
  private db: Promise<IDBDatabase> | undefined;

  constructor(
    private readonly factory: IDBFactory = globalThis.indexedDB,
    private readonly name: string = JOURNAL_DB_NAME,
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= openDb(this.factory, this.name);
    return this.db;
  }

  private async write(stores: string[], fn: (tx: IDBTransaction) => void): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(stores, 'readwrite');
    const finished = idbDone(tx);
    fn(tx);
    await finished;
  }

  create(job: BulkJob, items: readonly BulkItem[]): Promise<void> {
    return this.write([JOBS, ITEMS], (tx) => {
      tx.objectStore(JOBS).put(job);
      const store = tx.objectStore(ITEMS);
      for (const it of items) store.put(record(job.id, it));
    });
  }

  saveJob(job: BulkJob): Promise<void> {
    return this.write([JOBS], (tx) => void tx.objectStore(JOBS).put(job));
  }

  saveItem(jobId: string, item: BulkItem): Promise<void> {
    return this.write([ITEMS], (tx) => void tx.objectStore(ITEMS).put(record(jobId, item)));
  }

  saveItems(jobId: string, items: readonly BulkItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return this.write([ITEMS], (tx) => {
      const store = tx.objectStore(ITEMS);
      for (const it of items) store.put(record(jobId, it));
    });
  }

  async load(jobId: string): Promise<StoredJob | undefined> {
    const db = await this.open();
    const tx = db.transaction([JOBS, ITEMS], 'readonly');
    const [job, records] = await Promise.all([
      idbRequest(tx.objectStore(JOBS).get(jobId) as IDBRequest<BulkJob | undefined>),
      idbRequest(tx.objectStore(ITEMS).index('byJob').getAll(jobId) as IDBRequest<ItemRecord[]>),
    ]);
    if (!job) return undefined;
    return { job, items: records.map(fromRecord).sort((a, b) => a.seq - b.seq) };
  }

  async listJobs(): Promise<BulkJob[]> {
    const db = await this.open();
    const jobs = await idbRequest(db.transaction([JOBS], 'readonly').objectStore(JOBS).getAll() as IDBRequest<BulkJob[]>);
    return jobs.sort((a, b) => b.createdAt - a.createdAt);
  }

  async remove(jobId: string): Promise<void> {
    const db = await this.open();
    const keys = await idbRequest(db.transaction([ITEMS], 'readonly').objectStore(ITEMS).index('byJob').getAllKeys(jobId));
    await this.write([JOBS, ITEMS], (tx) => {
      tx.objectStore(JOBS).delete(jobId);
      const store = tx.objectStore(ITEMS);
      for (const k of keys) store.delete(k);
    });
  }

  /** Closes the connection (tests, sign-out). */
  async close(): Promise<void> {
    if (this.db) (await this.db).close();
    this.db = undefined;
  }
}
