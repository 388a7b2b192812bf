import { selectionFromState, toBulkTargets } from './bulk-targets.ts';
import type { WorklistTarget } from '@/features/conversations/worklist-rows.ts';

const target = (n: number): WorklistTarget => ({
  conversationId: `c${n}`,
  participantId: `p${n}`,
  communicationId: `s${n}`,
  mediaType: 'voice',
  userId: `u${n}`,
  queueId: 'q1',
  name: `Agent ${n}`,
  writable: true,
});

describe('bulk targets in history state', () => {
  it('carries ids only (conversation, participant, communication) and reads them back as the selection', () => {
    const state = toBulkTargets([target(1), target(2)]);
    expect(state).toEqual([
      { conversationId: 'c1', participantId: 'p1', communicationId: 's1' },
      { conversationId: 'c2', participantId: 'p2', communicationId: 's2' },
    ]);
    // What the browser gives back after a reload is a structured clone of it.
    expect(selectionFromState(structuredClone(state))).toEqual(state);
  });

  it('no state, or nothing usable in it, is no selection; damaged entries are dropped', () => {
    expect(selectionFromState(undefined)).toBeNull();
    expect(selectionFromState('c1')).toBeNull();
    expect(selectionFromState([])).toBeNull();
    expect(selectionFromState([null, 3, { conversationId: 'c1' }, { participantId: 'p1' }])).toBeNull();
    expect(
      selectionFromState([
        { conversationId: 'c1', participantId: 'p1', communicationId: 7 },
        { conversationId: '', participantId: 'p2' },
      ]),
    ).toEqual([{ conversationId: 'c1', participantId: 'p1' }]);
  });
});
