/**
 * Dates, times, durations and numbers through Intl, in the app's language and the user's time zone.
 */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function formatDateTime(lng: string, value: string | number | Date, timeZone = userTimeZone()): string {
  return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value));
}

export function formatNumber(lng: string, value: number): string {
  return new Intl.NumberFormat(lng).format(value);
}

/** 3725 s → "1:02:05" style is ambiguous across languages; use Intl units: "1 hr, 2 min, 5 sec". */
export function formatDuration(lng: string, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const unit = (n: number, u: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(lng, { style: 'unit', unit: u, unitDisplay: 'narrow' }).format(n);
  const parts = [h ? unit(h, 'hour') : '', h || m ? unit(m, 'minute') : '', unit(sec, 'second')].filter(Boolean);
  return new Intl.ListFormat(lng, { style: 'narrow', type: 'unit' }).format(parts);
}
