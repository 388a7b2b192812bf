import type { Models } from '@/lib/genesys/sdk.ts';
import { mediaPathFromAnalytics } from '@/lib/genesys/media.ts';
import { chooseCommunication, chooseMediaCommunication, communicationIdOf, participantMedia } from './communication-choice.ts';

const disconnected = { state: 'disconnected', disconnectedTime: '2026-01-01T10:00:00.000Z' };

function conv(...participants: Models.Participant[]): Models.Conversation {
  return { id: 'c1', participants } as Models.Conversation;
}

describe('chooseCommunication', () => {
  it('maps each communication array to its wrap-up path, as analytics media types do', () => {
    const cases: [keyof Models.Participant, string, string][] = [
      ['calls', 'voice', 'calls'],
      ['callbacks', 'callback', 'callbacks'],
      ['emails', 'email', 'emails'],
      ['messages', 'message', 'messages'],
    ];
    for (const [kind, analytics, path] of cases) {
      const choice = chooseCommunication(conv({ id: 'p1', purpose: 'agent', [kind]: [{ id: 'm1', ...disconnected }] }), 'p1');
      expect(choice).toMatchObject({ kind: 'choose', preselected: 'm1', candidates: [{ id: 'm1', path, missing: true }] });
      // The live conversation and analytics agree on the path for the same media.
      expect(mediaPathFromAnalytics(analytics)).toEqual({ writable: true, path });
      expect(participantMedia(choice)).toBe(path);
    }
  });

  it('preselects the one communication whose wrap-up is missing', () => {
    const p = {
      id: 'p1',
      purpose: 'agent',
      calls: [
        { id: 'coded', ...disconnected, wrapup: { code: 'w1', name: 'Sale' } },
        { id: 'open', ...disconnected },
      ],
    } as Models.Participant;
    const choice = chooseCommunication(conv(p), 'p1');
    expect(choice.kind === 'choose' && choice.preselected).toBe('open');
    expect(choice.kind === 'choose' && choice.candidates.map((c) => [c.id, c.missing])).toEqual([
      ['coded', false],
      ['open', true],
    ]);
  });

  it('does not preselect a communication still in after-call work that began less than the grace period ago (the shared rule)', () => {
    const now = Date.parse('2026-01-01T10:03:00.000Z');
    const p = {
      id: 'p1',
      purpose: 'agent',
      calls: [
        { id: 'acw', ...disconnected, afterCallWork: { state: 'pending', startTime: '2026-01-01T10:00:00.000Z' } },
        { id: 'old', ...disconnected },
      ],
    } as Models.Participant;
    const choice = chooseCommunication(conv(p), 'p1', now);
    expect(choice.kind === 'choose' && choice.preselected).toBe('old');
    expect(choice.kind === 'choose' && choice.candidates.map((c) => [c.id, c.missing, c.wrapupState])).toEqual([
      ['acw', true, 'active'],
      ['old', true, 'missing'],
    ]);
    // Five minutes after ACW began it counts as abandoned: both are missing, the user picks.
    expect(chooseCommunication(conv(p), 'p1', now + 2 * 60_000)).toMatchObject({ kind: 'choose', preselected: undefined });
  });

  it('lets the user pick when several communications miss a wrap-up', () => {
    const p = {
      id: 'p1',
      purpose: 'agent',
      calls: [
        { id: 'a', ...disconnected },
        { id: 'b', ...disconnected },
      ],
    } as Models.Participant;
    const choice = chooseCommunication(conv(p), 'p1');
    expect(choice).toMatchObject({ kind: 'choose', preselected: undefined });
    expect(choice.kind === 'choose' && choice.candidates).toHaveLength(2);
  });

  it('offers the single coded communication (for a replace) when nothing is missing', () => {
    const p = { id: 'p1', purpose: 'agent', emails: [{ id: 'e', ...disconnected, wrapup: { code: 'w1' } }] } as Models.Participant;
    expect(chooseCommunication(conv(p), 'p1')).toMatchObject({ kind: 'choose', preselected: 'e', candidates: [{ missing: false }] });
  });

  it('says plainly that chat has no write path', () => {
    const p = { id: 'p1', purpose: 'agent', chats: [{ id: 'ch', ...disconnected }] } as Models.Participant;
    expect(chooseCommunication(conv(p), 'p1')).toEqual({ kind: 'no-write-path', kinds: ['chats'], chat: true });
    expect(participantMedia(chooseCommunication(conv(p), 'p1'))).toBeNull();
  });

  it('reports other media without a write path, and lists unwritable ones next to writable ones', () => {
    const internal = { id: 'p1', purpose: 'agent', internalMessages: [{ id: 'i' }] } as Models.Participant;
    expect(chooseCommunication(conv(internal), 'p1')).toEqual({ kind: 'no-write-path', kinds: ['internalMessages'], chat: false });
    const mixed = { id: 'p1', purpose: 'agent', calls: [{ id: 'c', ...disconnected }], chats: [{ id: 'ch' }] } as Models.Participant;
    expect(chooseCommunication(conv(mixed), 'p1')).toMatchObject({ kind: 'choose', preselected: 'c', unwritable: ['chats'] });
  });

  it('refuses customers and unknown participants', () => {
    const customer = { id: 'p0', purpose: 'customer', calls: [{ id: 'c', ...disconnected }] } as Models.Participant;
    expect(chooseCommunication(conv(customer), 'p0')).toEqual({ kind: 'not-agent', purpose: 'customer' });
    expect(chooseCommunication(conv(customer), 'nope')).toEqual({ kind: 'participant-not-found' });
    expect(chooseCommunication({ id: 'c' } as Models.Conversation, 'p0')).toEqual({ kind: 'participant-not-found' });
  });
});

describe('chooseMediaCommunication (an agent reads their own conversation through the media GET)', () => {
  it("offers the participant's communication with the id the list gave, classified by the live rule", () => {
    const mediaConv = {
      id: 'c1',
      participants: [
        { id: 'p1', purpose: 'agent', state: 'disconnected', endTime: disconnected.disconnectedTime, wrapupSkipped: true },
        { id: 'cust', purpose: 'customer' },
      ],
    };
    const choice = chooseMediaCommunication(mediaConv, 'calls', 'p1', 'comm-9');
    expect(choice).toMatchObject({ kind: 'choose', preselected: 'comm-9', unwritable: [] });
    const c = choice.kind === 'choose' ? choice.candidates[0]! : undefined;
    expect(c).toMatchObject({
      kind: 'calls',
      path: 'calls',
      id: 'comm-9',
      missing: true,
      wrapupState: 'missing',
      disconnectedTime: disconnected.disconnectedTime,
    });
    expect(c && communicationIdOf(c)).toBe('comm-9');
    expect(c?.participantLevel).toBeUndefined();
  });

  it('without a communication id the candidate is the participant (written by PATCH, read from the participant)', () => {
    const choice = chooseMediaCommunication(
      { participants: [{ id: 'p1', purpose: 'agent', state: 'disconnected', wrapup: { code: 'x', name: 'X' } }] },
      'calls',
      'p1',
      undefined,
    );
    const c = choice.kind === 'choose' ? choice.candidates[0]! : undefined;
    expect(c).toMatchObject({ id: 'p1', participantLevel: true, missing: false, wrapupState: 'coded' });
    expect(c && communicationIdOf(c)).toBe('');
  });

  it('says when the participant is not there or not an agent', () => {
    expect(chooseMediaCommunication({ participants: [] }, 'calls', 'p1', 'x')).toEqual({ kind: 'participant-not-found' });
    expect(chooseMediaCommunication({ participants: [{ id: 'p1', purpose: 'customer' }] }, 'emails', 'p1', 'x')).toEqual({
      kind: 'not-agent',
      purpose: 'customer',
    });
  });
});
