import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { Button } from '@/components/ui/button.tsx';
import { formatDateTime } from '@/lib/i18n/format.ts';
import type { ProbeRecord } from '@/lib/platform-verdict.ts';
import { permissionLines, probeMeaning } from './probe-meaning.ts';
import { PROBE_REQUESTS } from './probes.ts';
import type { ProbeRunResult } from './platform-check-queries.ts';
import { formatAge } from './verdict-summary.ts';

function statusOf(ok: boolean | null): 'ok' | 'problem' | 'unknown' {
  return ok === true ? 'ok' : ok === false ? 'problem' : 'unknown';
}

function ProbeItem({ record }: { record: ProbeRecord }) {
  const { t, i18n } = useTranslation('platformCheck');
  const lng = i18n.language;
  const meaning = probeMeaning(record);
  const values: Record<string, string | number> = { ...meaning.values };
  if (record.id === 'notifications' && typeof values.socket === 'string')
    values.socket = t(`probes.notifications.socket.${values.socket}` as 'probes.notifications.socket.failed');
  if (record.id === 'jobs-availability' && typeof values.date === 'string' && values.date) {
    values.age = formatAge(lng, Number(values.lagMs ?? 0));
    values.date = formatDateTime(lng, values.date);
  }
  const status = statusOf(record.ok);
  const titleId = `probe-${record.id}`;
  return (
    <li className={`probe probe-${status}`} aria-labelledby={titleId}>
      <div className="probe-head">
        <h3 id={titleId}>{t(`probes.${record.id}.title` as 'probes.permissions.title', { defaultValue: record.id })}</h3>
        <span className={`probe-status probe-status-${status}`}>{t(`probes.status.${status}`)}</span>
      </div>
      <p>{t(meaning.key as 'probes.permissions.ok', values)}</p>
      {record.id === 'permissions' && (
        <ul className="probe-features">
          {permissionLines(record).map((l) => {
            const feature = t(`probes.permissions.feature.${l.feature}` as 'probes.permissions.feature.write', { defaultValue: l.feature });
            return (
              <li key={l.feature}>
                {l.allowed ? t('probes.permissions.allowed', { feature }) : t('probes.permissions.missing', { feature, permissions: l.missing })}
              </li>
            );
          })}
        </ul>
      )}
      {record.id === 'rate-headers' && <p className="muted">{t('probes.rate-headers.retryAfter')}</p>}
      <details className="probe-details">
        <summary>{t('probes.details')}</summary>
        <dl>
          <dt>{t('probes.sent')}</dt>
          <dd>
            <code>{record.sent}</code>
          </dd>
          <dt>{t('probes.received')}</dt>
          <dd>
            <code>{record.received}</code>
          </dd>
          <dt>{t('probes.contextId')}</dt>
          <dd>{record.contextId ? <code data-testid="probe-context-id">{record.contextId}</code> : t('probes.noContextId')}</dd>
        </dl>
      </details>
    </li>
  );
}

export interface ProbeListProps {
  run: ProbeRunResult | undefined;
  running: boolean;
  error: Error | null;
  onRunAgain: () => void;
  disabled?: boolean;
}

/** The read-only checks: cost, state, "Run again", and one card per probe. */
export function ProbeList({ run, running, error, onRunAgain, disabled }: ProbeListProps) {
  const { t, i18n } = useTranslation('platformCheck');
  return (
    <section aria-labelledby="probes-title" className="platform-section">
      <div className="platform-section-head">
        <h2 id="probes-title">{t('probes.title')}</h2>
        <Button onClick={onRunAgain} disabled={running || disabled}>
          {t('probes.runAgain')}
        </Button>
      </div>
      <p>{t('probes.intro', { count: PROBE_REQUESTS })}</p>
      <p role="status" className="muted">
        {running ? t('probes.running') : run ? t('probes.ran', { date: formatDateTime(i18n.language, run.finishedAt), count: run.requests }) : ''}
      </p>
      {error && !running && (
        <div role="alert">
          <GuxInlineAlert accent="error">
            <div>{t('probes.failed', { error: error.message })}</div>
          </GuxInlineAlert>
        </div>
      )}
      {run && !run.saved && !running && (
        <GuxInlineAlert accent="warning">
          <div>{t('probes.notSaved')}</div>
        </GuxInlineAlert>
      )}
      {run && (
        <ul className="probe-list" aria-label={t('probes.listLabel')} aria-busy={running}>
          {run.records.map((r) => (
            <ProbeItem key={r.id} record={r} />
          ))}
        </ul>
      )}
    </section>
  );
}
