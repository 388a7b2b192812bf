import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showToast } from '@/components/ui/toast-store.ts';
import { useCan, useMe } from '@/features/auth/auth-queries.ts';
import { useRecordWriteAttempt } from '@/features/audit/audit-queries.ts';
import { auditLogReady } from '@/features/audit/audit-log.ts';
import type { ApplyRequest, ApplyResult, WriteAttempt } from '@/features/wrap-up/apply-wrapup.ts';
import type { ApplyCallbacks } from '@/features/wrap-up/use-apply-wrapup.ts';
import { applyConfirmedWrapup } from '@/features/conversations/conversation-queries.ts';
import { usePlatformFacts } from '../use-platform-verdict.ts';

/**
 * What the single wrap-up form needs from the other features, composed once for every place it is
 * shown (the wrap-up page, the worklist's side panel): auth (may this user write), the audit log
 * (every attempt), the worklist (patched after a write) and the platform check (POST or PATCH).
 */
export function useWrapupWriter(): Required<Omit<ApplyCallbacks, 'method'>> & Pick<ApplyCallbacks, 'method'> & { canWrite: boolean } {
  const { t } = useTranslation(['wrapup', 'audit']);
  const queryClient = useQueryClient();
  const canWrite = useCan('write');
  const me = useMe();
  const record = useRecordWriteAttempt();
  const supervisorId = me.data?.id ?? '';
  const supervisorName = me.data?.name ?? '';
  const orgId = me.data?.organization?.id ?? '';
  const platform = usePlatformFacts();

  const onAttempt = useCallback(
    async (attempt: WriteAttempt) => {
      try {
        await record({ ...attempt, orgId, supervisorId, supervisorName });
      } catch (e) {
        showToast({ kind: 'error', title: t('audit:recordFailed', { error: e instanceof Error ? e.message : String(e) }) });
      }
    },
    [record, orgId, supervisorId, supervisorName, t],
  );

  // Every attempt is recorded under the person who made it (the audit log is per user): until the
  // app knows who is signed in, nothing is sent.
  const ensureRecordable = useCallback(async () => {
    if (!supervisorId) throw new Error(t('audit:ownerUnknown'));
    await auditLogReady();
  }, [supervisorId, t]);

  // After a write: when the platform's read-back confirmed it, the worklist rows are patched with
  // that live state (analytics lags by seconds, a reload could still show "missing") and the
  // detail panel re-reads. Unconfirmed: every 'conversations' query reloads from the platform.
  const onApplied = useCallback(
    (req: ApplyRequest, result: Extract<ApplyResult, { outcome: 'applied' }>) => {
      const { target } = req;
      if (result.confirmed && result.wrapup?.code) {
        return applyConfirmedWrapup(queryClient, {
          conversationId: target.conversationId,
          participantId: target.participantId,
          communicationId: target.communicationId,
          code: result.wrapup.code,
          ...(result.wrapup.notes ? { notes: result.wrapup.notes } : {}),
        });
      }
      return queryClient.invalidateQueries({ queryKey: ['conversations'] });
    },
    [queryClient],
  );

  return {
    canWrite: canWrite !== false && platform !== undefined,
    method: platform?.method ?? 'post',
    onApplied,
    onAttempt,
    ensureRecordable,
  };
}
