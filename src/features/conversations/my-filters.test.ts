import { parseMySearch } from './my-filters.ts';

describe('/my search', () => {
  it('defaults to the last 7 days, missing only; keeps a valid custom range; drops anything malformed', () => {
    expect(parseMySearch({})).toEqual({ range: 'last7d', status: 'missing' });
    expect(parseMySearch({ range: 'today', status: 'any' })).toEqual({ range: 'today', status: 'any' });
    expect(parseMySearch({ range: 'custom', from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' })).toEqual({
      range: 'custom',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T00:00:00.000Z',
      status: 'missing',
    });
    expect(parseMySearch({ range: 'forever', status: 'coded', from: 'yesterday' })).toEqual({ range: 'last7d', status: 'missing' });
  });
});
