import { lazy, Suspense, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { getRouteApi, Link, Navigate, useNavigate } from '@tanstack/react-router';
import { useFeatureAccess, useRole } from '@/features/auth/auth-queries.ts';
import { WorklistPage } from '@/features/conversations/worklist-page.tsx';
import type { SearchPatch } from '@/features/conversations/filters-bar.tsx';
import type { WorklistTarget } from '@/features/conversations/worklist-rows.ts';
import type { TestWriteTarget } from '@/features/conversations/detail-panel.tsx';
import type { PanelTarget } from '@/features/conversations/next-missing.ts';
import { toBulkTargets } from './bulk-targets.ts';
import { usePlatformFacts } from '../use-platform-verdict.ts';
import { useNudgeSetup } from '../use-nudge-setup.ts';

const routeApi = getRouteApi('/conversations');

// The wrap-up form stack (react-hook-form, the resolver, the code picker) loads when the side panel first opens.
const WrapupPanelForm = lazy(() => import('./wrapup-panel-form.tsx').then((m) => ({ default: m.WrapupPanelForm })));

/** The detail panel's way into the platform check's write probe, for one communication. */
function testWriteLink(target: TestWriteTarget, label: string) {
  return (
    <Link to="/platform-check" search={target} className="detail-test-write">
      {label}
    </Link>
  );
}

/**
 * The worklist, composed with auth (what the user may do) and the wrap-up form (where "Apply
 * wrap-up" goes). Filters live in the URL; every change is a history entry, so Back undoes it.
 */
export function ConversationsRoute() {
  const search = routeApi.useSearch();
  const navigate = useNavigate();
  const access = useFeatureAccess();
  const role = useRole();
  const platform = usePlatformFacts();
  const nudge = useNudgeSetup(platform, access?.write.allowed);
  const onSearchChange = useCallback(
    (patch: SearchPatch) => {
      // Sorting, opening a conversation and typing in "Find agent" (a keystroke each) replace the
      // entry; the other filters add one.
      const replace = Object.keys(patch).every((k) => k === 'sort' || k === 'desc' || k === 'open' || k === 'find');
      void navigate({ from: '/conversations', to: '/conversations', search: (prev) => ({ ...prev, ...patch }), replace });
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
      // The selection travels in the new history entry's state (see bulk-targets.ts).
      void navigate({ to: '/bulk', search: { from: 'worklist' }, state: { bulkTargets: toBulkTargets(targets) } });
    },
    [navigate],
  );
  // The side panel's form (issue 16 item 1): the wrap-up feature's one form, composed here; a new
  // participant is a new form.
  const { t } = useTranslation('conversations');
  const renderApplyForm = useCallback(
    (target: PanelTarget, onSavedAndNext: () => void) => (
      <Suspense fallback={<p role="status">{t('apply.loadingForm')}</p>}>
        <WrapupPanelForm
          key={`${target.conversationId}/${target.participantId}`}
          conversationId={target.conversationId}
          participantId={target.participantId}
          onSavedAndNext={onSavedAndNext}
        />
      </Suspense>
    ),
    [t],
  );
  // An agent (no org-wide analytics) has no worklist: their own missing wrap-ups are the page for them.
  if (role?.kind === 'agent') return <Navigate to="/my" replace />;
  return (
    <WorklistPage
      search={search}
      onSearchChange={onSearchChange}
      canView={access?.worklist.allowed}
      canViewDetails={access?.details.allowed}
      canWrite={access?.write.allowed}
      onApplyWrapup={onApplyWrapup}
      onStartBulk={onStartBulk}
      refusal={platform?.refusal ?? null}
      nudge={nudge}
      renderTestWriteLink={testWriteLink}
      renderApplyForm={renderApplyForm}
    />
  );
}
