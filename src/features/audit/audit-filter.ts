import { toCsv } from '@/lib/csv.ts';
import { AUDIT_OUTCOMES, type AuditEntry, type AuditOutcome } from './audit-entry.ts';
import type { AuditFilters } from './audit-search.ts';

export { auditSearchSchema, type AuditFilters } from './audit-search.ts';

const SEARCHED: (keyof AuditEntry)[] = ['supervisorName', 'supervisorId', 'conversationId', 'participantId', 'communicationId', 'codeId', 'codeName', 'notes', 'contextId', 'errorCode', 'message'];

/** Newest first; outcome must match; every word of `q` must appear in one of the text fields. */
export function filterEntries(entries: readonly AuditEntry[], filters: AuditFilters): AuditEntry[] {
  const words = (filters.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return entries
    .filter((e) => !filters.outcome || e.outcome === filters.outcome)
    .filter((e) => {
      if (words.length === 0) return true;
      const hay = SEARCHED.map((k) => String(e[k] ?? '')).join(' ').toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => b.seq - a.seq);
}

export const AUDIT_CSV_HEADER = [
  'time',
  'supervisorId',
  'supervisorName',
  'conversationId',
  'participantId',
  'communicationId',
  'media',
  'codeId',
  'codeName',
  'notes',
  'replace',
  'outcome',
  'status',
  'errorCode',
  'message',
  'contextId',
] as const satisfies readonly (keyof AuditEntry)[];

export function auditCsv(entries: readonly AuditEntry[]): string {
  return toCsv(
    AUDIT_CSV_HEADER,
    entries.map((e) => AUDIT_CSV_HEADER.map((k) => e[k])),
  );
}

export function isAuditOutcome(v: string): v is AuditOutcome {
  return (AUDIT_OUTCOMES as readonly string[]).includes(v);
}
