import { getRouteApi } from '@tanstack/react-router';
import { AuditPage } from '@/features/audit/audit-page.tsx';

const routeApi = getRouteApi('/audit');

/** The Audit page, loaded on first use; its filters live in the URL (`?outcome=&q=`, schema in audit-search.ts). */
export function AuditRoute() {
  const filters = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  return <AuditPage filters={filters} onFiltersChange={(search) => void navigate({ search, replace: true })} />;
}
