import { parsePlatformCheckSearch } from './search.ts';

describe('parsePlatformCheckSearch', () => {
  it('keeps a valid target', () => {
    expect(parsePlatformCheckSearch({ conversationId: 'c-1', participantId: ' p-2 ', communicationId: 'm-3', media: 'calls' })).toEqual({
      conversationId: 'c-1',
      participantId: 'p-2',
      communicationId: 'm-3',
      media: 'calls',
    });
  });

  it('drops each malformed value (anything but letters, digits and hyphens; unknown media)', () => {
    expect(parsePlatformCheckSearch({ conversationId: 'c/../x', participantId: 42, communicationId: '<b>', media: 'chats' })).toEqual({});
    expect(parsePlatformCheckSearch('junk')).toEqual({});
    expect(parsePlatformCheckSearch({ conversationId: 'x'.repeat(129), media: 'videos' })).toEqual({ media: 'videos' });
  });
});
