import { useCallback, useMemo } from 'react';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { showToast } from '@/components/ui/toast-store.ts';
import { useAppConfig } from '@/config/config-context.tsx';
import { SIM_REGION } from '@/config/schema.ts';
import type { WriteAttempt } from '@/lib/platform-verdict.ts';
import { useMe } from '@/features/auth/auth-queries.ts';
import { featureAccess } from '@/features/auth/permissions.ts';
import { auditLogReady } from '@/features/audit/audit-log.ts';
import { useRecordWriteAttempt } from '@/features/audit/audit-queries.ts';
import type { AuditOutcome } from '@/features/audit/audit-entry.ts';
import { PlatformCheckPage } from '@/features/platform-check/platform-check-page.tsx';
import type { WriteProbeCode } from '@/features/platform-check/write-probe.ts';

const routeApi = getRouteApi('/platform-check');

const AUDIT_OUTCOME: Record<WriteAttempt['outcome'], AuditOutcome> = {
  applied: 'applied',
  refused: 'refused',
  'refused-code': 'refused',
  unknown: 'unknown',
};

/**
 * `/platform-check` (schema in search.ts), composed with auth (who the user is, the permission
 * table) and the audit log (every test write is a real write: it is audited like any other).
 */
export function PlatformCheckRoute() {
  const { t } = useTranslation(['platformCheck', 'audit']);
  const search = routeApi.useSearch();
  const config = useAppConfig();
  const me = useMe();
  const record = useRecordWriteAttempt();
  const orgId = me.data?.organization?.id ?? '';
  const userId = me.data?.id ?? '';
  const owner = useMemo(() => (orgId && userId ? { orgId, userId } : null), [orgId, userId]);
  const permissions = me.data?.authorization?.permissions;
  const canWrite = permissions ? featureAccess(permissions).write.allowed : undefined;
  const supervisorName = me.data?.name ?? '';

  const onAttempts = useCallback(
    async (attempts: WriteAttempt[], code: WriteProbeCode) => {
      for (const a of attempts) {
        try {
          await record({
            time: a.at,
            orgId,
            supervisorId: userId,
            supervisorName,
            conversationId: a.target.conversationId,
            participantId: a.target.participantId,
            communicationId: a.target.communicationId,
            media: a.target.media,
            codeId: code.id,
            codeName: code.name,
            notes: '',
            replace: false,
            method: a.method,
            outcome: AUDIT_OUTCOME[a.outcome],
            status: a.status,
            errorCode: a.code,
            message: a.message,
            contextId: a.contextId,
          });
        } catch (e) {
          showToast({ kind: 'error', title: t('audit:recordFailed', { error: e instanceof Error ? e.message : String(e) }) });
        }
      }
    },
    [record, orgId, userId, supervisorName, t],
  );

  const report = {
    appVersion: __APP_VERSION__,
    platform: config.region === SIM_REGION ? `simulated org (${config.simUrl ?? ''})` : `Genesys Cloud ${config.region}`,
    ...(me.data?.organization?.name ? { orgName: me.data.organization.name } : {}),
    ...(me.data?.name ? { userName: me.data.name } : {}),
  };

  return (
    <>
      {me.isPending && <p role="status">{t('platformCheck:loadingUser')}</p>}
      {me.isError && (
        <div role="alert">
          <GuxInlineAlert accent="error">
            <div>{t('platformCheck:userFailed', { error: me.error.message })}</div>
          </GuxInlineAlert>
        </div>
      )}
      <PlatformCheckPage
        owner={owner}
        access={featureAccess}
        canWrite={canWrite}
        initialTarget={search}
        report={report}
        ensureRecordable={auditLogReady}
        onAttempts={onAttempts}
      />
    </>
  );
}
