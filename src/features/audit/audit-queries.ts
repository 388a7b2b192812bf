import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ownEntries, type AuditEntryInput, type AuditOwner } from './audit-entry.ts';
import { listWriteAttempts, recordWriteAttempt } from './audit-log.ts';

export const auditQueries = {
  all: () => ['audit'] as const,
  /** One person's entries (and the count of entries that name no one): the owner is in the key. */
  list: ({ orgId, userId }: AuditOwner) =>
    queryOptions({
      queryKey: [...auditQueries.all(), 'list', orgId, userId] as const,
      queryFn: async () => ownEntries(await listWriteAttempts(), { orgId, userId }),
      staleTime: 0,
    }),
};

/** Appends an attempt and refreshes the Audit page's list. */
export function useRecordWriteAttempt() {
  const queryClient = useQueryClient();
  return useCallback(
    async (input: AuditEntryInput) => {
      const entry = await recordWriteAttempt(input);
      await queryClient.invalidateQueries({ queryKey: auditQueries.all() });
      return entry;
    },
    [queryClient],
  );
}
