/**
 * A job's state as a badge (issue 16 item 2): colour and words, and "finished with failures" apart
 * from "finished", so that a job with failed items never looks like a success. Also the job's
 * start, finish and duration, for the job page and the history.
 */
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDuration } from '@/lib/i18n/format.ts';
import type { BulkCounts, BulkJob, JobState } from './model.ts';

/** The state as shown: `done` splits by whether any item failed. */
export type ShownState = Exclude<JobState, 'done'> | 'done' | 'done-failures';

export function shownState(state: JobState, counts: Pick<BulkCounts, 'failed'>): ShownState {
  return state === 'done' && counts.failed > 0 ? 'done-failures' : state;
}

const ACCENT: Record<ShownState, 'neutral' | 'info' | 'success' | 'warning' | 'error'> = {
  ready: 'neutral',
  running: 'info',
  paused: 'warning',
  stopping: 'warning',
  stopped: 'warning',
  done: 'success',
  'done-failures': 'error',
};

/**
 * The state in words and colour (the words carry it; the colour only repeats them). A styled span
 * in Spark's colours (bulk.css), not `gux-badge`: that one adds its own screen-reader text
 * ("badge with label: …, accent: …") to the light DOM, so the job's status would be read twice.
 */
export function JobStateBadge({ state }: { state: ShownState }) {
  const { t } = useTranslation('bulk');
  return (
    <span className={`bulk-badge bulk-badge-${ACCENT[state]}`} data-state={state}>
      {t(`state.${state}`)}
    </span>
  );
}

export interface JobTimes {
  /** Jobs start when they are created (the preview's Start creates and starts them at once). */
  startedAt: number;
  /** When the job ended (its last state change), null while it has not. */
  finishedAt: number | null;
  /** From start to finish, null while the job has not ended. */
  durationMs: number | null;
}

export function jobTimes(job: Pick<BulkJob, 'createdAt' | 'updatedAt'>, state: JobState): JobTimes {
  const ended = state === 'done' || state === 'stopped';
  const finishedAt = ended ? Math.max(job.createdAt, job.updatedAt) : null;
  return { startedAt: job.createdAt, finishedAt, durationMs: finishedAt === null ? null : finishedAt - job.createdAt };
}

/** Start, finish and duration as a description list (the job page). */
export function JobTimesList({ times }: { times: JobTimes }) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  return (
    <dl className="bulk-facts" data-testid="job-times">
      <dt>{t('times.started')}</dt>
      <dd>{formatDateTime(lng, times.startedAt)}</dd>
      <dt>{t('times.finished')}</dt>
      <dd>{times.finishedAt === null ? t('times.notYet') : formatDateTime(lng, times.finishedAt)}</dd>
      {times.durationMs !== null && (
        <>
          <dt>{t('times.duration')}</dt>
          <dd>{formatDuration(lng, Math.max(1, Math.round(times.durationMs / 1000)))}</dd>
        </>
      )}
    </dl>
  );
}
