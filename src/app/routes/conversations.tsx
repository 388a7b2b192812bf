import { useCallback } from 'react';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useFeatureAccess } from '@/features/auth/auth-queries.ts';
import { WorklistPage } from '@/features/conversations/worklist-page.tsx';
import type { SearchPatch } from '@/features/conversations/filters-bar.tsx';
import type { WorklistTarget } from '@/features/conversations/worklist-rows.ts';
import { handOffToBulk } from './bulk-handoff.ts';

const routeApi = getRouteApi('/conversations');

/**
 * The worklist, composed with auth (what the user may do) and the wrap-up form (where "Apply
 * wrap-up" goes). Filters live in the URL; every change is a history entry, so Back undoes it.
 */
export function ConversationsRoute() {
  const search = routeApi.useSearch();
  const navigate = useNavigate();
  const access = useFeatureAccess();
  const onSearchChange = useCallback(
    (patch: SearchPatch) => {
      // Sorting and opening a conversation replace the entry; filters add one.
      const replace = Object.keys(patch).every((k) => k === 'sort' || k === 'desc' || k === 'open');
      void navigate({ to: '/conversations', search: (prev) => ({ ...prev, ...patch }), replace });
    },
    [navigate],
  );
  const onApplyWrapup = useCallback(
    (conversationId: string, participantId: string) => {
      void navigate({ to: '/conversations/$conversationId/wrap-up', params: { conversationId }, search: { participant: participantId } });
    },
    [navigate],
  );
  const onStartBulk = useCallback(
    (targets: WorklistTarget[]) => {
      handOffToBulk(targets);
      void navigate({ to: '/bulk', search: { job: '' } });
    },
    [navigate],
  );
  return (
    <WorklistPage
      search={search}
      onSearchChange={onSearchChange}
      canView={access?.worklist.allowed}
      canViewDetails={access?.details.allowed}
      canWrite={access?.write.allowed}
      onApplyWrapup={onApplyWrapup}
      onStartBulk={onStartBulk}
    />
  );
}
