import { useCallback, useEffect, useState } from 'react';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { showToast } from '@/components/ui/toast-store.ts';
import { useCan, useMe } from '@/features/auth/auth-queries.ts';
import { onSessionEvent } from '@/features/auth/session-store.ts';
import { useRecordWriteAttempt } from '@/features/audit/audit-queries.ts';
import type { AuditOutcome } from '@/features/audit/audit-entry.ts';
import { BulkPage } from '@/features/wrap-up/bulk/bulk-page.tsx';
import type { WriteEvent } from '@/features/wrap-up/bulk/runner.ts';
import { configureBulk } from '@/features/wrap-up/bulk/use-bulk-job.ts';
import { clearHandoff, peekHandoff } from './bulk-handoff.ts';
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
 * entry per write sent) and the worklist hand-off. The features do not import each other. Loaded
 * on first use (router.tsx): the planner, runner and notification watch come with it.
 */
export function BulkRoute() {
  const { job } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const jobId = job ?? '';
  const { t } = useTranslation('bulk');
  const canWrite = useCan('write');
  const me = useMe();
  const record = useRecordWriteAttempt();
  const supervisorId = me.data?.id ?? '';
  const supervisorName = me.data?.name ?? '';
  const orgId = me.data?.organization?.id ?? '';
  const [selection, setSelection] = useState(peekHandoff);

  useEffect(() => {
    configureBulk({
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
    });
  }, [record, orgId, supervisorId, supervisorName, t]);

  const open = useCallback(
    (id: string | null) => {
      // Once a job exists (or the user went back), the worklist's hand-off is used up.
      clearHandoff();
      setSelection(null);
      void navigate({ search: id ? { job: id } : {} });
    },
    [navigate],
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
    />
  );
}
