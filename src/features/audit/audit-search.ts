import { oneOf, searchRecord, text, withoutUndefined } from '@/lib/search-params.ts';
import { AUDIT_OUTCOMES, type AuditOutcome } from './audit-entry.ts';

/**
 * The Audit page's filters, kept in the URL; anything malformed falls back to "no filter". In a
 * file of its own (and without zod, see lib/search-params.ts): the router validates the URL before
 * the Audit page's code is loaded.
 */
export interface AuditFilters {
  outcome?: AuditOutcome;
  q?: string;
}

export function parseAuditSearch(raw: unknown): AuditFilters {
  const s = searchRecord(raw);
  return withoutUndefined({ outcome: oneOf(AUDIT_OUTCOMES, s.outcome), q: text(s.q, { max: 200 }) });
}

/** zod's calling convention (`.parse`), as the tests used it. */
export const auditSearchSchema = { parse: parseAuditSearch };
