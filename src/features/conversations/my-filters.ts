/**
 * "My missing wrap-ups" (`/my`): its few filters, kept in the URL like the worklist's (plain
 * readers, anything malformed becomes the default). The same time ranges as the worklist, resolved
 * by the same `resolveInterval`; the default is the last 7 days ("the last days" an agent may still
 * remember). A custom range comes only from a link (`range=custom&from=&to=`).
 */
import { oneOf, searchRecord, text, withoutUndefined } from '@/lib/search-params.ts';
import { RANGE_PRESETS, type RangePreset } from './filters.ts';

export const MY_STATUS_FILTERS = ['missing', 'any'] as const;
export type MyStatusFilter = (typeof MY_STATUS_FILTERS)[number];

export interface MySearch {
  range: RangePreset;
  from?: string;
  to?: string;
  status: MyStatusFilter;
}

export const MY_DEFAULTS: Pick<MySearch, 'range' | 'status'> = { range: 'last7d', status: 'missing' };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const instant = (v: unknown) => {
  const s = text(v, { pattern: ISO_INSTANT });
  return s !== undefined && !Number.isNaN(Date.parse(s)) ? s : undefined;
};

export function parseMySearch(raw: unknown): MySearch {
  const s = searchRecord(raw);
  return withoutUndefined({
    range: oneOf(RANGE_PRESETS, s.range) ?? MY_DEFAULTS.range,
    from: instant(s.from),
    to: instant(s.to),
    status: oneOf(MY_STATUS_FILTERS, s.status) ?? MY_DEFAULTS.status,
  });
}
