/**
 * A job's results (issue 7 item 6, issue 16 item 3): one page of items with who and where by name
 * (agent, email, queue, media type, conversation start), the outcome and what it means, filtered by
 * outcome, exported as CSV. On a phone each item is a card (bulk.css), never a squeezed table.
 */
import { useMemo, useState, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/button.tsx';
import { showToast } from '@/components/ui/toast-store.ts';
import { PlatformText } from '@/components/ui/platform-text.tsx';
import { downloadCsv } from '@/lib/csv.ts';
import { formatDateTime, formatNumber } from '@/lib/i18n/format.ts';
import { usePlatformValue } from '@/lib/i18n/platform-values.ts';
import type { BulkItem, BulkJob, ItemStatus } from './model.ts';
import { resultsCsv } from './results-csv.ts';
import { itemText, type ItemTextContext } from './item-text.ts';
import type { BulkProgress } from './runner.ts';
import { resultsPage, type ItemsSource } from './results-page.ts';
import { useBulkService, type RestoreOutcome } from './use-bulk-job.ts';
import { AgentCell, ConversationCell, conversationCellText } from './item-cells.tsx';

const OUTCOME_FILTERS = ['all', 'applied', 'already-coded', 'skipped', 'failed', 'pending'] as const;
type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

function matches(filter: OutcomeFilter, status: ItemStatus): boolean {
  if (filter === 'all') return true;
  if (filter === 'pending') return status === 'pending' || status === 'in-flight';
  return status === filter;
}

const RESULTS_PAGE_SIZE = 200;

export function Results({ job, progress, source }: { job: BulkJob; progress: BulkProgress; source: ItemsSource & { getItems: () => BulkItem[] } }) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const value = usePlatformValue();
  const service = useBulkService();
  const id = useId();
  const [filter, setFilter] = useState<OutcomeFilter>('all');
  const [page, setPage] = useState(0);
  const [restores, setRestores] = useState<Record<string, RestoreOutcome | 'busy'>>({});
  const restore = (it: BulkItem) => {
    setRestores((r) => ({ ...r, [it.key]: 'busy' }));
    void service.restoreReplaced(job, it).then(
      (outcome) => setRestores((r) => ({ ...r, [it.key]: outcome })),
      () => setRestores((r) => ({ ...r, [it.key]: 'failed' })),
    );
  };
  // The shown page again whenever the runner reports progress: a scan of the items by reference and
  // copies of this page only, never of the whole job (issue 17: 20,000 items, an event per change).
  const shown = useMemo(
    () => resultsPage(source, (status) => matches(filter, status), page, RESULTS_PAGE_SIZE),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `progress` is the change signal
    [source, progress, filter, page],
  );
  const { items: visible, pages, page: current, from } = shown;
  // What each item's outcome means, in the UI's language (reason codes → item-text.ts).
  const textCtx: ItemTextContext = {
    codeName: job.code.name,
    learnedAt: job.options.refusal?.learnedAt ?? null,
    formatTime: (iso) => formatDateTime(lng, iso),
  };
  const exportCsv = () => {
    const items = source.getItems(); // every item, once, on the click
    downloadCsv(
      `bulk-wrapup-${job.id}.csv`,
      resultsCsv(job, items, (it) => itemText(t, it, textCtx).text),
    );
    showToast({ kind: 'success', title: t('results.exported', { count: items.length }) });
  };
  const cellText = conversationCellText(t, lng);
  const col = (k: 'agent' | 'queue' | 'media' | 'conversation' | 'outcome' | 'reason' | 'message' | 'contextId') => t(`results.col.${k}`);
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('results.title')}</h2>
      <div className="bulk-actions">
        <div className="bulk-field">
          <label htmlFor={`${id}-filter`}>{t('results.filter')}</label>
          <select
            id={`${id}-filter`}
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as OutcomeFilter);
              setPage(0);
            }}
          >
            {OUTCOME_FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`results.filters.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <Button onClick={exportCsv}>{t('results.export')}</Button>
      </div>
      <p role="status">
        {t('results.range', {
          from: formatNumber(lng, shown.total === 0 ? 0 : from + 1),
          to: formatNumber(lng, from + visible.length),
          total: formatNumber(lng, shown.total),
        })}
      </p>
      {pages > 1 && (
        <nav className="bulk-actions" aria-label={t('results.pages')}>
          <Button onClick={() => setPage(current - 1)} disabled={current === 0}>
            {t('results.previous')}
          </Button>
          <span>{t('results.page', { page: formatNumber(lng, current + 1), pages: formatNumber(lng, pages) })}</span>
          <Button onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
            {t('results.next')}
          </Button>
        </nav>
      )}
      {/* Scrolls sideways on a mid-sized screen instead of breaking words apart; cards on a phone. Focusable, so the keyboard can scroll it. */}
      <div className="bulk-table-scroll" role="region" aria-label={t('results.caption')} tabIndex={0}>
        <table className="bulk-table bulk-cards">
          <caption>{t('results.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{col('agent')}</th>
              <th scope="col">{col('queue')}</th>
              <th scope="col">{col('media')}</th>
              <th scope="col">{col('conversation')}</th>
              <th scope="col">{col('outcome')}</th>
              <th scope="col">{col('reason')}</th>
              <th scope="col">{col('message')}</th>
              <th scope="col">{col('contextId')}</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((it) => (
              <tr key={it.key} data-outcome={it.status}>
                <td data-label={col('agent')}>
                  <AgentCell item={it} />
                </td>
                <td data-label={col('queue')}>{it.names?.queueName ?? (it.queueId ? <code>{it.queueId}</code> : '')}</td>
                <td data-label={col('media')}>{value('media', it.mediaType)}</td>
                <td data-label={col('conversation')}>
                  <ConversationCell item={it} text={cellText} />
                </td>
                <td data-label={col('outcome')}>{t(`outcome.${it.status}`)}</td>
                <td data-label={col('reason')}>
                  {it.reason ? t(`reason.${it.reason}`) : ''}
                  {it.mayHaveReplaced && (
                    <div className="bulk-replaced">
                      <span>{t('results.mayHaveReplaced', { code: it.mayHaveReplaced.code, when: formatDateTime(lng, it.mayHaveReplaced.at) })}</span>{' '}
                      {restores[it.key] === undefined || restores[it.key] === 'busy' ? (
                        <Button onClick={() => restore(it)} disabled={restores[it.key] === 'busy'}>
                          {t('results.restore')}
                        </Button>
                      ) : (
                        <span role="status">{t(`results.restoreOutcome.${restores[it.key] as RestoreOutcome}`)}</span>
                      )}
                    </div>
                  )}
                </td>
                <td data-label={col('message')}>
                  <ItemOutcomeText text={itemText(t, it, textCtx)} />
                </td>
                <td data-label={col('contextId')}>{it.lastError?.contextId ? <code>{it.lastError.contextId}</code> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** An item's outcome in our words, then the platform's own words (English), labelled as the platform's. */
function ItemOutcomeText({ text }: { text: ReturnType<typeof itemText> }) {
  return (
    <>
      {text.text}
      {text.platform && (
        <>
          {' '}
          <PlatformText text={text.platform.text} source={text.platform.source} className="bulk-platform-text" />
        </>
      )}
    </>
  );
}
