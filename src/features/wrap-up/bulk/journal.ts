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
 *
 * The connection is not trusted to stay open: the browser closes it when site data is cleared
 * (`close`), another tab may ask for it (`versionchange`), and a closed one makes every transaction
 * throw `InvalidStateError`. Each of these drops the cached connection and the next call opens a
 * new one. If that open has to create the database again, it was deleted under us: the jobs it held
 * are gone (`lost`), and writes for such a job fail with `JournalWipedError` instead of quietly
 * journaling a fragment of it.
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

/** The job's journal was deleted while this page used it (site data cleared): its state is unknown here. */
export class JournalWipedError extends Error {
  constructor(readonly jobId: string) {
    super(`The job journal in this browser was deleted (site data cleared?) while job ${jobId} ran.`);
    this.name = 'JournalWipedError';
  }
}

export const JOURNAL_DB_NAME = 'wrapup-desk-bulk';
const DB_VERSION = 1;
const JOBS = 'jobs';
const ITEMS = 'items';

type ItemRecord = BulkItem & { jobId: string };

function openDb(factory: IDBFactory, name: string, onCreate: () => void): Promise<IDBDatabase> {
  const req = factory.open(name, DB_VERSION);
  req.onupgradeneeded = (e) => {
    if (e.oldVersion === 0) onCreate();
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

function isInvalidState(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'InvalidStateError';
}

export class IdbJournal implements BulkJournal {
  private db: Promise<IDBDatabase> | undefined;
  /** A connection was open before: a later open that creates the database means it was deleted. */
  private opened = false;
  private wiped = false;

  constructor(
    private readonly factory: IDBFactory = globalThis.indexedDB,
    private readonly name: string = JOURNAL_DB_NAME,
  ) {}

  /** True once the database was deleted under this journal: the jobs it held before are gone. */
  get lost(): boolean {
    return this.wiped;
  }

  private open(): Promise<IDBDatabase> {
    if (this.db) return this.db;
    const opening = openDb(this.factory, this.name, () => {
      if (this.opened) this.wiped = true;
    }).then(
      (db) => {
        this.opened = true;
        db.onclose = () => this.forget(opening);
        db.onversionchange = () => {
          db.close();
          this.forget(opening);
        };
        return db;
      },
      (e: unknown) => {
        this.forget(opening); // the next call tries again
        throw e;
      },
    );
    this.db = opening;
    return opening;
  }

  private forget(connection: Promise<IDBDatabase>): void {
    if (this.db === connection) this.db = undefined;
  }

  /** A transaction; a connection found closed is dropped and the transaction tried once on a new one. */
  private async transaction(stores: string[], mode: IDBTransactionMode): Promise<IDBTransaction> {
    const connection = this.open();
    try {
      return (await connection).transaction(stores, mode);
    } catch (e) {
      if (!isInvalidState(e)) throw e;
      this.forget(connection);
      return (await this.open()).transaction(stores, mode);
    }
  }

  private async write(stores: string[], fn: (tx: IDBTransaction) => void): Promise<void> {
    const tx = await this.transaction(stores, 'readwrite');
    const finished = idbDone(tx);
    fn(tx);
    await finished;
  }

  /**
   * A write for an existing job. After the database was deleted under us, only if the job is still
   * (again) there: otherwise `JournalWipedError`, since a fragment of the job is not its journal.
   */
  private async writeJob(jobId: string, stores: string[], fn: (tx: IDBTransaction) => void): Promise<void> {
    await this.open(); // may find the database deleted (and create it again): `wiped` is known after it
    if (!this.wiped) return this.write(stores, fn);
    const tx = await this.transaction([...new Set([JOBS, ...stores])], 'readwrite');
    const finished = idbDone(tx);
    const found = await idbRequest(tx.objectStore(JOBS).count(jobId));
    if (found === 0) {
      tx.abort();
      await finished.catch(() => undefined);
      throw new JournalWipedError(jobId);
    }
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
    return this.writeJob(job.id, [JOBS], (tx) => void tx.objectStore(JOBS).put(job));
  }

  saveItem(jobId: string, item: BulkItem): Promise<void> {
    return this.writeJob(jobId, [ITEMS], (tx) => void tx.objectStore(ITEMS).put(record(jobId, item)));
  }

  saveItems(jobId: string, items: readonly BulkItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return this.writeJob(jobId, [ITEMS], (tx) => {
      const store = tx.objectStore(ITEMS);
      for (const it of items) store.put(record(jobId, it));
    });
  }

  async load(jobId: string): Promise<StoredJob | undefined> {
    const tx = await this.transaction([JOBS, ITEMS], 'readonly');
    const [job, records] = await Promise.all([
      idbRequest(tx.objectStore(JOBS).get(jobId) as IDBRequest<BulkJob | undefined>),
      idbRequest(tx.objectStore(ITEMS).index('byJob').getAll(jobId) as IDBRequest<ItemRecord[]>),
    ]);
    if (!job) return undefined;
    return { job, items: records.map(fromRecord).sort((a, b) => a.seq - b.seq) };
  }

  async listJobs(): Promise<BulkJob[]> {
    const tx = await this.transaction([JOBS], 'readonly');
    const jobs = await idbRequest(tx.objectStore(JOBS).getAll() as IDBRequest<BulkJob[]>);
    return jobs.sort((a, b) => b.createdAt - a.createdAt);
  }

  async remove(jobId: string): Promise<void> {
    const tx = await this.transaction([ITEMS], 'readonly');
    const keys = await idbRequest(tx.objectStore(ITEMS).index('byJob').getAllKeys(jobId));
    await this.write([JOBS, ITEMS], (tx) => {
      tx.objectStore(JOBS).delete(jobId);
      const store = tx.objectStore(ITEMS);
      for (const k of keys) store.delete(k);
    });
  }

  /** Closes the connection (tests, sign-out). */
  async close(): Promise<void> {
    const connection = this.db;
    this.db = undefined;
    if (connection) (await connection.catch(() => undefined))?.close();
  }
}
