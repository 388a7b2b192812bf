import { classifyMediaParticipant, liveInputOf, ownCommunications, userConversationsTopic } from './own-conversations.ts';
import { ACW_GRACE_MS } from './wrapup-rules.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

describe('media participant → the live rule', () => {
  it('reads code, end, pending or skipped after-call work from the media participant', () => {
    expect(liveInputOf({ state: 'disconnected', endTime: iso(60_000), wrapupSkipped: true })).toEqual({
      state: 'disconnected',
      disconnectedTime: iso(60_000),
      afterCallWork: { state: 'skipped' },
    });
    expect(liveInputOf({ state: 'disconnected', startAcwTime: iso(1000) })).toEqual({
      state: 'disconnected',
      afterCallWork: { state: 'pending', startTime: iso(1000) },
    });
    expect(liveInputOf({ state: 'disconnected', startAcwTime: iso(9000), endAcwTime: iso(1000), wrapup: { code: 'c1', name: 'Sale' } })).toEqual({
      state: 'disconnected',
      wrapup: { code: 'c1' },
      afterCallWork: { state: 'complete', startTime: iso(9000) },
    });
  });

  it('classifies like the worklist: coded, system-coded, active (connected or ACW in its grace), missing, and unanswered when never taken', () => {
    expect(classifyMediaParticipant({ state: 'disconnected', wrapup: { code: 'c1' } }, NOW, true)).toBe('coded');
    expect(classifyMediaParticipant({ state: 'disconnected', wrapup: { code: 'ININ-WRAP-UP-TIMEOUT' } }, NOW, true)).toBe('system-coded');
    expect(classifyMediaParticipant({ state: 'connected' }, NOW, true)).toBe('active');
    expect(classifyMediaParticipant({ state: 'disconnected', startAcwTime: iso(ACW_GRACE_MS - 1000) }, NOW, true)).toBe('active');
    expect(classifyMediaParticipant({ state: 'disconnected', startAcwTime: iso(ACW_GRACE_MS + 1000) }, NOW, true)).toBe('missing');
    expect(classifyMediaParticipant({ state: 'disconnected', wrapupSkipped: true }, NOW, undefined)).toBe('missing');
    expect(classifyMediaParticipant({ state: 'disconnected' }, NOW, false)).toBe('unanswered');
    // A code always wins, answered or not.
    expect(classifyMediaParticipant({ state: 'disconnected', wrapup: { code: 'c1' } }, NOW, false)).toBe('coded');
  });
});

describe('the user conversation topic', () => {
  it('names the topic for a safe id only', () => {
    expect(userConversationsTopic('1b2c-3d')).toBe('v2.users.1b2c-3d.conversations');
    expect(userConversationsTopic('a.b')).toBeNull();
    expect(userConversationsTopic('')).toBeNull();
  });

  const body = (acw: Record<string, unknown> | undefined, wrapup?: Record<string, unknown>) => ({
    id: 'conv-1',
    participants: [
      { id: 'p-cust', purpose: 'customer', calls: [{ id: 'comm-c', state: 'disconnected' }] },
      {
        id: 'p-me',
        userId: 'me',
        purpose: 'agent',
        queueId: 'q1',
        name: 'Me',
        connectedTime: iso(600_000),
        calls: [{ id: 'comm-1', state: 'disconnected', disconnectedTime: iso(120_000), ...(acw ? { afterCallWork: acw } : {}), ...(wrapup ? { wrapup } : {}) }],
      },
      { id: 'p-other', userId: 'someone', purpose: 'agent', calls: [{ id: 'comm-2', state: 'disconnected', afterCallWork: { state: 'skipped' } }] },
    ],
  });

  it('after-call work left without a code: missing at once, flagged, with the communication id, media and queue', () => {
    const [c, ...rest] = ownCommunications(body({ state: 'skipped', startTime: iso(100_000), endTime: iso(1000) }), 'me', NOW);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({
      conversationId: 'conv-1',
      participantId: 'p-me',
      communicationId: 'comm-1',
      path: 'calls',
      mediaType: 'voice',
      queueId: 'q1',
      state: 'missing',
      leftAcwWithoutCode: true,
      ended: true,
      acw: 'skipped',
      endedAt: NOW - 120_000,
      connectedAt: NOW - 600_000,
    });
    expect(ownCommunications(body({ state: 'complete', endTime: iso(1000) }), 'me', NOW)[0]?.leftAcwWithoutCode).toBe(true);
  });

  it('pending after-call work is not "left"; a code is never "left without a code"; another user\'s participant is not mine', () => {
    expect(ownCommunications(body({ state: 'pending', startTime: iso(1000) }), 'me', NOW)[0]).toMatchObject({
      state: 'active',
      leftAcwWithoutCode: false,
      acw: 'pending',
    });
    expect(ownCommunications(body({ state: 'complete', endTime: iso(1000) }, { code: 'c1' }), 'me', NOW)[0]).toMatchObject({
      state: 'coded',
      code: 'c1',
      leftAcwWithoutCode: false,
    });
    expect(ownCommunications(body(undefined), 'someone-else', NOW)).toEqual([]);
  });

  it('ignores malformed bodies', () => {
    expect(ownCommunications(null, 'me', NOW)).toEqual([]);
    expect(ownCommunications({ participants: [] }, 'me', NOW)).toEqual([]);
    expect(ownCommunications({ id: 'c', participants: [{ userId: 'me', calls: [{ state: 'x' }] }, 'junk'] }, 'me', NOW)).toEqual([]);
  });
});
