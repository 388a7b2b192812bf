import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GuxFormFieldSelect, GuxFormFieldTextLike } from 'genesys-spark-components-react';
import { userTimeZone } from '@/lib/i18n/format.ts';
import type { Models } from '@/lib/genesys/sdk.ts';
import { DIRECTIONS, MEDIA_TYPES, RANGE_PRESETS, STATUS_FILTERS, type WorklistSearch } from './filters.ts';

export type SearchPatch = Partial<WorklistSearch>;

/** `2025-03-01T08:00:00.000Z` → `2025-03-01T09:00` in the browser's zone (what datetime-local shows). */
export function toLocalInput(isoValue: string | undefined): string {
  if (!isoValue) return '';
  const d = new Date(isoValue);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The reverse: a datetime-local value (browser zone) → an ISO instant, or undefined when empty/invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

interface FiltersBarProps {
  search: WorklistSearch;
  onChange: (patch: SearchPatch) => void;
  queues: readonly Models.Queue[] | undefined;
  users: readonly Models.User[] | undefined;
}

export function FiltersBar({ search, onChange, queues, users }: FiltersBarProps) {
  const { t } = useTranslation('conversations');
  const [agentQuery, setAgentQuery] = useState('');
  const sortedQueues = useMemo(() => [...(queues ?? [])].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')), [queues]);
  const agentOptions = useMemo(() => {
    const q = agentQuery.trim().toLocaleLowerCase();
    const list = [...(users ?? [])].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    return q ? list.filter((u) => u.id === search.agent || `${u.name ?? ''} ${u.email ?? ''}`.toLocaleLowerCase().includes(q)) : list;
  }, [users, agentQuery, search.agent]);

  return (
    <form className="worklist-filters" aria-label={t('filters.label')} onSubmit={(e) => e.preventDefault()}>
      <GuxFormFieldSelect>
        <label slot="label" htmlFor="wl-range">
          {t('filters.range')}
        </label>
        <select slot="input" id="wl-range" value={search.range} onChange={(e) => onChange({ range: e.target.value as WorklistSearch['range'] })}>
          {RANGE_PRESETS.map((r) => (
            <option key={r} value={r}>
              {t(`range.${r}`)}
            </option>
          ))}
        </select>
        <span slot="help">{t('filters.timeZone', { zone: userTimeZone() })}</span>
      </GuxFormFieldSelect>
      {search.range === 'custom' && (
        <>
          {/* Spark's text-like field takes text, email, number and password inputs only: a native date-time field. */}
          <div className="native-field">
            <label htmlFor="wl-from">{t('filters.from')}</label>
            <input
              id="wl-from"
              type="datetime-local"
              value={toLocalInput(search.from)}
              onChange={(e) => {
                const v = fromLocalInput(e.target.value);
                if (v) onChange({ from: v });
              }}
            />
          </div>
          <div className="native-field">
            <label htmlFor="wl-to">{t('filters.to')}</label>
            <input
              id="wl-to"
              type="datetime-local"
              value={toLocalInput(search.to)}
              onChange={(e) => {
                const v = fromLocalInput(e.target.value);
                if (v) onChange({ to: v });
              }}
            />
          </div>
        </>
      )}
      <GuxFormFieldSelect>
        <label slot="label" htmlFor="wl-media">
          {t('filters.media')}
        </label>
        <select slot="input" id="wl-media" value={search.media ?? ''} onChange={(e) => onChange({ media: (e.target.value || undefined) as WorklistSearch['media'] })}>
          <option value="">{t('filters.anyMedia')}</option>
          {MEDIA_TYPES.map((m) => (
            <option key={m} value={m}>
              {t(`media.${m}`)}
            </option>
          ))}
        </select>
      </GuxFormFieldSelect>
      <GuxFormFieldSelect>
        <label slot="label" htmlFor="wl-queue">
          {t('filters.queue')}
        </label>
        <select slot="input" id="wl-queue" value={search.queue ?? ''} onChange={(e) => onChange({ queue: e.target.value || undefined })}>
          <option value="">{t('filters.anyQueue')}</option>
          {search.queue && !sortedQueues.some((q) => q.id === search.queue) && <option value={search.queue}>{search.queue}</option>}
          {sortedQueues.map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </select>
      </GuxFormFieldSelect>
      <div className="worklist-agent-filter">
        <GuxFormFieldTextLike>
          <label slot="label" htmlFor="wl-agent-search">
            {t('filters.agentSearch')}
          </label>
           <input slot="input" id="wl-agent-search" type="text" autoComplete="off" value={agentQuery} onChange={(e) => setAgentQuery(e.target.value)} />
        </GuxFormFieldTextLike>
        <GuxFormFieldSelect>
          <label slot="label" htmlFor="wl-agent">
            {t('filters.agent')}
          </label>
          <select slot="input" id="wl-agent" value={search.agent ?? ''} onChange={(e) => onChange({ agent: e.target.value || undefined })}>
            <option value="">{t('filters.anyAgent')}</option>
            {search.agent && !agentOptions.some((u) => u.id === search.agent) && <option value={search.agent}>{search.agent}</option>}
            {agentOptions.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </GuxFormFieldSelect>
      </div>
      <GuxFormFieldSelect>
        <label slot="label" htmlFor="wl-direction">
          {t('filters.direction')}
        </label>
        <select
          slot="input"
          id="wl-direction"
          value={search.direction ?? ''}
          onChange={(e) => onChange({ direction: (e.target.value || undefined) as WorklistSearch['direction'] })}
        >
          <option value="">{t('filters.anyDirection')}</option>
          {DIRECTIONS.map((d) => (
            <option key={d} value={d}>
              {t(`direction.${d}`)}
            </option>
          ))}
        </select>
      </GuxFormFieldSelect>
      <GuxFormFieldSelect>
        <label slot="label" htmlFor="wl-status">
          {t('filters.status')}
        </label>
        <select slot="input" id="wl-status" value={search.status} onChange={(e) => onChange({ status: e.target.value as WorklistSearch['status'] })}>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`statusFilter.${s}`)}
            </option>
          ))}
        </select>
      </GuxFormFieldSelect>
    </form>
  );
}
