import { useId, useMemo, useState } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { GuxFormFieldSelect, GuxFormFieldTextLike } from 'genesys-spark-components-react';
import type { Models } from '@/lib/genesys/sdk.ts';

export interface CodeOption {
  id: string;
  name: string;
}

/** Codes whose name contains every word of the filter (case- and accent-insensitive). */
export function filterCodes(codes: readonly CodeOption[], filter: string): CodeOption[] {
  const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = norm(filter).split(/\s+/).filter(Boolean);
  return words.length === 0 ? [...codes] : codes.filter((c) => words.every((w) => norm(c.name).includes(w)));
}

export function codeOptions(codes: readonly Models.WrapupCode[]): CodeOption[] {
  return codes.flatMap((c) => (c.id ? [{ id: c.id, name: c.name }] : [])).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The code picker: a filter field narrowing a native <select> (keyboard and screen readers work as
 * everywhere; the select's own type-ahead too). Only the participant's codes are ever listed. The
 * chosen code stays listed while the filter hides the others, so a selection never vanishes.
 */
export function CodePicker({
  codes,
  selectedId,
  field,
  error,
  disabled,
}: {
  codes: readonly CodeOption[];
  selectedId: string;
  field: UseFormRegisterReturn;
  error: string | undefined;
  disabled: boolean;
}) {
  const { t } = useTranslation('wrapup');
  const [filter, setFilter] = useState('');
  const ids = { filter: useId(), select: useId(), count: useId() };
  const shown = useMemo(() => {
    const matches = filterCodes(codes, filter);
    const selected = codes.find((c) => c.id === selectedId);
    return selected && !matches.some((c) => c.id === selected.id) ? [selected, ...matches] : matches;
  }, [codes, filter, selectedId]);
  const matchCount = filterCodes(codes, filter).length;

  return (
    <div className="wrapup-code-picker">
      <GuxFormFieldTextLike>
        <label slot="label" htmlFor={ids.filter}>
          {t('form.codeFilter')}
        </label>
        <input
          slot="input"
          id={ids.filter}
          type="text"
          autoComplete="off"
          value={filter}
          disabled={disabled}
          aria-controls={ids.select}
          aria-describedby={ids.count}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span slot="help" id={ids.count} role="status">
          {t('form.codeMatches', { count: matchCount, total: codes.length })}
        </span>
      </GuxFormFieldTextLike>
      <GuxFormFieldSelect>
        <label slot="label" htmlFor={ids.select}>
          {t('form.code')}
        </label>
        <select slot="input" id={ids.select} disabled={disabled} aria-invalid={!!error} {...field}>
          <option value="">{t('form.codePlaceholder')}</option>
          {shown.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {error && <span slot="error">{error}</span>}
      </GuxFormFieldSelect>
    </div>
  );
}
