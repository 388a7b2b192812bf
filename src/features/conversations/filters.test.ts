import {
  DAY,
  FIND_MAX_LENGTH,
  WORKLIST_DEFAULTS,
  customRangeProblem,
  intervalString,
  listParams,
  parseWorklistSearch,
  resolveInterval,
  startOfDay,
  worklistSearchSchema,
} from './filters.ts';

describe('worklist search schema', () => {
  it('an empty URL is the default view: today, missing, newest first', () => {
    expect(parseWorklistSearch({})).toEqual({ range: 'today', status: 'missing', sort: 'start', desc: true });
    expect(WORKLIST_DEFAULTS).toEqual({ range: 'today', status: 'missing', sort: 'start', desc: true });
  });

  it('round trip: a parsed search parses to itself', () => {
    const full = {
      range: 'custom',
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-02T12:30:00.000Z',
      media: 'email',
      queue: 'b6f3c9a2-0000-4000-8000-000000000001',
      agent: 'c1d2e3f4-0000-4000-8000-000000000002',
      direction: 'outbound',
      find: 'ben ',
      status: 'system',
      sort: 'wrapup',
      desc: false,
      open: 'a1b2c3d4-0000-4000-8000-000000000003',
    };
    const once = parseWorklistSearch(full);
    expect(once).toEqual(full);
    expect(parseWorklistSearch(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it('anything malformed falls back to its default instead of failing the page', () => {
    const parsed = worklistSearchSchema.parse({
      range: 'forever',
      from: 'yesterday-ish',
      to: '2025-13-45T99:99Z',
      media: 'fax',
      queue: '<script>',
      agent: 42,
      direction: 'sideways',
      status: 'maybe',
      sort: 'colour',
      desc: 'yes',
      open: 'x'.repeat(500),
    });
    expect(parsed).toEqual({ range: 'today', status: 'missing', sort: 'start', desc: true });
  });
});

describe('resolving the time range', () => {
  const now = Date.parse('2025-03-03T10:17:30Z');

  it('relative presets end at the next minute, so renders share a key', () => {
    const a = resolveInterval({ range: 'last4h' }, now, 'UTC');
    const b = resolveInterval({ range: 'last4h' }, now + 10_000, 'UTC');
    expect(a).toEqual(b);
    expect(a.end - a.start).toBe(4 * 3_600_000);
    expect(new Date(a.end).toISOString()).toBe('2025-03-03T10:18:00.000Z');
    expect(resolveInterval({ range: 'last7d' }, now, 'UTC').end - resolveInterval({ range: 'last7d' }, now, 'UTC').start).toBe(7 * DAY);
  });

  it('today and yesterday follow the user time zone', () => {
    const today = resolveInterval({ range: 'today' }, now, 'Europe/Berlin');
    expect(new Date(today.start).toISOString()).toBe('2025-03-02T23:00:00.000Z');
    const yesterday = resolveInterval({ range: 'yesterday' }, now, 'Europe/Berlin');
    expect(intervalString(yesterday)).toBe('2025-03-01T23:00:00.000Z/2025-03-02T23:00:00.000Z');
  });

  it('a day with a DST change is 23 hours long', () => {
    const afterSwitch = Date.parse('2025-03-31T08:00:00Z');
    const y = resolveInterval({ range: 'yesterday' }, afterSwitch, 'Europe/Berlin');
    expect(y.end - y.start).toBe(23 * 3_600_000);
    expect(startOfDay(afterSwitch, 'Europe/Berlin')).toBe(Date.parse('2025-03-30T22:00:00Z'));
  });

  it('custom uses the given instants; a reversed or incomplete one falls back to today', () => {
    expect(resolveInterval({ range: 'custom', from: '2025-03-01T00:00:00Z', to: '2025-03-02T00:00:00Z' }, now, 'UTC')).toEqual({
      start: Date.parse('2025-03-01T00:00:00Z'),
      end: Date.parse('2025-03-02T00:00:00Z'),
    });
    const fallback = resolveInterval({ range: 'custom', from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' }, now, 'UTC');
    expect(fallback).toEqual(resolveInterval({ range: 'today' }, now, 'UTC'));
  });

  it('list params carry only the server-side inputs (the query key)', () => {
    const search = parseWorklistSearch({
      range: 'custom',
      from: '2025-03-01T00:00:00Z',
      to: '2025-03-02T00:00:00Z',
      status: 'coded',
      queue: 'q1',
      sort: 'media',
    });
    expect(listParams(search, resolveInterval(search, now, 'UTC'))).toEqual({
      interval: '2025-03-01T00:00:00.000Z/2025-03-02T00:00:00.000Z',
      media: null,
      queue: 'q1',
      agent: null,
      direction: null,
    });
  });
});

describe('a custom range that is not one (issue 16 item 4)', () => {
  it('a reversed, empty or half range is a problem; presets and a proper range are not', () => {
    expect(customRangeProblem({ range: 'custom', from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toBe('reversed');
    expect(customRangeProblem({ range: 'custom', from: '2025-03-01T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toBe('reversed');
    expect(customRangeProblem({ range: 'custom', from: '2025-03-01T00:00:00Z' })).toBe('incomplete');
    expect(customRangeProblem({ range: 'custom', to: '2025-03-01T00:00:00Z' })).toBe('incomplete');
    expect(customRangeProblem({ range: 'custom' })).toBe('incomplete');
    expect(customRangeProblem({ range: 'custom', from: '2025-03-01T00:00:00Z', to: '2025-03-01T00:01:00Z' })).toBeNull();
    // Only a custom range is checked: a preset ignores stale from/to left in the URL.
    expect(customRangeProblem({ range: 'today', from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toBeNull();
  });

  it('a reversed range arriving through the URL is kept as given (the page refuses it, the fields show it)', () => {
    const s = parseWorklistSearch({ range: 'custom', from: '2025-03-02T00:00:00.000Z', to: '2025-03-01T00:00:00.000Z' });
    expect(s).toMatchObject({ range: 'custom', from: '2025-03-02T00:00:00.000Z', to: '2025-03-01T00:00:00.000Z' });
    expect(customRangeProblem(s)).toBe('reversed');
  });
});

describe('"Find agent" in the URL', () => {
  it('keeps the text as typed (spaces too), drops empty and over-long text', () => {
    expect(parseWorklistSearch({ find: 'Ben K' }).find).toBe('Ben K');
    expect(parseWorklistSearch({ find: 'ben ' }).find).toBe('ben ');
    expect(parseWorklistSearch({ find: '' }).find).toBeUndefined();
    expect(parseWorklistSearch({ find: 42 }).find).toBeUndefined();
    expect(parseWorklistSearch({ find: 'x'.repeat(FIND_MAX_LENGTH + 1) }).find).toBeUndefined();
  });

  it('is not part of the query key: it is applied in the browser', () => {
    const now = Date.parse('2025-03-03T10:17:30Z');
    const a = parseWorklistSearch({ find: 'ben' });
    const b = parseWorklistSearch({});
    expect(listParams(a, resolveInterval(a, now, 'UTC'))).toEqual(listParams(b, resolveInterval(b, now, 'UTC')));
  });
});
