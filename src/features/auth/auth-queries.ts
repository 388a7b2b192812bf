import { queryOptions, useQuery } from '@tanstack/react-query';
import { getMe } from '@/lib/genesys/api.ts';
import { featureAccess, roleOf, type Feature, type UserRole } from './permissions.ts';
import { useSessionGeneration, useSessionStatus } from './session-store.ts';

export const authQueries = {
  all: () => ['auth'] as const,
  /** Keyed on the sign-in generation: a new token reads "me" again. */
  me: (generation: number) =>
    queryOptions({ queryKey: [...authQueries.all(), 'me', generation] as const, queryFn: ({ signal }) => getMe({ signal }), staleTime: Infinity }),
};

export function useMe() {
  const generation = useSessionGeneration();
  const status = useSessionStatus();
  return useQuery({ ...authQueries.me(generation), enabled: status === 'signedIn' && generation > 0 });
}

/** What the signed-in user may do; undefined while "me" is loading. */
export function useFeatureAccess() {
  const me = useMe();
  const permissions = me.data?.authorization?.permissions;
  return permissions ? featureAccess(permissions) : undefined;
}

export function useCan(feature: Feature): boolean | undefined {
  return useFeatureAccess()?.[feature].allowed;
}

/** Supervisor or agent (and whether the agent has analytics), with the user's id; undefined while "me" loads. */
export function useRole(): (UserRole & { userId: string }) | undefined {
  const me = useMe();
  const permissions = me.data?.authorization?.permissions;
  const userId = me.data?.id;
  return permissions && userId ? { ...roleOf(permissions), userId } : undefined;
}
