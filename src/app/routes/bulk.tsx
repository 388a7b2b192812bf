import { useCallback, useEffect, useMemo } from 'react';
import { getRouteApi, Link, useLocation } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showToast } from '@/components/ui/toast-store.ts';
import { useCan, useMe } from '@/features/auth/auth-queries.ts';
import { onSessionEvent } from '@/features/auth/session-store.ts';
import { useRecordWriteAttempt } from '@/features/audit/audit-queries.ts';
import type { AuditOutcome } from '@/features/audit/audit-entry.ts';
import { conversationQueries } from '@/features/conversations/conversation-queries.ts';
import { BulkPage } from '@/features/wrap-up/bulk/bulk-page.tsx';
import { bulkQueries } from '@/features/wrap-up/bulk/bulk-queries.ts';
import type { WriteEvent } from '@/features/wrap-up/bulk/runner.ts';
import { useBulkService } from '@/features/wrap-up/bulk/use-bulk-job.ts';
import { namedFieldsOf } from '@/features/wrap-up/bulk/item-names.ts';
import { selectionFromState } from './bulk-targets.ts';
import { auditOutcomeOf } from '@/lib/genesys/write-outcome.ts';
import { usePlatformFacts } from '../use-platform-verdict.ts';

const routeApi = getRouteApi('/bulk');

/** The audit log's outcome for one bulk write: the one classification of a failed write. */
function auditOutcome(e: WriteEvent): AuditOutcome {
  const err = e.error;
  if (!err) return 'applied';
  // Every error the runner reports carries its class; without one (never for a fresh write) the safe side.
  return auditOutcomeOf(err.class ?? 'unknown');
}

/**
 * Composes the bulk feature with auth (session events, who writes, may they), the audit log (one
 * entry per write sent), the worklist (its selection in the history state, see bulk-targets.ts;
 * its queries, read again once a job ended). The features do not import each other. Loaded on first
 * use (router.tsx): the planner, runner and notification watch come with it.
 */
export function BulkRoute() {
  const { job, from } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const jobId = job ?? '';
  const { t } = useTranslation('bulk');
  const canWrite = useCan('write');
  const me = useMe();
  const record = useRecordWriteAttempt();
  const queryClient = useQueryClient();
  const bulk = useBulkService();
  const supervisorId = me.data?.id ?? '';
  const supervisorName = me.data?.name ?? '';
  const orgId = me.data?.organization?.id ?? '';
  const targets = useLocation({ select: (l) => l.state.bulkTargets });
  const selection = useMemo(() => selectionFromState(targets), [targets]);

  useEffect(() => {
    bulk.connect({
      session: { subscribe: onSessionEvent },
      onWrite: (e) => {
        record({
          time: new Date(e.at).toISOString(),
          orgId,
          supervisorId,
          supervisorName,
          conversationId: e.item.conversationId,
          participantId: e.item.participantId,
          communicationId: e.item.communicationId,
          media: e.item.media ?? e.item.mediaType,
          // Who and where by name, as the job's item knows them (older journals: the ids only).
          ...namedFieldsOf(e.item),
          codeId: e.code.id,
          codeName: e.code.name,
          notes: e.notes,
          replace: e.replace,
          method: e.method,
          outcome: auditOutcome(e),
          status: e.error ? (e.error.status > 0 ? e.error.status : null) : 202,
          errorCode: e.error?.code ?? null,
          message: e.resolved ? t('audit.resolved') : (e.error?.message ?? null),
          contextId: e.error?.contextId ?? null,
          // One write request of the job: a later "found applied" (`resolved`) corrects its first entry.
          writeId: `${e.jobId}/${e.item.key}/${e.item.sends}`,
        }).catch((err: unknown) => showToast({ kind: 'error', title: t('audit.recordFailed', { error: err instanceof Error ? err.message : String(err) }) }));
      },
      // The job wrote wrap-ups: the worklist (and My wrap-ups) read the platform again when shown.
      onJobEnded: () => {
        void queryClient.invalidateQueries({ queryKey: conversationQueries.lists() });
        void queryClient.invalidateQueries({ queryKey: bulkQueries.jobsKey() });
      },
      onJobsChanged: () => void queryClient.invalidateQueries({ queryKey: bulkQueries.jobsKey() }),
    });
  }, [bulk, queryClient, record, orgId, supervisorId, supervisorName, t]);

  const open = useCallback(
    (id: string | null) => {
      // Once a job exists, the worklist's selection is used up: the job replaces the preview's
      // history entry, so Back leads to the worklist, not to a second preview of the same targets.
      void navigate({ search: id ? { job: id } : {}, replace: id !== null && !jobId && selection !== null });
    },
    [navigate, jobId, selection],
  );

  // The preview waits for the platform check's verdict: a job must not start with the wrong method.
  const platform = usePlatformFacts();
  return (
    <BulkPage
      jobId={jobId || null}
      selection={jobId ? null : selection}
      canWrite={platform ? canWrite : undefined}
      onOpenJob={open}
      {...(platform ? { platform } : {})}
      // Opened from the worklist, but its selection is gone: a reload signs in again by redirect,
      // which loses the history state (bulk-targets.ts). Say so instead of showing a bare import.
      notice={
        !jobId && from === 'worklist' && selection === null ? (
          <p role="status" className="bulk-warning">
            {t('handoffLost.text')} <Link to="/conversations">{t('handoffLost.back')}</Link>
          </p>
        ) : null
      }
    />
  );
}
