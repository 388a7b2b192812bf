import { parseWrapupSearch } from './search.ts';

describe("wrap-up form search (issue 18: media and communication from an agent's own list)", () => {
  it('keeps a known media path and a well-formed communication id, and nothing else', () => {
    expect(parseWrapupSearch({ participant: 'p1' })).toEqual({ participant: 'p1' });
    expect(parseWrapupSearch({ participant: 'p1', media: 'calls', communication: 'c-9' })).toEqual({ participant: 'p1', media: 'calls', communication: 'c-9' });
    expect(parseWrapupSearch({ participant: 'p1', media: 'chats', communication: 'a/b' })).toEqual({ participant: 'p1' });
  });
});
