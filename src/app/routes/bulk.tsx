import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from '@/lib/zod.ts';
import { showToast } from '@/components/ui/toast-store.ts';
import { useCan, useMe } from '@/features/auth/auth-queries.ts';
import { onSessionEvent } from '@/features/auth/session-store.ts';
import { useRecordWriteAttempt } from '@/features/audit/audit-queries.ts';
import type { AuditOutcome } from '@/features/audit/audit-entry.ts';
import type { WorklistTarget } from '@/features/conversations/worklist-rows.ts';
import { BulkPage } from '@/features/wrap-up/bulk/bulk-page.tsx';
import type { SelectionEntry } from '@/features/wrap-up/bulk/planner.ts';
import type { WriteEvent } from '@/features/wrap-up/bulk/runner.ts';
import { configureBulk } from '@/features/wrap-up/bulk/use-bulk-job.ts';

/** `?job=<id>`: the job shown; anything malformed means none (import and history). */
export const bulkSearchSchema = z.object({
  // Absent (not empty) when no job is open, so the address stays as the user typed it.
  job: z.string().trim().min(1).max(100).optional().catch(undefined),
});

/**
 * The worklist's hand-off: the selected targets (agent participants without a wrap-up), as plain
 * data. Kept here, in the composition layer, between the worklist's "Wrap up in bulk" and the bulk
 * page's preview; a reload forgets it (the worklist selection is not persisted either).
 */
let handoff: SelectionEntry[] | null = null;

export function handOffToBulk(targets: readonly WorklistTarget[]): void {
  handoff = targets.map((t) => ({ conversationId: t.conversationId, participantId: t.participantId }));
}

/** The audit log's outcome for one bulk write (the runner reports each write it sent). */
function auditOutcome(e: WriteEvent): AuditOutcome {
  const err = e.error;
  if (!err) return 'applied';
  if (err.status === 401 || err.status === 429 || err.status === 0) return err.status === 0 ? 'unknown' : 'not-applied';
  if (err.status === 409) return 'already-coded';
  if (err.status >= 400 && err.status < 500 && err.status !== 408) return 'refused';
  return 'unknown';
}

/**
 * Composes the bulk feature with auth (session events, who writes, may they), the audit log (one
 * entry per write sent) and the worklist hand-off. The features do not import each other.
 */
export function BulkRoute({ jobId, onOpenJob }: { jobId: string; onOpenJob: (jobId: string | null) => void }) {
  const { t } = useTranslation('bulk');
  const canWrite = useCan('write');
  const me = useMe();
  const record = useRecordWriteAttempt();
  const supervisorId = me.data?.id ?? '';
  const supervisorName = me.data?.name ?? '';
  const [selection, setSelection] = useState(() => handoff);

  useEffect(() => {
    configureBulk({
      session: { subscribe: onSessionEvent },
      onWrite: (e) => {
        record({
          time: new Date(e.at).toISOString(),
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
          outcome: auditOutcome(e),
          status: e.error ? (e.error.status > 0 ? e.error.status : null) : 202,
          errorCode: e.error?.code ?? null,
          message: e.resolved ? t('audit.resolved') : (e.error?.message ?? null),
          contextId: e.error?.contextId ?? null,
        }).catch((err: unknown) => showToast({ kind: 'error', title: t('audit.recordFailed', { error: err instanceof Error ? err.message : String(err) }) }));
      },
    });
  }, [record, supervisorId, supervisorName, t]);

  const open = useCallback(
    (id: string | null) => {
      // Once a job exists (or the user went back), the worklist's hand-off is used up.
      handoff = null;
      setSelection(null);
      onOpenJob(id);
    },
    [onOpenJob],
  );

  return <BulkPage jobId={jobId || null} selection={jobId ? null : selection} canWrite={canWrite} onOpenJob={open} />;
}
