import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { GuxFormFieldSelect, GuxFormFieldTextLike, GuxInlineAlert } from 'genesys-spark-components-react';
import { Button } from '@/components/ui/button.tsx';
import { downloadCsv } from '@/lib/csv.ts';
import { PlatformText } from '@/components/ui/platform-text.tsx';
import { formatDateTime } from '@/lib/i18n/format.ts';
import { mediaOfCommunication, usePlatformValue } from '@/lib/i18n/platform-values.ts';
import { AUDIT_OUTCOMES, type AuditOwner } from './audit-entry.ts';
import { auditCsv, filterEntries, isAuditOutcome, type AuditFilters } from './audit-filter.ts';
import { auditQueries } from './audit-queries.ts';
import './audit.css';

export interface AuditPageProps {
  /** The signed-in person (the route knows who): only their entries are shown. Undefined while loading. */
  owner: AuditOwner | undefined;
  filters: AuditFilters;
  onFiltersChange: (filters: AuditFilters) => void;
}

/** The local audit log: every wrap-up write attempt made from this browser, filterable, exportable. */
export function AuditPage({ owner, filters, onFiltersChange }: AuditPageProps) {
  const { t, i18n } = useTranslation('audit');
  const value = usePlatformValue();
  const list = useQuery({ ...auditQueries.list(owner ?? { orgId: '', userId: '' }), enabled: !!owner?.userId });
  const shown = useMemo(() => filterEntries(list.data?.entries ?? [], filters), [list.data, filters]);

  const exportCsv = () => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    downloadCsv(`wrapup-audit-${stamp}.csv`, auditCsv(shown));
  };

  return (
    <section aria-labelledby="audit-title" className="page audit-page">
      <h1 id="audit-title">{t('title')}</h1>
      <p>{t('intro')}</p>
      <div className="audit-toolbar" role="search" aria-label={t('filters')}>
        <GuxFormFieldSelect>
          <label slot="label" htmlFor="audit-outcome">
            {t('outcome')}
          </label>
          <select
            slot="input"
            id="audit-outcome"
            value={filters.outcome ?? ''}
            onChange={(e) => {
              const v = e.target.value;
              onFiltersChange({ ...filters, outcome: isAuditOutcome(v) ? v : undefined });
            }}
          >
            <option value="">{t('allOutcomes')}</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`outcomes.${o}`)}
              </option>
            ))}
          </select>
        </GuxFormFieldSelect>
        <GuxFormFieldTextLike>
          <label slot="label" htmlFor="audit-q">
            {t('search')}
          </label>
          <input
            slot="input"
            id="audit-q"
            type="text"
            autoComplete="off"
            value={filters.q ?? ''}
            onChange={(e) => onFiltersChange({ ...filters, q: e.target.value || undefined })}
          />
        </GuxFormFieldTextLike>
        <Button accent="secondary" onClick={exportCsv} disabled={shown.length === 0}>
          {t('export')}
        </Button>
      </div>
      <p role="status" className="muted">
        {list.isPending ? t('loading') : t('count', { count: shown.length, total: list.data?.entries.length ?? 0 })}
      </p>
      {!!list.data?.unowned && <p className="muted">{t('unowned', { count: list.data.unowned })}</p>}
      {list.isError && (
        <div role="alert">
          <GuxInlineAlert accent="error">
            <div>{t('loadFailed', { error: list.error.message })}</div>
          </GuxInlineAlert>
        </div>
      )}
      {shown.length > 0 && (
        <div className="audit-table-wrap" role="region" aria-labelledby="audit-title" tabIndex={0}>
          <table className="audit-table audit-cards">
            <caption className="visually-hidden">{t('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.time')}</th>
                <th scope="col">{t('col.supervisor')}</th>
                <th scope="col">{t('col.agent')}</th>
                <th scope="col">{t('col.target')}</th>
                <th scope="col">{t('col.code')}</th>
                <th scope="col">{t('col.notes')}</th>
                <th scope="col">{t('col.outcome')}</th>
                <th scope="col">{t('col.status')}</th>
                <th scope="col">{t('col.contextId')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.seq} data-outcome={e.outcome}>
                  <td data-label={t('col.time')}>{formatDateTime(i18n.language, e.time)}</td>
                  <td data-label={t('col.supervisor')}>{e.supervisorName || e.supervisorId}</td>
                  <td data-label={t('col.agent')}>
                    {/* Entries from before names were recorded (or a write whose agent was not known) show the ids. */}
                    {e.agentName || e.agentEmail ? (
                      <>
                        <div>{e.agentName ?? <code>{e.agentId}</code>}</div>
                        {e.agentEmail && (
                          <div className="muted" translate="no">
                            {e.agentEmail}
                          </div>
                        )}
                      </>
                    ) : (
                      <div className="muted">{t('target.participant', { id: e.participantId })}</div>
                    )}
                  </td>
                  <td data-label={t('col.target')}>
                    {(e.queueName || e.queueId) && <div>{t('target.queue', { name: e.queueName ?? e.queueId })}</div>}
                    <div>{value('media', mediaOfCommunication(e.media))}</div>
                    {e.conversationStart && <div>{t('target.started', { time: formatDateTime(i18n.language, e.conversationStart) })}</div>}
                    <div className="muted audit-ids">{t('target.conversation', { id: e.conversationId })}</div>
                    {(e.agentName || e.agentEmail) && <div className="muted audit-ids">{t('target.participant', { id: e.participantId })}</div>}
                    <div className="muted audit-ids">{t('target.communicationId', { id: e.communicationId })}</div>
                  </td>
                  <td data-label={t('col.code')}>
                    <div>{e.codeName}</div>
                    <div className="muted">
                      <code>{e.codeId}</code>
                    </div>
                    {e.replace && <div className="muted">{t('replaced')}</div>}
                  </td>
                  <td className="audit-notes" translate="no" data-label={t('col.notes')}>
                    {e.notes}
                  </td>
                  <td data-label={t('col.outcome')}>
                    {t(`outcomes.${e.outcome}`)}
                    {e.corrected && <div className="muted">{t('corrected')}</div>}
                  </td>
                  <td data-label={t('col.status')}>
                    {e.status ?? ''} {e.errorCode ? <code>{e.errorCode}</code> : null}
                    {/* With a status or error code the message is the platform's (English): labelled so. Without, it is ours, as recorded. */}
                    {e.message && (
                      <div className="muted">
                        {e.status !== null || e.errorCode !== null ? <PlatformText text={e.message} source={e.status ? 'platform' : 'technical'} /> : e.message}
                      </div>
                    )}
                  </td>
                  <td data-label={t('col.contextId')}>
                    <code>{e.contextId ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
