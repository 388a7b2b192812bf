/**
 * The job history: every job journaled in this browser for the signed-in person, newest first,
 * with its state (badge), start, finish and duration, outcome counts, and open / delete.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button.tsx';
import { showToast } from '@/components/ui/toast-store.ts';
import { formatDateTime, formatDuration, formatNumber } from '@/lib/i18n/format.ts';
import { useBulkService } from './use-bulk-job.ts';
import { bulkQueries } from './bulk-queries.ts';
import { JobStateBadge, jobTimes, shownState } from './job-state.tsx';

export function HistoryPanel({ onOpenJob }: { onOpenJob: (jobId: string) => void }) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const id = useId();
  const service = useBulkService();
  // Read again while a listed job may still change (bulk-queries.ts).
  const jobs = useQuery(bulkQueries.jobs(service));
  const { refetch } = jobs;
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = async (jobId: string) => {
    setConfirming(null);
    try {
      await service.deleteJob(jobId);
      showToast({ kind: 'success', title: t('history.deleted') });
    } catch (e) {
      showToast({ kind: 'error', title: t('history.deleteFailed', { error: e instanceof Error ? e.message : String(e) }) });
    }
    void refetch();
  };
  const col = (k: 'created' | 'code' | 'state' | 'finished' | 'counts' | 'open') => t(`history.col.${k}`);
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('history.title')}</h2>
      {jobs.isPending ? (
        <p role="status">{t('history.loading')}</p>
      ) : jobs.isError ? (
        <p role="alert">{t('history.failed', { error: jobs.error.message })}</p>
      ) : jobs.data.length === 0 ? (
        <p>{t('history.empty')}</p>
      ) : (
        <table className="bulk-table bulk-cards">
          <caption>{t('history.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{col('created')}</th>
              <th scope="col">{col('code')}</th>
              <th scope="col">{col('state')}</th>
              <th scope="col">{col('finished')}</th>
              <th scope="col">{col('counts')}</th>
              <th scope="col">{col('open')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((j) => {
              const times = jobTimes(j, j.state);
              const label = { time: formatDateTime(lng, j.createdAt), code: j.code.name };
              return (
                <tr key={j.id}>
                  <td data-label={col('created')}>{formatDateTime(lng, times.startedAt)}</td>
                  <td data-label={col('code')}>{j.code.name}</td>
                  <td data-label={col('state')}>
                    <JobStateBadge state={shownState(j.state, j.counts)} />
                    {j.retryOf ? ` (${t('history.retry')})` : ''}
                    {j.continueOf ? ` (${t('history.continued')})` : ''}
                  </td>
                  <td data-label={col('finished')}>
                    {times.finishedAt === null ? (
                      t('times.notYet')
                    ) : (
                      <>
                        <div>{formatDateTime(lng, times.finishedAt)}</div>
                        <div className="muted">
                          {t('times.took', { duration: formatDuration(lng, Math.max(1, Math.round((times.durationMs ?? 0) / 1000))) })}
                        </div>
                      </>
                    )}
                  </td>
                  <td data-label={col('counts')}>
                    {t('history.counts', {
                      applied: formatNumber(lng, j.counts.applied),
                      failed: formatNumber(lng, j.counts.failed),
                      total: formatNumber(lng, j.counts.selected),
                    })}
                  </td>
                  <td data-label={col('open')}>
                    <div className="bulk-actions">
                      <Button onClick={() => onOpenJob(j.id)} aria-label={t('history.openJob', label)}>
                        {t('history.open')}
                      </Button>
                      {(j.state === 'done' || j.state === 'stopped') &&
                        (confirming === j.id ? (
                          <>
                            <Button onClick={() => void remove(j.id)} aria-label={t('history.confirmDelete', label)}>
                              {t('history.confirm')}
                            </Button>
                            <Button onClick={() => setConfirming(null)}>{t('history.keep')}</Button>
                          </>
                        ) : (
                          <Button onClick={() => setConfirming(j.id)} aria-label={t('history.deleteJob', label)}>
                            {t('history.delete')}
                          </Button>
                        ))}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
