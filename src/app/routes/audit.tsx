import { AuditPage } from '@/features/audit/audit-page.tsx';
import type { AuditFilters } from '@/features/audit/audit-filter.ts';

export { auditSearchSchema } from '@/features/audit/audit-filter.ts';

/** The Audit page; its filters live in the URL (`?outcome=&q=`). */
export function AuditRoute({ filters, onFiltersChange }: { filters: AuditFilters; onFiltersChange: (f: AuditFilters) => void }) {
  return <AuditPage filters={filters} onFiltersChange={onFiltersChange} />;
}
