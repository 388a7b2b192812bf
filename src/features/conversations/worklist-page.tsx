/**
 * The conversations worklist: filters (in the URL), progressive load with progress and cancel,
 * counts per wrap-up status, the virtualized table with selection, the detail panel and CSV export.
 * The route hands in the search params, the permissions and what "Apply wrap-up" does.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { hashKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { Button } from '@/components/ui/button.tsx';
import { showToast } from '@/components/ui/toast-store.ts';
import { downloadCsv } from '@/lib/csv.ts';
import { isApiError } from '@/lib/genesys/api-error.ts';
import { formatDateTime, formatNumber, userTimeZone } from '@/lib/i18n/format.ts';
import { conversationQueries, refreshList, stopLoading } from './conversation-queries.ts';
import { DetailPanel, type DetailPanelProps } from './detail-panel.tsx';
import { csvFileName, worklistCsv } from './export.ts';
import { FiltersBar, type SearchPatch } from './filters-bar.tsx';
import { customRangeProblem, listParams, resolveInterval, type SortColumn, type WorklistSearch } from './filters.ts';
import { useLabels } from './labels.ts';
import { ErrorDetails, LoadStatus, errorAdvice } from './load-status.tsx';
import { buildNames } from './names.ts';
import { selectionActions, useSelectedIds } from './selection-store.ts';
import { WorklistTable } from './worklist-table.tsx';
import { ApplyPanel } from './apply-panel.tsx';
import type { PanelTarget } from './next-missing.ts';
import { ShortcutsHelp } from './shortcuts-help.tsx';
import { useApplyPanel } from './use-apply-panel.ts';
import { SummaryStrip } from './summary-strip.tsx';
import type { NudgeSetup } from './nudge.ts';
import type { RefusalRule } from '@/lib/platform-verdict.ts';
import { agentMatcher, filterRows, missingTargets, sortRows, type WorklistTarget } from './worklist-rows.ts';
import { agentsInScope, countStatuses, missingTotal, type ConversationRow, type ParticipantState } from './wrapup-status.ts';

import './worklist.css';

export interface WorklistPageProps {
  search: WorklistSearch;
  onSearchChange: (patch: SearchPatch) => void;
  /** `analytics:conversationDetail:view`; undefined while the permissions load. */
  canView: boolean | undefined;
  /** `conversation:communication:view` (detail panel). */
  canViewDetails: boolean | undefined;
  /** `conversation:participant:wrapup`. */
  canWrite: boolean | undefined;
  onApplyWrapup: (conversationId: string, participantId: string) => void;
  /** Given by a route that composes the bulk feature: starts a bulk run on the selection. */
  onStartBulk?: (targets: WorklistTarget[]) => void;
  /** What the platform check learned the platform refuses (null: nothing): such rows are marked. */
  refusal?: RefusalRule | null;
  /** Given by a route that composes the platform check: the detail panel's "Test writing here" link. */
  renderTestWriteLink?: DetailPanelProps['renderTestWriteLink'];
  /**
   * Given by a route that composes the wrap-up form: the side panel's form for one participant
   * (issue 16 item 1). With it, "Apply" opens the side panel; without it, `onApplyWrapup` is used.
   */
  renderApplyForm?: ((target: PanelTarget, onSavedAndNext: () => void) => ReactNode) | undefined;
  /** Given by a route that composes auth and the platform check: the summary strip's "Nudge" (issue 18). */
  nudge?: NudgeSetup | undefined;
}

const EMPTY_ROWS: ConversationRow[] = [];

export function WorklistPage({
  search,
  onSearchChange,
  canView,
  canViewDetails,
  canWrite,
  onApplyWrapup,
  onStartBulk,
  refusal = null,
  renderTestWriteLink,
  nudge,
  renderApplyForm,
}: WorklistPageProps) {
  const { t, i18n } = useTranslation('conversations');
  const lng = i18n.language;
  const queryClient = useQueryClient();
  const zone = userTimeZone();
  // The time relative ranges (today, last 4 hours) are resolved against: the page's opening,
  // then each filter change and each Refresh. Between those the query key stays put.
  const [anchor, setAnchor] = useState(() => Date.now());
  const interval = useMemo(() => resolveInterval(search, anchor, zone), [search, anchor, zone]);
  const params = useMemo(() => listParams(search, interval), [search, interval]);
  // A custom range that is not one (end before start, or half of it missing) loads nothing, and
  // no list is shown: not an earlier one that would pass for its answer. The filter bar says why.
  const rangeProblem = customRangeProblem(search);
  const listOptions = conversationQueries.list(params);
  const list = useQuery({ ...listOptions, enabled: canView === true && rangeProblem === null });
  const queues = useQuery({ ...conversationQueries.queues(), enabled: canView === true });
  const users = useQuery({ ...conversationQueries.users(), enabled: canView === true });
  const codes = useQuery({ ...conversationQueries.codes(), enabled: canView === true });
  const names = useMemo(() => buildNames(queues.data, users.data, codes.data), [queues.data, users.data, codes.data]);
  const labels = useLabels(names);

  const match = useMemo(() => agentMatcher(search.find, users.data), [search.find, users.data]);
  const scope = useMemo(() => ({ queue: search.queue ?? null, agent: search.agent ?? null, match }), [search.queue, search.agent, match]);
  const data = rangeProblem === null ? list.data : undefined;
  const allRows = data?.rows ?? EMPTY_ROWS;
  // Sorted before filtered (filtering keeps the order): a filter change does not sort 100,000 rows again.
  const sorted = useMemo(() => sortRows(allRows, search.sort, search.desc, names), [allRows, search.sort, search.desc, names]);
  const rows = useMemo(() => filterRows(sorted, search.status, scope), [sorted, search.status, scope]);
  const counts = useMemo(() => countStatuses(allRows, scope), [allRows, scope]);
  const missing = missingTotal(counts);

  // A selection belongs to one view: new filters start with nothing selected.
  const selectionScope = `${hashKey(listOptions.queryKey)}|${search.status}|${search.find ?? ''}`;
  useEffect(() => selectionActions.scopeChanged(selectionScope), [selectionScope]);
  const selectedIds = useSelectedIds();
  const selectedRows = useMemo(() => (selectedIds.size === 0 ? [] : rows.filter((r) => selectedIds.has(r.id))), [rows, selectedIds]);
  const selectedTargets = useMemo(() => missingTargets(selectedRows, scope), [selectedRows, scope]);

  const change = useCallback(
    (patch: SearchPatch) => {
      if ('range' in patch) setAnchor(Date.now());
      if (patch.range === 'custom' && !search.from) {
        onSearchChange({ ...patch, from: new Date(interval.start).toISOString(), to: new Date(interval.end).toISOString() });
        return;
      }
      onSearchChange(patch);
    },
    [onSearchChange, search.from, interval],
  );
  const onSort = useCallback((sort: SortColumn, desc: boolean) => onSearchChange({ sort, desc }), [onSearchChange]);
  const onOpen = useCallback((id: string) => onSearchChange({ open: id }), [onSearchChange]);
  const inScope = useCallback((row: ConversationRow, agent: ParticipantState) => agentsInScope(row, scope).includes(agent), [scope]);
  // The side panel needs the route's form and a user who may write.
  const panelEnabled = !!renderApplyForm && canWrite !== false;
  const panel = useApplyPanel({ rows, scope, openId: search.open, enabled: panelEnabled });
  const openPanel = panel.open;
  const onApplyRow = useCallback(
    (row: ConversationRow, agent: ParticipantState) => openPanel({ conversationId: row.id, participantId: agent.participantId, name: agent.name }),
    [openPanel],
  );
  const onApplyFromDetail = useCallback(
    (conversationId: string, participantId: string, name: string) =>
      panelEnabled ? openPanel({ conversationId, participantId, name }) : onApplyWrapup(conversationId, participantId),
    [panelEnabled, openPanel, onApplyWrapup],
  );

  const refresh = () => {
    const now = Date.now();
    const next = listParams(search, resolveInterval(search, now, zone));
    if (hashKey([next]) === hashKey([params])) void refreshList(queryClient, params);
    else setAnchor(now);
  };

  const exportCsv = () => {
    const csv = worklistCsv(rows, scope, {
      header: (c) => t(`csv.${c}`),
      queue: (id) => names.queue(id),
      status: (p) => (p.wrapup ? labels.status(p.wrapup.status) : ''),
      code: (id) => labels.code(id),
    });
    downloadCsv(csvFileName(new Date()), csv);
    showToast({ kind: 'success', title: t('export.done', { count: rows.length }) });
  };

  if (canView === false) {
    return (
      <section aria-labelledby="page-title" className="page worklist">
        <h1 id="page-title">{t('title')}</h1>
        <GuxInlineAlert accent="warning">
          <div>
            <strong>{t('permission.title')}</strong>
            <p>{t('permission.body')}</p>
          </div>
        </GuxInlineAlert>
      </section>
    );
  }

  const loadError = list.isError && isApiError(list.error) ? list.error : null;
  const finished = data?.phase === 'done' || data?.phase === 'cancelled';
  const codesUnavailable = codes.isError;

  return (
    <section aria-labelledby="page-title" className="page worklist">
      <h1 id="page-title">{t('title')}</h1>
      <p className="muted" data-testid="interval-shown">
        {rangeProblem === null
          ? t('intervalShown', { start: formatDateTime(lng, interval.start), end: formatDateTime(lng, interval.end), zone })
          : t('intervalInvalid')}
      </p>
      <FiltersBar search={search} onChange={change} queues={queues.data} users={users.data} rangeProblem={rangeProblem} />
      {canView === undefined ? (
        <p role="status">{t('load.permissions')}</p>
      ) : rangeProblem !== null ? (
        <p role="status" className="worklist-not-loaded">
          {t('load.invalidRange')}
        </p>
      ) : (
        <LoadStatus data={data} fetching={list.isFetching} onCancel={() => stopLoading(listOptions.queryKey)} onRefresh={refresh} />
      )}
      {list.isError && rangeProblem === null && (
        <GuxInlineAlert accent="error" role="alert">
          <div>
            <strong>{t('error.title')}</strong>
            {loadError && <ErrorDetails error={loadError} />}
            <p>{t(`error.advice.${errorAdvice(loadError?.status ?? 0)}`)}</p>
          </div>
        </GuxInlineAlert>
      )}
      {codesUnavailable && (
        <GuxInlineAlert accent="info">
          <div>{t('codesUnavailable')}</div>
        </GuxInlineAlert>
      )}
      {data && (
        <ul className="worklist-summary" aria-label={t('summary.label')}>
          <li className="summary-missing">
            {t('summary.missing', { count: missing, value: formatNumber(lng, missing) })}
            {counts['not-writable'] > 0
              ? ` ${t('summary.notWritable', { count: counts['not-writable'], value: formatNumber(lng, counts['not-writable']) })}`
              : ''}
          </li>
          <li>{t('summary.system', { value: formatNumber(lng, counts.system) })}</li>
          <li>{t('summary.coded', { value: formatNumber(lng, counts.coded) })}</li>
          <li>{t('summary.active', { value: formatNumber(lng, counts.active) })}</li>
          <li>{t('summary.rows', { count: rows.length, value: formatNumber(lng, rows.length), all: formatNumber(lng, allRows.length) })}</li>
        </ul>
      )}
      {data && (
        <SummaryStrip
          rows={allRows}
          scope={scope}
          loading={!finished}
          search={search}
          onSearchChange={onSearchChange}
          names={names}
          users={users.data}
          nudge={nudge}
        />
      )}
      {data && (
        <div className="worklist-toolbar">
          <span aria-live="polite">{t('selection.count', { count: selectedIds.size, value: formatNumber(lng, selectedIds.size) })}</span>
          {rows.length > 0 && selectedRows.length < rows.length && (
            <Button onClick={() => selectionActions.rowsSelected(rows.map((r) => r.id))}>
              {t('selection.selectAllMatching', { count: rows.length, value: formatNumber(lng, rows.length) })}
            </Button>
          )}
          {selectedIds.size > 0 && <Button onClick={() => selectionActions.selectionCleared()}>{t('selection.clear')}</Button>}
          {selectedIds.size > 0 && <span>{t('selection.targets', { count: selectedTargets.length, value: formatNumber(lng, selectedTargets.length) })}</span>}
          {onStartBulk && selectedTargets.length > 0 && (
            <Button accent="primary" disabled={canWrite === false} onClick={() => onStartBulk(selectedTargets)}>
              {t('selection.bulk', { count: selectedTargets.length, value: formatNumber(lng, selectedTargets.length) })}
            </Button>
          )}
          <span className="spacer" />
          <Button onClick={panel.showHelp} aria-keyshortcuts="?">
            {t('shortcuts.button')}
          </Button>
          <Button onClick={exportCsv} disabled={rows.length === 0}>
            {t('export.button')}
          </Button>
        </div>
      )}
      <ShortcutsHelp open={panel.helpOpen} onClose={panel.hideHelp} />
      <div className={panel.target ? 'worklist-body with-detail with-apply' : search.open ? 'worklist-body with-detail' : 'worklist-body'}>
        <div className="worklist-main">
          {data && rows.length > 0 && (
            <WorklistTable
              rows={rows}
              sort={search.sort}
              desc={search.desc}
              onSortChange={onSort}
              names={names}
              labels={labels}
              openId={search.open}
              onOpen={onOpen}
              inScope={inScope}
              refusal={refusal}
              onApply={panelEnabled ? onApplyRow : undefined}
              activeId={panel.target?.conversationId}
            />
          )}
          {data && rows.length === 0 && finished && !list.isError && (
            <div className="worklist-empty" role="status">
              <strong>{allRows.length === 0 ? t('empty.none') : t('empty.noneWithStatus', { status: t(`statusFilter.${search.status}`) })}</strong>
              <p>
                {allRows.length === 0
                  ? t('empty.noneHint')
                  : t('empty.noneWithStatusHint', { count: allRows.length, value: formatNumber(lng, allRows.length) })}
              </p>
              {allRows.length > 0 && search.status !== 'any' && <Button onClick={() => onSearchChange({ status: 'any' })}>{t('empty.showAll')}</Button>}
            </div>
          )}
          {!data && list.isPending && canView === true && rangeProblem === null && <p role="status">{t('load.starting')}</p>}
        </div>
        {panel.target && renderApplyForm ? (
          <ApplyPanel
            target={panel.target}
            row={rows.find((r) => r.id === panel.target?.conversationId) ?? allRows.find((r) => r.id === panel.target?.conversationId)}
            labels={labels}
            names={names}
            noNext={panel.noNext}
            onClose={panel.close}
            onNext={panel.next}
          >
            {renderApplyForm(panel.target, panel.next)}
          </ApplyPanel>
        ) : (
          search.open && (
            <DetailPanel
              conversationId={search.open}
              canView={canViewDetails}
              canWrite={canWrite}
              labels={labels}
              onClose={() => onSearchChange({ open: undefined })}
              onApplyWrapup={onApplyFromDetail}
              {...(renderTestWriteLink ? { renderTestWriteLink } : {})}
            />
          )
        )}
      </div>
    </section>
  );
}
