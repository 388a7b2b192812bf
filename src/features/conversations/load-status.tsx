/** Loading progress, cancel/refresh, and the partial-failure and error states of the worklist. */
import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { Button } from '@/components/ui/button.tsx';
import type { ApiError } from '@/lib/genesys/api-error.ts';
import { PlatformText, PlatformWords } from '@/components/ui/platform-text.tsx';
import { formatDateTime, formatNumber } from '@/lib/i18n/format.ts';
import type { WorklistData } from './loader.ts';

export function ErrorDetails({ error }: { error: Pick<ApiError, 'status' | 'code' | 'message' | 'contextId'> }) {
  const { t } = useTranslation('conversations');
  return (
    <dl className="error-facts">
      <dt>{t('error.status')}</dt>
      <dd>{error.status || '—'}</dd>
      <dt>{t('error.code')}</dt>
      <dd>
        <code>{error.code}</code>
      </dd>
      {/* The platform's own words (English): labelled as the platform's, never as ours. */}
      <dt>{t('error.message')}</dt>
      <dd>
        <PlatformWords text={error.message} />
      </dd>
      {error.contextId && (
        <>
          <dt>{t('error.contextId')}</dt>
          <dd>
            <code>{error.contextId}</code>
          </dd>
        </>
      )}
    </dl>
  );
}

/** What to do about a failed load, by status. */
export function errorAdvice(status: number): 'forbidden' | 'rateLimited' | 'badRequest' | 'unauthorized' | 'retry' {
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rateLimited';
  if (status === 400) return 'badRequest';
  if (status === 401) return 'unauthorized';
  return 'retry';
}

interface LoadStatusProps {
  data: WorklistData | undefined;
  fetching: boolean;
  onCancel: () => void;
  onRefresh: () => void;
}

export function LoadStatus({ data, fetching, onCancel, onRefresh }: LoadStatusProps) {
  const { t, i18n } = useTranslation('conversations');
  const lng = i18n.language;
  const n = (v: number) => formatNumber(lng, v);
  const loading = fetching && data?.phase !== 'done' && data?.phase !== 'cancelled';
  const loaded = data?.loaded ?? 0;
  const total = data?.total ?? null;
  return (
    <div className="load-status">
      <div role="status" aria-live="polite" className="load-progress">
        {loading ? (
          <>
            <span>
              {data?.phase === 'job-waiting'
                ? t('load.jobWaiting', { loaded: n(loaded) })
                : total !== null
                  ? t('load.progress', { loaded: n(loaded), total: n(total) })
                  : t('load.progressUnknown', { loaded: n(loaded) })}
            </span>
            <progress max={total ?? undefined} value={total !== null ? loaded : undefined} aria-label={t('load.progressLabel')} />
          </>
        ) : data?.phase === 'cancelled' ? (
          <span>{t('load.cancelled', { loaded: n(loaded) })}</span>
        ) : data?.phase === 'done' ? (
          <span>
            {t('load.done', { count: data.loaded, when: formatDateTime(lng, data.finishedAt ?? data.startedAt) })}
            {data.mode !== 'sync' ? ` ${t('load.viaJob')}` : ''}
          </span>
        ) : null}
      </div>
      <div className="load-actions">
        {loading ? (
          <Button onClick={onCancel}>{t('load.cancel')}</Button>
        ) : (
          <Button accent="primary" onClick={onRefresh}>
            {t('load.refresh')}
          </Button>
        )}
      </div>
      {data && data.failures.length > 0 && !loading && (
        <GuxInlineAlert accent="warning" className="load-failures">
          <div>
            <strong>{t('load.partialTitle', { count: data.failures.length })}</strong>
            <p>{t('load.partialBody')}</p>
            <ul>
              {data.failures.slice(0, 5).map((f) => (
                <li key={`${f.source}-${f.page}`}>
                  {t('load.failure', { page: f.page, status: f.status || '—', code: f.code })} <PlatformText text={f.message} />
                  {f.contextId ? ` (${t('error.contextId')}: ${f.contextId})` : ''}
                </li>
              ))}
            </ul>
          </div>
        </GuxInlineAlert>
      )}
    </div>
  );
}
