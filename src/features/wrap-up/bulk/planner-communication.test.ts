/** The worklist hands over the communication it found without a code: the planner plans only that one. */
import { planBulk } from './planner.ts';
import type { BulkPlatform, DetailsConversation } from './platform-port.ts';

const ended = '2026-03-01T10:05:00Z';

/** Conversation `c` with agent participant `p` and two communications: `s1` without a code, `s2` coded. */
const conversation: DetailsConversation = {
  conversationId: 'c',
  conversationEnd: ended,
  participants: [
    {
      participantId: 'p',
      purpose: 'agent',
      userId: 'u',
      sessions: [
        { sessionId: 's1', mediaType: 'voice', segments: [{ segmentType: 'interact', segmentEnd: ended, queueId: 'q1' }] },
        {
          sessionId: 's2',
          mediaType: 'voice',
          segments: [
            { segmentType: 'interact', segmentEnd: ended, queueId: 'q1' },
            { segmentType: 'wrapup', segmentEnd: ended, wrapUpCode: 'sale' },
          ],
        },
      ],
    },
  ],
};

function platform() {
  const details: number[] = [];
  const port: Pick<BulkPlatform, 'getDetails' | 'listQueueCodes' | 'participantCodes' | 'listUsers'> = {
    getDetails: (ids) => (details.push(ids.length), Promise.resolve([conversation].filter((c) => ids.includes(c.conversationId!)))),
    listQueueCodes: () => Promise.resolve([{ id: 'sale', name: 'Sale' }]),
    participantCodes: () => Promise.resolve([]),
    listUsers: () => Promise.resolve([]),
  };
  return { port, details };
}

const keys = (plan: { items: { communicationId: string }[] }) => plan.items.map((i) => i.communicationId);

describe('planBulk with named communications', () => {
  it('plans only the named communication, still read from analytics (its state now, not the worklist’s)', async () => {
    const p = platform();
    const plan = await planBulk([{ conversationId: 'c', participantId: 'p', communicationId: 's1' }], { platform: p.port });
    expect(keys(plan)).toEqual(['s1']);
    expect(plan.items[0]!.observed.status).toBe('missing');
    expect(p.details).toEqual([1]);
  });

  it('several named communications add up; a line naming the participant alone takes all of them, in any order', async () => {
    const p = platform();
    expect(
      keys(
        await planBulk(
          [
            { conversationId: 'c', participantId: 'p', communicationId: 's2' },
            { conversationId: 'c', participantId: 'p', communicationId: 's1' },
          ],
          { platform: p.port },
        ),
      ),
    ).toEqual(['s1', 's2']);
    expect(
      keys(
        await planBulk(
          [
            { conversationId: 'c', participantId: 'p', communicationId: 's1' },
            { conversationId: 'c', participantId: 'p' },
          ],
          { platform: p.port },
        ),
      ),
    ).toEqual(['s1', 's2']);
    expect(
      keys(
        await planBulk(
          [
            { conversationId: 'c', participantId: 'p' },
            { conversationId: 'c', participantId: 'p', communicationId: 's1' },
          ],
          { platform: p.port },
        ),
      ),
    ).toEqual(['s1', 's2']);
    expect(keys(await planBulk([{ conversationId: 'c' }, { conversationId: 'c', participantId: 'p', communicationId: 's1' }], { platform: p.port }))).toEqual([
      's1',
      's2',
    ]);
    // A communication analytics does not know (any more) plans nothing for that line.
    expect(keys(await planBulk([{ conversationId: 'c', participantId: 'p', communicationId: 'gone' }], { platform: p.port }))).toEqual([]);
  });
});
