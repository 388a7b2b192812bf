import { useCallback } from 'react';
import { Link } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from '@/lib/zod.ts';
import { showToast } from '@/components/ui/toast-store.ts';
import { useCan, useMe } from '@/features/auth/auth-queries.ts';
import { useRecordWriteAttempt } from '@/features/audit/audit-queries.ts';
import type { ApplyRequest, ApplyResult, WriteAttempt } from '@/features/wrap-up/apply-wrapup.ts';
import { applyConfirmedWrapup } from '@/features/conversations/conversation-queries.ts';
import { WrapupPage } from '@/features/wrap-up/wrapup-page.tsx';

/** `?participant=<participantId>`; anything malformed becomes "none chosen" (the page says so). */
export const wrapupSearchSchema = z.object({
  participant: z.string().trim().max(200).catch(''),
});

/**
 * Composes the wrap-up form with auth (who writes, may they), the audit log (every attempt) and
 * the worklist (refreshed after a write). The features do not import each other; this route does.
 */
export function WrapupRoute({ conversationId, participantId }: { conversationId: string; participantId: string }) {
  const { t } = useTranslation(['wrapup', 'audit']);
  const queryClient = useQueryClient();
  const canWrite = useCan('write');
  const me = useMe();
  const record = useRecordWriteAttempt();
  const supervisorId = me.data?.id ?? '';
  const supervisorName = me.data?.name ?? '';

  const onAttempt = useCallback(
    async (attempt: WriteAttempt) => {
      try {
        await record({ ...attempt, supervisorId, supervisorName });
      } catch (e) {
        showToast({ kind: 'error', title: t('audit:recordFailed', { error: e instanceof Error ? e.message : String(e) }) });
      }
    },
    [record, supervisorId, supervisorName, t],
  );

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

  return (
    <>
      <WrapupPage
        conversationId={conversationId}
        participantId={participantId}
        canWrite={canWrite !== false}
        onApplied={onApplied}
        onAttempt={onAttempt}
      />
      <p>
        <Link to="/conversations">{t('wrapup:page.back')}</Link>
      </p>
    </>
  );
}
