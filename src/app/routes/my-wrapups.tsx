import { useCallback } from 'react';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useCan, useRole } from '@/features/auth/auth-queries.ts';
import { MyWrapupsPage } from '@/features/conversations/my-wrapups-page.tsx';
import type { MySearch } from '@/features/conversations/my-filters.ts';
import type { MyItem } from '@/features/conversations/my-items.ts';

const routeApi = getRouteApi('/my');

/** The way into the one wrap-up form for one of the agent's own items: the media and communication go along. */
function applyLink(item: MyItem, label: string, text: string) {
  return (
    <Link
      to="/conversations/$conversationId/wrap-up"
      params={{ conversationId: item.row.id }}
      search={{
        participant: item.participant.participantId,
        ...(item.media ? { media: item.media } : {}),
        ...(item.communicationId ? { communication: item.communicationId } : {}),
      }}
      aria-label={label}
      className="my-apply"
    >
      {text}
    </Link>
  );
}

/**
 * `/my`: "My missing wrap-ups", composed with auth (who is signed in, may they write) and the
 * wrap-up form (where "Apply wrap-up" goes). Filters live in the URL.
 */
export function MyWrapupsRoute() {
  const { t } = useTranslation();
  const search = routeApi.useSearch();
  const navigate = useNavigate();
  const role = useRole();
  const canWrite = useCan('write');
  const onSearchChange = useCallback(
    (patch: Partial<MySearch>) => {
      void navigate({ from: '/my', to: '/my', search: (prev) => ({ ...prev, ...patch }), replace: Object.keys(patch).every((k) => k === 'status') });
    },
    [navigate],
  );
  if (!role) return <p role="status">{t('loading')}</p>;
  return (
    <MyWrapupsPage
      search={search}
      onSearchChange={onSearchChange}
      userId={role.userId}
      ownAnalytics={role.kind === 'supervisor' || role.ownAnalytics}
      canWrite={canWrite}
      renderApply={applyLink}
    />
  );
}
