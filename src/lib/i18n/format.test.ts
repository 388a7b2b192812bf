import { formatDateTime, formatDuration, formatNumber } from './format.ts';

describe('formatting through Intl', () => {
  it('formats numbers per language', () => {
    expect(formatNumber('en', 2400)).toBe('2,400');
    expect(formatNumber('de', 2400)).toBe('2.400');
  });
  it('formats durations with units', () => {
    expect(formatDuration('en', 3725)).toMatch(/1h.*2m.*5s/);
    expect(formatDuration('en', 42)).toMatch(/^42s$/);
    expect(formatDuration('de', 65)).toMatch(/1\s?Min\.?.*5\s?Sek\.?|1m.*5s/);
  });
  it('formats date-times in the given time zone', () => {
    const iso = '2026-11-25T13:05:00Z';
    expect(formatDateTime('en', iso, 'UTC')).toContain('1:05');
    expect(formatDateTime('de', iso, 'Europe/Berlin')).toContain('14:05');
  });
});
