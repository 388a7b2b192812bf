/**
 * One job: its state (badge), start/finish/duration, progress, controls (pause, resume, stop,
 * continue a stopped job, retry failed items) and results. A paused or stopped job says how many
 * items were not written (issue 16 item 2).
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Button } from '@/components/ui/button.tsx';
import { showToast } from '@/components/ui/toast-store.ts';
import { formatDateTime, formatDuration, formatNumber } from '@/lib/i18n/format.ts';
import type { PauseReason } from './model.ts';
import { useBulkJob, useBulkService } from './use-bulk-job.ts';
import { countUnwritten } from './continue-job.ts';
import { JobStateBadge, JobTimesList, jobTimes, shownState } from './job-state.tsx';
import { RefusalsPanel, RetryPanel } from './job-dialogs.tsx';
import { Results } from './job-results.tsx';

function pauseText(t: TFunction<'bulk'>, lng: string, pause: PauseReason | null): string {
  if (!pause) return '';
  if (pause.kind === 'rate-limited') return t('pause.rate-limited', { until: formatDateTime(lng, pause.until) });
  if (pause.kind === 'storage') return t('pause.storage', { error: pause.message });
  if (pause.kind === 'refusals') return t('pause.refusals', { count: pause.count, code: pause.code });
  return t(`pause.${pause.kind}`);
}

export function JobPanel({ jobId, canWrite, onOpenJob }: { jobId: string; canWrite: boolean | undefined; onOpenJob: (jobId: string | null) => void }) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const service = useBulkService();
  const { view, act } = useBulkJob(jobId);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const runner = view.status === 'ready' ? view.runner : null;
  const state = view.status === 'ready' ? view.progress.state : null;
  // Items a stop left unwritten: counted once the job has stopped (final then), not on every event.
  const unwritten = useMemo(() => (runner && state === 'stopped' ? countUnwritten(runner.getItems()) : 0), [runner, state]);

  if (view.status === 'loading') return <p role="status">{t('job.loading')}</p>;
  if (view.status === 'error') return <p role="alert">{t('job.loadFailed', { error: view.message })}</p>;
  if (view.status === 'missing')
    return (
      <div role="alert">
        <p>{service.journalLost() ? t('job.journalLostMissing') : t('job.missing')}</p>
        <Button onClick={() => onOpenJob(null)}>{t('job.back')}</Button>
      </div>
    );
  const { progress, lockedElsewhere } = view;
  const job = view.runner.getJob();
  const c = progress.counts;
  const done = c.applied + c.alreadyCoded + c.skipped + c.failed;
  const n = (v: number) => formatNumber(lng, v);
  const ended = progress.state === 'done' || progress.state === 'stopped';
  const notYet = c.pending + c.inFlight;
  const run = (action: 'pause' | 'resume' | 'stop' | 'continue-refused' | 'skip-like-refused') => {
    setBusy(true);
    void act(action).finally(() => setBusy(false));
  };
  /** A new job from this one's items (retry failed, continue stopped); opens it. */
  const follow = async (make: () => Promise<string | null>) => {
    setBusy(true);
    try {
      const next = await make();
      if (next) onOpenJob(next);
    } catch (e) {
      showToast({ kind: 'error', title: t('preview.startFailed', { error: e instanceof Error ? e.message : String(e) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>{t('job.title', { code: job.code.name })}</h2>
        <p role="status" data-testid="job-state" className="bulk-state">
          <JobStateBadge state={shownState(progress.state, c)} />
          {progress.pause ? ` — ${pauseText(t, lng, progress.pause)}` : ''}
          {progress.heldUntil !== null ? ` — ${t('job.heldUntil', { until: formatDateTime(lng, progress.heldUntil) })}` : ''}
          {lockedElsewhere && !ended ? ` — ${t('job.lockedElsewhere')}` : ''}
        </p>
        <JobTimesList times={jobTimes(job, progress.state)} />
        {!ended && service.journalLost() && (
          <p role="alert" className="bulk-warning" data-testid="journal-lost">
            {t('job.journalLost')}
          </p>
        )}
        {progress.state === 'paused' && notYet > 0 && (
          <p className="bulk-notice" data-testid="not-written">
            {t('job.pausedNotWritten', { count: notYet, value: n(notYet) })}
          </p>
        )}
        {progress.state === 'stopped' && (
          <p className="bulk-notice" data-testid="not-written">
            {unwritten > 0 ? t('job.stoppedNotWritten', { count: unwritten, value: n(unwritten) }) : t('job.stoppedAllWritten')}
          </p>
        )}
        <label htmlFor={`${id}-progress`}>{t('job.progressLabel', { done: n(done), total: n(c.selected) })}</label>
        <progress id={`${id}-progress`} className="bulk-progress" max={Math.max(1, c.selected)} value={done} />
        {progress.pause?.kind === 'refusals' && progress.state === 'paused' && !lockedElsewhere && (
          <RefusalsPanel pause={progress.pause} busy={busy || canWrite !== true} onChoose={run} />
        )}
        <dl className="bulk-facts">
          <dt>{t('counts.applied')}</dt>
          <dd data-testid="count-applied">{n(c.applied)}</dd>
          <dt>{t('counts.alreadyCoded')}</dt>
          <dd data-testid="count-already-coded">{n(c.alreadyCoded)}</dd>
          <dt>{t('counts.skipped')}</dt>
          <dd data-testid="count-skipped">{n(c.skipped)}</dd>
          <dt>{t('counts.failed')}</dt>
          <dd data-testid="count-failed">{n(c.failed)}</dd>
          <dt>{t('counts.pending')}</dt>
          <dd data-testid="count-pending">{n(notYet)}</dd>
          {progress.etaMs !== null && !ended && (
            <>
              <dt>{t('job.eta')}</dt>
              <dd>{formatDuration(lng, progress.etaMs / 1000)}</dd>
            </>
          )}
          {progress.perMinute !== null && !ended && (
            <>
              <dt>{t('job.rate')}</dt>
              <dd>{t('job.perMinute', { value: n(Math.round(progress.perMinute)) })}</dd>
            </>
          )}
          {progress.watch !== null && !ended && (
            <>
              <dt>{t('job.watch.label')}</dt>
              <dd data-testid="watch-state">{t(`job.watch.${progress.watch}`)}</dd>
            </>
          )}
          {!ended && (
            <>
              <dt>{t('job.checking.label')}</dt>
              <dd data-testid="checking">{t(`job.checking.${progress.checking}`)}</dd>
            </>
          )}
        </dl>
        <div className="bulk-actions">
          {progress.state === 'running' && !lockedElsewhere && (
            <Button onClick={() => run('pause')} disabled={busy}>
              {t('job.pause')}
            </Button>
          )}
          {(progress.state === 'paused' || progress.state === 'ready' || (progress.state === 'running' && lockedElsewhere)) &&
            progress.pause?.kind !== 'refusals' && (
              <Button accent="primary" onClick={() => run('resume')} disabled={busy || canWrite !== true}>
                {t('job.resume')}
              </Button>
            )}
          {!ended && progress.state !== 'stopping' && !lockedElsewhere && progress.pause?.kind !== 'refusals' && (
            <Button accent="danger" onClick={() => run('stop')} disabled={busy}>
              {t('job.stop')}
            </Button>
          )}
          {progress.state === 'stopped' && unwritten > 0 && (
            <Button
              accent="primary"
              onClick={() => void follow(() => service.continueStopped(job, view.runner.getItems()))}
              disabled={busy || canWrite !== true}
            >
              {t('job.continue', { count: unwritten, value: n(unwritten), code: job.code.name })}
            </Button>
          )}
          {ended && c.failed > 0 && !retrying && (
            <Button
              accent={progress.state === 'stopped' && unwritten > 0 ? 'secondary' : 'primary'}
              onClick={() => setRetrying(true)}
              disabled={busy || canWrite !== true}
            >
              {t('job.retryFailed', { count: c.failed, value: n(c.failed) })}
            </Button>
          )}
          <Button onClick={() => onOpenJob(null)}>{t('job.back')}</Button>
        </div>
        {ended && retrying && (
          <RetryPanel
            items={view.runner.getItems()}
            busy={busy || canWrite !== true}
            onStart={(includeFinal) => void follow(() => service.retryFailed(job, view.runner.getItems(), { includeFinal }))}
            onCancel={() => setRetrying(false)}
          />
        )}
      </section>
      <Results job={job} progress={progress} source={view.runner} />
    </>
  );
}
