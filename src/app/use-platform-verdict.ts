/**
 * The platform check's verdict for the signed-in user on their org (issue 15), for the routes that
 * act on it: the write method of the single form and bulk jobs, and the items the platform refuses.
 * Lives in the app layer: it needs who is signed in (auth) and hands plain facts to the features.
 */
import { useQuery } from '@tanstack/react-query';
import { useMe } from '@/features/auth/auth-queries.ts';
import { loadVerdict, refusalRule, verdictQueryKey, writeMethodOf, type PlatformVerdict, type RefusalRule, type WriteMethod } from '@/lib/platform-verdict.ts';

export interface PlatformFacts {
  method: WriteMethod;
  /** When the PATCH was learned (ISO); null for the default POST. */
  methodLearnedAt: string | null;
  refusal: RefusalRule | null;
  verdict: PlatformVerdict | null;
}

export function factsOf(verdict: PlatformVerdict | null): PlatformFacts {
  const method = writeMethodOf(verdict);
  const patch = method === 'patch' ? verdict?.attempts.find((a) => a.method === 'patch' && a.outcome === 'applied') : undefined;
  return { method, methodLearnedAt: patch?.at ?? null, refusal: refusalRule(verdict), verdict };
}

/** Undefined while "me" or the verdict load; then the facts (the defaults when nothing was learned). */
export function usePlatformFacts(): PlatformFacts | undefined {
  const me = useMe();
  const orgId = me.data?.organization?.id ?? '';
  const userId = me.data?.id ?? '';
  const q = useQuery({
    queryKey: verdictQueryKey(orgId, userId),
    queryFn: () => loadVerdict(orgId, userId),
    enabled: orgId !== '' && userId !== '',
    staleTime: 0,
  });
  if (!q.data && q.isPending) return me.isError ? factsOf(null) : undefined;
  return factsOf(q.data ?? null);
}
