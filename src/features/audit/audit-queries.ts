import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { AuditEntryInput } from './audit-entry.ts';
import { listWriteAttempts, recordWriteAttempt } from './audit-log.ts';

export const auditQueries = {
  all: () => ['audit'] as const,
  list: () => queryOptions({ queryKey: [...auditQueries.all(), 'list'] as const, queryFn: listWriteAttempts, staleTime: 0 }),
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
