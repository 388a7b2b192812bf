/**
 * The app's audit log (issue 6 item 6): every wrap-up write attempt, kept in this browser's
 * IndexedDB. Other features never import this: the route passes `recordWriteAttempt` down as a
 * callback.
 */
import { openAuditDb, type AuditDb } from './audit-db.ts';
import type { AuditEntry, AuditEntryInput } from './audit-entry.ts';

let db: Promise<AuditDb> | undefined;

function auditDb(): Promise<AuditDb> {
  db ??= openAuditDb().catch((e: unknown) => {
    db = undefined; // let the next attempt try again
    throw e;
  });
  return db;
}

/** Resolves once the log is open (rejects where IndexedDB is unavailable): a write may only go out then. */
export async function auditLogReady(): Promise<void> {
  await auditDb();
}

export async function recordWriteAttempt(input: AuditEntryInput): Promise<AuditEntry> {
  return (await auditDb()).append(input);
}

export async function listWriteAttempts(): Promise<AuditEntry[]> {
  return (await auditDb()).list();
}
