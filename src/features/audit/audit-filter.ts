import { toCsv } from '@/lib/csv.ts';
import { AUDIT_OUTCOMES, type AuditEntry, type AuditOutcome } from './audit-entry.ts';
import type { AuditFilters } from './audit-search.ts';

export { auditSearchSchema, type AuditFilters } from './audit-search.ts';

const SEARCHED: (keyof AuditEntry)[] = [
  'supervisorName',
  'supervisorId',
  'agentName',
  'agentEmail',
  'agentId',
  'queueName',
  'queueId',
  'conversationId',
  'participantId',
  'communicationId',
  'codeId',
  'codeName',
  'notes',
  'contextId',
  'errorCode',
  'message',
];

/**
 * The latest entry of each write (`writeId`) and every entry without one, in log order; `corrected`
 * marks a latest entry that replaced what was known before (e.g. unknown → applied after a crash).
 */
export function latestPerWrite(entries: readonly AuditEntry[]): (AuditEntry & { corrected?: true })[] {
  const last = new Map<string, AuditEntry>();
  const seen = new Map<string, number>();
  for (const e of entries) {
    if (!e.writeId) continue;
    const prev = last.get(e.writeId);
    if (!prev || e.seq > prev.seq) last.set(e.writeId, e);
    seen.set(e.writeId, (seen.get(e.writeId) ?? 0) + 1);
  }
  return entries.flatMap((e) => {
    if (!e.writeId) return [e];
    if (last.get(e.writeId) !== e) return [];
    return [(seen.get(e.writeId) ?? 0) > 1 ? { ...e, corrected: true as const } : e];
  });
}

/** Newest first; one entry per write (its latest); outcome must match; every word of `q` must appear in one of the text fields. */
export function filterEntries(entries: readonly AuditEntry[], filters: AuditFilters): (AuditEntry & { corrected?: true })[] {
  const words = (filters.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return latestPerWrite(entries)
    .filter((e) => !filters.outcome || e.outcome === filters.outcome)
    .filter((e) => {
      if (words.length === 0) return true;
      const hay = SEARCHED.map((k) => String(e[k] ?? ''))
        .join(' ')
        .toLowerCase();
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
  // Whose log it is (the supervisor columns name the person): '' for entries from before per-user logs.
  'orgId',
  // One write request; a later entry with the same id corrected an earlier one (only the latest is exported).
  'writeId',
  // Who and where by name (issue 16 item 3); empty for entries from before, or when not known at the write.
  'agentId',
  'agentName',
  'agentEmail',
  'queueId',
  'queueName',
  'conversationStart',
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
