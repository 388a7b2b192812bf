import { useMemo } from 'react';
import { getRouteApi } from '@tanstack/react-router';
import { useMe } from '@/features/auth/auth-queries.ts';
import { AuditPage } from '@/features/audit/audit-page.tsx';

const routeApi = getRouteApi('/audit');

/**
 * The Audit page, loaded on first use; its filters live in the URL (`?outcome=&q=`, schema in
 * audit-search.ts). The log is per person: the route tells the page who is signed in (org and user,
 * from auth), and the page shows that person's entries only.
 */
export function AuditRoute() {
  const filters = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const me = useMe();
  const userId = me.data?.id ?? '';
  const orgId = me.data?.organization?.id ?? '';
  const owner = useMemo(() => (userId ? { orgId, userId } : undefined), [orgId, userId]);
  return <AuditPage owner={owner} filters={filters} onFiltersChange={(search) => void navigate({ search, replace: true })} />;
}
