/**
 * The worklist table: TanStack Table for the columns and header state, TanStack Virtual so only the
 * rows in view (plus a small overscan) are in the DOM (checklist #25). Rows come sorted and
 * filtered (worklist-rows.ts); sorting here is manual and lives in the URL.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatDuration, userTimeZone } from '@/lib/i18n/format.ts';
import type { SortColumn } from './filters.ts';
import type { Labels } from './labels.ts';
import type { Names } from './names.ts';
import { selectionActions, useIsSelected, useSelectedIds } from './selection-store.ts';
import type { ConversationRow, ParticipantState } from './wrapup-status.ts';
import { isRefusedBy, type RefusalRule } from '@/lib/platform-verdict.ts';
import { isFixable } from './next-missing.ts';

export const ROW_HEIGHT = 64;

const column = createColumnHelper<ConversationRow>();

interface WorklistTableProps {
  rows: ConversationRow[];
  sort: SortColumn;
  desc: boolean;
  onSortChange: (sort: SortColumn, desc: boolean) => void;
  names: Names;
  labels: Labels;
  openId: string | undefined;
  onOpen: (id: string) => void;
  /** Agent participants the filters are about (others are shown, but muted). */
  inScope: (row: ConversationRow, agent: ParticipantState) => boolean;
  /** What the platform check learned the platform refuses: missing wrap-ups it would refuse are marked. */
  refusal?: RefusalRule | null;
  /** Opens the side panel for one missing agent participant (issue 16 item 1); absent: no "Apply" buttons. */
  onApply?: ((row: ConversationRow, agent: ParticipantState) => void) | undefined;
  /** The conversation the side panel is about: marked, and scrolled into view when it changes. */
  activeId?: string | undefined;
}

function SelectCell({ row, label }: { row: ConversationRow; label: string }) {
  const selected = useIsSelected(row.id);
  return <input type="checkbox" aria-label={label} checked={selected} onChange={() => selectionActions.rowToggled(row.id)} />;
}

function HeaderSelect({ rows }: { rows: readonly ConversationRow[] }) {
  const { t } = useTranslation('conversations');
  const ids = useSelectedIds();
  const selectedHere = useMemo(() => (ids.size === 0 ? 0 : rows.reduce((n, r) => n + (ids.has(r.id) ? 1 : 0), 0)), [rows, ids]);
  const all = rows.length > 0 && selectedHere === rows.length;
  return (
    <input
      type="checkbox"
      aria-label={t('table.selectAll', { count: rows.length })}
      checked={all}
      ref={(el) => {
        if (el) el.indeterminate = selectedHere > 0 && !all;
      }}
      onChange={() => (all ? selectionActions.rowsDeselected(rows.map((r) => r.id)) : selectionActions.rowsSelected(rows.map((r) => r.id)))}
    />
  );
}

/** What the cells need besides the row: handed in as table meta, so the columns are built once. */
interface TableMeta {
  t: TFunction<'conversations'>;
  dateTime: (ms: number) => string;
  duration: (seconds: number) => string;
  labels: Labels;
  names: Names;
  openId: string | undefined;
  onOpen: (id: string) => void;
  inScope: (row: ConversationRow, agent: ParticipantState) => boolean;
  /** Every row of the list (the table itself models only the rows in view). */
  allRows: readonly ConversationRow[];
  refusal: RefusalRule | null;
  now: number;
  onApply: WorklistTableProps['onApply'];
}

const metaOf = (table: { options: { meta?: unknown } }) => table.options.meta as TableMeta;

/**
 * A missing wrap-up the platform would refuse to write, by what the platform check learned (e.g. once
 * after-call work has ended): marked, so that nobody expects a fix from this app for it.
 */
export function platformRefuses(agent: ParticipantState, refusal: RefusalRule | null, now: number): boolean {
  if (!refusal || agent.wrapup?.status !== 'missing') return false;
  const session = agent.sessions.find((s) => s.sessionId === agent.wrapup?.communicationId);
  if (!session) return false;
  return isRefusedBy(refusal, { acwPending: session.acwSince !== undefined, endedAgoMs: session.endedAt === undefined ? null : now - session.endedAt });
}

const COLUMNS = [
  column.display({
    id: 'select',
    header: (c) => <HeaderSelect rows={metaOf(c.table).allRows} />,
    cell: (c) => {
      const m = metaOf(c.table);
      const r = c.row.original;
      return <SelectCell row={r} label={m.t('table.selectRow', { start: m.dateTime(r.start), agents: r.agents.map((a) => a.name).join(', ') })} />;
    },
  }),
  column.accessor('start', {
    id: 'start',
    header: (c) => metaOf(c.table).t('table.start'),
    cell: (c) => {
      const m = metaOf(c.table);
      const when = m.dateTime(c.getValue());
      return (
        <button
          type="button"
          className="link-like"
          aria-label={m.t('table.openDetails', { start: when })}
          aria-expanded={m.openId === c.row.original.id}
          onClick={() => m.onOpen(c.row.original.id)}
        >
          {when}
        </button>
      );
    },
  }),
  column.accessor('durationMs', {
    id: 'duration',
    header: (c) => metaOf(c.table).t('table.duration'),
    cell: (c) => {
      const v = c.getValue();
      const m = metaOf(c.table);
      return v === null ? m.t('table.ongoing') : m.duration(v / 1000);
    },
  }),
  column.accessor('media', { id: 'media', header: (c) => metaOf(c.table).t('table.media'), cell: (c) => metaOf(c.table).labels.media(c.getValue()) }),
  column.accessor('direction', {
    id: 'direction',
    header: (c) => metaOf(c.table).t('table.direction'),
    cell: (c) => metaOf(c.table).labels.direction(c.getValue()),
  }),
  column.accessor('queueIds', {
    id: 'queue',
    header: (c) => metaOf(c.table).t('table.queue'),
    cell: (c) =>
      c
        .getValue()
        .map((q) => metaOf(c.table).names.queue(q))
        .join(', '),
  }),
  column.accessor('agents', {
    id: 'agents',
    header: (c) => metaOf(c.table).t('table.agents'),
    cell: (c) =>
      c
        .getValue()
        .map((a) => a.name)
        .join(', '),
  }),
  column.accessor('participants', {
    id: 'participants',
    header: (c) => metaOf(c.table).t('table.participants'),
    enableSorting: false,
    cell: (c) => (
      <ul className="participant-chips">
        {c.getValue().map((p) => {
          const text = metaOf(c.table).labels.participant(p);
          // A chip cut short (long German words) shows the whole summary on hover.
          return (
            <li key={p.participantId} className={`chip chip-${p.purpose}`} title={text}>
              {text}
            </li>
          );
        })}
      </ul>
    ),
  }),
  column.accessor('agents', {
    id: 'wrapup',
    header: (c) => metaOf(c.table).t('table.wrapup'),
    cell: (c) => {
      const m = metaOf(c.table);
      return (
        <ul className="wrapup-list">
          {c.getValue().map((a) => (
            <li key={a.participantId} className={`wrapup wrapup-${a.wrapup?.status ?? 'none'}${m.inScope(c.row.original, a) ? '' : ' out-of-scope'}`}>
              <span className="wrapup-agent">{a.name}</span> <span className="wrapup-value">{m.labels.wrapup(a)}</span>
              {m.onApply && isFixable(a) && (
                <>
                  {' '}
                  <button
                    type="button"
                    className="apply-row"
                    data-apply={a.participantId}
                    aria-label={m.t('apply.rowLabel', { name: a.name, start: m.dateTime(c.row.original.start) })}
                    onClick={() => m.onApply?.(c.row.original, a)}
                  >
                    {m.t('apply.row')}
                  </button>
                </>
              )}
              {platformRefuses(a, m.refusal, m.now) && (
                <span className="wrapup-refused" data-testid="platform-refuses">
                  {m.t('table.platformRefuses', { date: m.dateTime(Date.parse(m.refusal?.learnedAt ?? '')) })}
                </span>
              )}
            </li>
          ))}
        </ul>
      );
    },
  }),
];

export const WorklistTable = memo(function WorklistTable({
  rows,
  sort,
  desc,
  onSortChange,
  names,
  labels,
  openId,
  onOpen,
  inScope,
  refusal = null,
  onApply,
  activeId,
}: WorklistTableProps) {
  const { t, i18n } = useTranslation('conversations');
  const lng = i18n.language;
  // One formatter per language for the whole table (building Intl formatters per cell is slow).
  const dateTime = useMemo(() => {
    const f = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short', timeZone: userTimeZone() });
    return (ms: number) => f.format(ms);
  }, [lng]);
  const duration = useCallback((seconds: number) => formatDuration(lng, seconds), [lng]);
  // "Now" for the refusal rule's age: when the table first showed (a rule's age is in hours, not seconds).
  const [now] = useState(() => Date.now());
  const meta: TableMeta = useMemo(
    () => ({ t, dateTime, duration, labels, names, openId, onOpen, inScope, allRows: rows, refusal, now, onApply }),
    [t, dateTime, duration, labels, names, openId, onOpen, inScope, rows, refusal, now, onApply],
  );

  const sorting: SortingState = useMemo(() => [{ id: sort, desc }], [sort, desc]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer works on the plain rows; the table only ever models the rows in view, so a
  // sort or filter of 10,000 rows does not rebuild 10,000 row models (checklist #25).
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual and Table hand out fresh functions; nothing here relies on React Compiler memoization.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 1200, height: 640 },
  });
  const items = virtualizer.getVirtualItems();
  // "Save and next missing" may move to a row out of view: it is scrolled to (only when the panel moves, not on every list change).
  const rowsRef = useRef(rows);
  useEffect(() => {
    rowsRef.current = rows;
  }, [rows]);
  useEffect(() => {
    if (!activeId) return;
    const index = rowsRef.current.findIndex((r) => r.id === activeId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [activeId, virtualizer]);
  const visible = useMemo(() => items.map((vi) => rows[vi.index]).filter((r): r is ConversationRow => r !== undefined), [items, rows]);
  const table = useReactTable({
    data: visible,
    columns: COLUMNS,
    meta,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (first) onSortChange(first.id as SortColumn, first.desc);
    },
  });
  const tableRows = table.getRowModel().rows;
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const colCount = table.getVisibleLeafColumns().length;

  return (
    <div className="worklist-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label={t('table.region')}>
      <table className="worklist-table" aria-rowcount={rows.length + 1}>
        <caption className="visually-hidden">{t('table.caption', { count: rows.length })}</caption>
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id} aria-rowindex={1}>
              {hg.headers.map((h) => {
                const sortable = h.column.getCanSort() && h.column.id !== 'select';
                const active = sortable && h.column.id === sort;
                return (
                  <th key={h.id} scope="col" className={`col-${h.column.id}`} aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}>
                    {sortable ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() => onSortChange(h.column.id as SortColumn, active ? !desc : h.column.id === 'start')}
                      >
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span aria-hidden="true" className="sort-mark">
                          {active ? (desc ? '▼' : '▲') : ''}
                        </span>
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {before > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={colCount} style={{ height: before }} />
            </tr>
          )}
          {items.map((vi, i) => {
            const row = tableRows[i];
            if (!row) return null;
            return (
              <tr
                key={row.id}
                aria-rowindex={vi.index + 2}
                className={row.original.id === activeId ? 'open applying' : row.original.id === openId ? 'open' : undefined}
                style={{ height: ROW_HEIGHT }}
                data-row-id={row.id}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={`col-${cell.column.id}`}>
                    <div className="cell">{flexRender(cell.column.columnDef.cell, cell.getContext())}</div>
                  </td>
                ))}
              </tr>
            );
          })}
          {after > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={colCount} style={{ height: after }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
});
