import type { Models } from 'purecloud-platform-client-v2';
import { communicationsOf, hasParticipantEndpoints, mediaPathFromAnalytics } from './media.ts';

describe('mediaPathFromAnalytics', () => {
  it.each([
    ['voice', 'calls'],
    ['callback', 'callbacks'],
    ['email', 'emails'],
    ['message', 'messages'],
    ['cobrowse', 'cobrowsesessions'],
    ['screenshare', 'screenshares'],
    ['video', 'videos'],
    ['VOICE', 'calls'],
  ])('%s → %s', (m, path) => {
    expect(mediaPathFromAnalytics(m)).toEqual({ writable: true, path });
  });

  it('says plainly that chat cannot be written', () => {
    expect(mediaPathFromAnalytics('chat')).toMatchObject({ writable: false, code: 'chat-removed', reason: expect.stringMatching(/chat/i) as unknown });
  });

  it.each(['internalmessage', 'unknown', '', undefined, 'social'])('%j has no write path', (m) => {
    expect(mediaPathFromAnalytics(m)).toMatchObject({ writable: false, code: 'no-write-path' });
  });

  it('knows which media have participant endpoints', () => {
    expect(hasParticipantEndpoints('calls')).toBe(true);
    expect(hasParticipantEndpoints('videos')).toBe(false);
  });
});

describe('communicationsOf', () => {
  it('lists every communication with its media, path and id', () => {
    const p: Models.Participant = {
      id: 'p1',
      purpose: 'agent',
      calls: [
        { id: 'c1', state: 'disconnected', disconnectType: 'client', afterCallWork: { state: 'pending' }, afterCallWorkRequired: true },
        { id: 'c2', state: 'connected', wrapup: { code: 'w1', name: 'Sale' } },
      ],
      chats: [{ id: 'ch1', state: 'disconnected' }],
      socialExpressions: [{ id: 's1' }],
      messages: [{ state: 'alerting' }], // no id: skipped
    };
    expect(communicationsOf(p)).toEqual([
      {
        kind: 'calls',
        path: 'calls',
        id: 'c1',
        state: 'disconnected',
        disconnectType: 'client',
        afterCallWork: { state: 'pending' },
        afterCallWorkRequired: true,
      },
      { kind: 'calls', path: 'calls', id: 'c2', state: 'connected', wrapup: { code: 'w1', name: 'Sale' } },
      { kind: 'chats', path: null, id: 'ch1', state: 'disconnected' },
      { kind: 'socialExpressions', path: 'socials', id: 's1' },
    ]);
  });

  it('returns nothing for a participant without communications', () => {
    expect(communicationsOf({ id: 'p' })).toEqual([]);
  });
});
