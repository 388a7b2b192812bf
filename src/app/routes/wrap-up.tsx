import { useCallback } from 'react';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showToast } from '@/components/ui/toast-store.ts';
import { useCan, useMe, useRole } from '@/features/auth/auth-queries.ts';
import { useRecordWriteAttempt } from '@/features/audit/audit-queries.ts';
import { auditLogReady } from '@/features/audit/audit-log.ts';
import type { ApplyRequest, ApplyResult, WriteAttempt } from '@/features/wrap-up/apply-wrapup.ts';
import { applyConfirmedWrapup } from '@/features/conversations/conversation-queries.ts';
import { WrapupPage } from '@/features/wrap-up/wrapup-page.tsx';
import type { WrapupMediaPath } from '@/lib/genesys/media.ts';
import { usePlatformFacts } from '../use-platform-verdict.ts';

const routeApi = getRouteApi('/conversations/$conversationId/wrap-up');

/**
 * `/conversations/<cid>/wrap-up?participant=<pid>` (schema in search.ts), loaded on first use with
 * the form stack (react-hook-form, the resolver, the code picker). A new participant is a new form.
 */
export function WrapupRouteScreen() {
  const { conversationId } = routeApi.useParams();
  const { participant, media, communication } = routeApi.useSearch();
  return (
    <WrapupRoute
      key={`${conversationId}/${participant}/${media ?? ''}/${communication ?? ''}`}
      conversationId={conversationId}
      participantId={participant}
      media={media}
      communicationId={communication}
    />
  );
}

/**
 * Composes the wrap-up form with auth (who writes, may they), the audit log (every attempt) and
 * the worklist (refreshed after a write). The features do not import each other; this route does.
 */
export function WrapupRoute({
  conversationId,
  participantId,
  media,
  communicationId,
}: {
  conversationId: string;
  participantId: string;
  /** From an agent's own list: read the media GET (agents may not read `GET /conversations/{id}`). */
  media?: WrapupMediaPath | undefined;
  communicationId?: string | undefined;
}) {
  const { t } = useTranslation(['wrapup', 'audit']);
  const queryClient = useQueryClient();
  const canWrite = useCan('write');
  const me = useMe();
  const role = useRole();
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

  return (
    <>
      <WrapupPage
        conversationId={conversationId}
        participantId={participantId}
        media={media}
        communicationId={communicationId}
        canWrite={canWrite !== false && platform !== undefined}
        method={platform?.method ?? 'post'}
        onApplied={onApplied}
        onAttempt={onAttempt}
        ensureRecordable={ensureRecordable}
      />
      <p>
        {role?.kind === 'agent' ? <Link to="/my">{t('wrapup:page.backMine')}</Link> : <Link to="/conversations">{t('wrapup:page.back')}</Link>}
      </p>
    </>
  );
}
