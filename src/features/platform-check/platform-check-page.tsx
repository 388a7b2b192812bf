/**
 * The platform check page (issue 15): the verdict in plain words, the read-only probes (run when the
 * page opens), and the write probe (only on an explicit choice). The route hands in who the user is
 * (org and user ids key the stored verdict), the permission table of the auth feature, and what to do
 * with each write attempt (the audit log).
 */
import { useTranslation } from 'react-i18next';
import type { WriteAttempt } from '@/lib/platform-verdict.ts';
import { ProbeList } from './probe-list.tsx';
import type { AccessCheck } from './probes.ts';
import { useForgetVerdict, useProbeRun, useVerdict, useWriteProbe } from './platform-check-queries.ts';
import type { ReportContext } from './report.ts';
import type { VerdictOwner } from './verdict-store.ts';
import { VerdictPanel } from './verdict-panel.tsx';
import { WriteProbePanel } from './write-probe-panel.tsx';
import type { WriteProbeCode, WriteProbeTarget } from './write-probe.ts';
import './platform-check.css';

export interface PlatformCheckPageProps {
  /** Org and user of the signed-in user; null while they load. */
  owner: VerdictOwner | null;
  access: AccessCheck;
  /** `conversation:participant:wrapup`; undefined while the permissions load. */
  canWrite: boolean | undefined;
  /** From the URL (the worklist's "Test writing here"), or empty. */
  initialTarget: Partial<WriteProbeTarget>;
  report: Omit<ReportContext, 'generatedAt'>;
  /** Rejects when the write attempts could not be recorded (the audit log): nothing is sent then. */
  ensureRecordable?: () => Promise<void>;
  onAttempts?: (attempts: WriteAttempt[], code: WriteProbeCode) => Promise<void> | void;
}

export function PlatformCheckPage({ owner, access, canWrite, initialTarget, report, ensureRecordable, onAttempts }: PlatformCheckPageProps) {
  const { t } = useTranslation('platformCheck');
  const verdict = useVerdict(owner);
  const probes = useProbeRun(owner, access);
  const write = useWriteProbe(owner, { ensureRecordable, onAttempts });
  const forget = useForgetVerdict(owner);
  const targetKey = [initialTarget.media, initialTarget.conversationId, initialTarget.participantId, initialTarget.communicationId].join('/');

  return (
    <section aria-labelledby="platform-check-title" className="page platform-check">
      <h1 id="platform-check-title">{t('title')}</h1>
      <p>{t('intro')}</p>
      <VerdictPanel
        verdict={verdict.data}
        loading={owner === null || verdict.isPending}
        error={verdict.error}
        report={report}
        onForget={() => forget.mutateAsync()}
      />
      <ProbeList run={probes.data} running={probes.isFetching} error={probes.error} onRunAgain={() => void probes.refetch()} disabled={owner === null} />
      <WriteProbePanel
        key={targetKey}
        initialTarget={initialTarget}
        canWrite={canWrite}
        running={write.isPending}
        result={write.data}
        runError={write.error}
        onRun={(target, code) => write.mutate({ target, code })}
      />
    </section>
  );
}
