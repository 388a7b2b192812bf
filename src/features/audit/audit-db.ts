/**
 * The audit log's storage: a small typed wrapper over IndexedDB, append-only by construction (the
 * wrapper has no update or delete). One object store, auto-incremented keys in append order.
 */
import { sanitizeEntry, type AuditEntry, type AuditEntryInput } from './audit-entry.ts';

export const AUDIT_DB_NAME = 'wrapup-desk-audit';
const DB_VERSION = 1;
const STORE = 'attempts';

export interface AuditDb {
  append(input: AuditEntryInput): Promise<AuditEntry>;
  /** Every entry in append order. */
  list(): Promise<AuditEntry[]>;
  close(): void;
}

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function openAuditDb(factory: IDBFactory = indexedDB, name: string = AUDIT_DB_NAME): Promise<AuditDb> {
  const open = factory.open(name, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
  };
  const db = await promised(open);
  return {
    async append(input) {
      const entry = sanitizeEntry(input);
      const tx = db.transaction(STORE, 'readwrite');
      const key = await promised(tx.objectStore(STORE).add(entry));
      await done(tx);
      return { ...entry, seq: Number(key) };
    },
    async list() {
      const tx = db.transaction(STORE, 'readonly');
      const all = (await promised(tx.objectStore(STORE).getAll())) as AuditEntry[];
      return all;
    },
    close: () => db.close(),
  };
}
