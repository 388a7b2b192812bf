import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { GuxFormFieldSelect, GuxFormFieldTextLike } from 'genesys-spark-components-react';
import { userTimeZone } from '@/lib/i18n/format.ts';
import { usePlatformValue } from '@/lib/i18n/platform-values.ts';
import type { Models } from '@/lib/genesys/sdk.ts';
import { DIRECTIONS, FIND_MAX_LENGTH, MEDIA_TYPES, RANGE_PRESETS, STATUS_FILTERS, type RangeProblem, type WorklistSearch } from './filters.ts';

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

/**
 * The agent filter's options, by name; two or more users with the same name (the directory allows
 * it) are told apart by their email, or by their id when they have none.
 */
export function agentOptionLabels(users: readonly Pick<Models.User, 'id' | 'name' | 'email'>[]): { id: string; label: string }[] {
  const key = (u: Pick<Models.User, 'name'>) => (u.name ?? '').trim().toLocaleLowerCase();
  const seen = new Map<string, number>();
  for (const u of users) seen.set(key(u), (seen.get(key(u)) ?? 0) + 1);
  return users
    .filter((u): u is typeof u & { id: string } => !!u.id)
    .map((u) => {
      const name = u.name?.trim() || u.id;
      const same = (seen.get(key(u)) ?? 0) > 1;
      return { id: u.id, name, label: same ? `${name} (${u.email || u.id})` : name };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.label.localeCompare(b.label))
    .map(({ id, label }) => ({ id, label }));
}

interface FiltersBarProps {
  search: WorklistSearch;
  onChange: (patch: SearchPatch) => void;
  queues: readonly Models.Queue[] | undefined;
  users: readonly Pick<Models.User, 'id' | 'name' | 'email'>[] | undefined;
  /** A custom range the page refuses (and loads nothing for): said at the fields. */
  rangeProblem?: RangeProblem | null;
}

const RANGE_ERROR_ID = 'wl-range-error';

export function FiltersBar({ search, onChange, queues, users, rangeProblem = null }: FiltersBarProps) {
  const { t } = useTranslation('conversations');
  const value = usePlatformValue();
  const sortedQueues = useMemo(() => [...(queues ?? [])].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')), [queues]);
  const agentOptions = useMemo(() => agentOptionLabels(users ?? []), [users]);
  // Which field the range error is about: the end when reversed, the empty one(s) when incomplete.
  const fromInvalid = rangeProblem === 'incomplete' && !search.from;
  const toInvalid = rangeProblem === 'reversed' || (rangeProblem === 'incomplete' && !search.to);
  const rangeError = rangeProblem ? RANGE_ERROR_ID : undefined;

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
        <div className="worklist-custom-range">
          {/* Spark's text-like field takes text, email, number and password inputs only: a native date-time field. */}
          <div className="native-field">
            <label htmlFor="wl-from">{t('filters.from')}</label>
            <input
              id="wl-from"
              type="datetime-local"
              value={toLocalInput(search.from)}
              aria-invalid={fromInvalid || undefined}
              aria-describedby={rangeError}
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
              aria-invalid={toInvalid || undefined}
              aria-describedby={rangeError}
              onChange={(e) => {
                const v = fromLocalInput(e.target.value);
                if (v) onChange({ to: v });
              }}
            />
          </div>
          {rangeProblem && (
            <p id={RANGE_ERROR_ID} className="field-error" role="alert">
              {t(`filters.rangeError.${rangeProblem}`)}
            </p>
          )}
        </div>
      )}
      <GuxFormFieldSelect>
        <label slot="label" htmlFor="wl-media">
          {t('filters.media')}
        </label>
        <select
          slot="input"
          id="wl-media"
          value={search.media ?? ''}
          onChange={(e) => onChange({ media: (e.target.value || undefined) as WorklistSearch['media'] })}
        >
          <option value="">{t('filters.anyMedia')}</option>
          {MEDIA_TYPES.map((m) => (
            <option key={m} value={m}>
              {value('media', m)}
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
        {/* Filters the list (in the browser, kept in the URL), not the agent dropdown. */}
        <GuxFormFieldTextLike>
          <label slot="label" htmlFor="wl-agent-search">
            {t('filters.agentSearch')}
          </label>
          <input
            slot="input"
            id="wl-agent-search"
            type="text"
            autoComplete="off"
            maxLength={FIND_MAX_LENGTH}
            value={search.find ?? ''}
            onChange={(e) => onChange({ find: e.target.value || undefined })}
          />
          <span slot="help">{t('filters.agentSearchHelp')}</span>
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
                {u.label}
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
              {value('direction', d)}
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
