/**
 * The preview's items (issue 16 item 2): who (agent, email), which queue, media type, when the
 * conversation started, its wrap-up now and what the job will do with it, filtered by planned action
 * and paged (a preview may hold 20,000 items: only the shown page is rendered).
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/button.tsx';
import { formatNumber } from '@/lib/i18n/format.ts';
import { usePlatformValue } from '@/lib/i18n/platform-values.ts';
import type { PlannedItem, PreviewClass, PreviewSummary } from './planner.ts';
import { AgentCell, ConversationCell, conversationCellText } from './item-cells.tsx';

export const PREVIEW_PAGE_SIZE = 100;

type Filter = 'all' | PreviewClass;

/** The positions (in plan order) of the items passing `filter`; null: every item. */
function positions(classes: readonly PreviewClass[] | null, filter: Filter): number[] | null {
  if (filter === 'all' || !classes) return null;
  const out: number[] = [];
  classes.forEach((c, i) => {
    if (c === filter) out.push(i);
  });
  return out;
}

export function PreviewItems({
  items,
  classes,
  summary,
}: {
  items: readonly PlannedItem[];
  classes: readonly PreviewClass[] | null;
  summary: PreviewSummary | null;
}) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const value = usePlatformValue();
  const id = useId();
  const [filter, setFilter] = useState<Filter>('all');
  const [page, setPage] = useState(0);
  const shownFilter: Filter = classes ? filter : 'all';
  const kept = useMemo(() => positions(classes, shownFilter), [classes, shownFilter]);
  const total = kept ? kept.length : items.length;
  const pages = Math.max(1, Math.ceil(total / PREVIEW_PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const from = current * PREVIEW_PAGE_SIZE;
  const rows = (kept ? kept.slice(from, from + PREVIEW_PAGE_SIZE) : Array.from({ length: Math.min(PREVIEW_PAGE_SIZE, total - from) }, (_, k) => from + k)).map(
    (i) => ({
      item: items[i]!,
      action: classes?.[i] ?? null,
    }),
  );
  const cellText = conversationCellText(t, lng);
  const col = (k: 'agent' | 'queue' | 'media' | 'conversation' | 'now' | 'action') => t(`preview.list.col.${k}`);
  const n = (v: number) => formatNumber(lng, v);
  return (
    <section aria-labelledby={`${id}-h`} className="bulk-preview-items">
      <h3 id={`${id}-h`}>{t('preview.list.title')}</h3>
      {classes && summary && (
        <div className="bulk-field bulk-field-inline">
          <label htmlFor={`${id}-filter`}>{t('preview.list.filter')}</label>
          <select
            id={`${id}-filter`}
            value={shownFilter}
            onChange={(e) => {
              setFilter(e.target.value as Filter);
              setPage(0);
            }}
          >
            <option value="all">{t('preview.list.all', { value: n(items.length) })}</option>
            {(Object.keys(summary) as PreviewClass[])
              .filter((k) => summary[k] > 0)
              .map((k) => (
                <option key={k} value={k}>
                  {t('preview.list.option', { label: t(`preview.classes.${k}`), value: n(summary[k]) })}
                </option>
              ))}
          </select>
        </div>
      )}
      <p role="status">{t('results.range', { from: n(total === 0 ? 0 : from + 1), to: n(from + rows.length), total: n(total) })}</p>
      {pages > 1 && (
        <nav className="bulk-actions" aria-label={t('preview.list.pages')}>
          <Button onClick={() => setPage(current - 1)} disabled={current === 0}>
            {t('results.previous')}
          </Button>
          <span>{t('results.page', { page: n(current + 1), pages: n(pages) })}</span>
          <Button onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
            {t('results.next')}
          </Button>
        </nav>
      )}
      <div className="bulk-table-scroll" role="region" aria-labelledby={`${id}-h`} tabIndex={0}>
        <table className="bulk-table bulk-cards" data-testid="preview-items">
          <caption className="visually-hidden">{t('preview.list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{col('agent')}</th>
              <th scope="col">{col('queue')}</th>
              <th scope="col">{col('media')}</th>
              <th scope="col">{col('conversation')}</th>
              <th scope="col">{col('now')}</th>
              <th scope="col">{col('action')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ item, action }) => (
              <tr key={item.key} data-action={action ?? undefined}>
                <td data-label={col('agent')}>
                  <AgentCell item={item} />
                </td>
                <td data-label={col('queue')}>{item.names?.queueName ?? (item.queueId ? <code>{item.queueId}</code> : '')}</td>
                <td data-label={col('media')}>{value('media', item.mediaType)}</td>
                <td data-label={col('conversation')}>
                  <ConversationCell item={item} text={cellText} />
                </td>
                <td data-label={col('now')}>{t(`preview.now.${item.observed.status}`)}</td>
                <td data-label={col('action')}>{action ? t(`preview.classes.${action}`) : <span className="muted">{t('preview.list.chooseCode')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
