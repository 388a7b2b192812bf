/**
 * The audit log's storage: a small typed wrapper over IndexedDB, append-only by construction (the
 * wrapper has no update or delete). One object store, auto-incremented keys in append order.
 */
import { sanitizeEntry, type AuditEntry, type AuditEntryInput } from './audit-entry.ts';
import { idbDone, idbRequest } from '@/lib/idb.ts';

export const AUDIT_DB_NAME = 'wrapup-desk-audit';
const DB_VERSION = 1;
const STORE = 'attempts';

export interface AuditDb {
  append(input: AuditEntryInput): Promise<AuditEntry>;
  /** Every entry in append order. */
  list(): Promise<AuditEntry[]>;
  close(): void;
}

export async function openAuditDb(factory: IDBFactory = indexedDB, name: string = AUDIT_DB_NAME): Promise<AuditDb> {
  const open = factory.open(name, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
  };
  const db = await idbRequest(open);
  return {
    async append(input) {
      const entry = sanitizeEntry(input);
      const tx = db.transaction(STORE, 'readwrite');
      const key = await idbRequest(tx.objectStore(STORE).add(entry));
      await idbDone(tx);
      return { ...entry, seq: Number(key) };
    },
    async list() {
      const tx = db.transaction(STORE, 'readonly');
      const all = (await idbRequest(tx.objectStore(STORE).getAll())) as AuditEntry[];
      return all;
    },
    close: () => db.close(),
  };
}
