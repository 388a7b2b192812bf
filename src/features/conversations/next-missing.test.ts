import { firstFixable, nextMissing, type PanelTarget } from './next-missing.ts';
import type { ConversationRow, ParticipantState, WrapupStatus } from './wrapup-status.ts';

function agentP(id: string, status: WrapupStatus, queueId = 'q1'): ParticipantState {
  return {
    participantId: id,
    purpose: 'agent',
    name: `Agent ${id}`,
    userId: `u-${id}`,
    queueId,
    state: 'disconnected',
    acw: 'none',
    sessions: [{ sessionId: `s-${id}`, mediaType: 'voice', status, state: 'disconnected', acw: 'none' }],
    wrapup: { status, mediaType: 'voice', ...(status === 'missing' || status === 'not-writable' ? { communicationId: `s-${id}` } : {}) },
  };
}

function row(id: string, agents: ParticipantState[]): ConversationRow {
  return { id, start: 0, end: 1, durationMs: 1, media: 'voice', direction: 'inbound', queueIds: ['q1'], participants: agents, agents };
}

const all = { queue: null, agent: null };
const at = (conversationId: string, participantId: string): PanelTarget => ({ conversationId, participantId, name: `Agent ${participantId}` });
const ids = (t: PanelTarget | null) => (t ? `${t.conversationId}/${t.participantId}` : null);

describe('"Save and next missing": the next fixable participant in the table order', () => {
  const rows = [
    row('a', [agentP('1', 'missing')]),
    row('b', [agentP('2', 'coded')]),
    row('c', [agentP('3', 'not-writable')]), // chat: no write path, skipped
    row('d', [agentP('4', 'missing'), agentP('5', 'missing')]),
    row('e', [agentP('6', 'active')]),
    row('f', [agentP('7', 'missing', 'q2')]),
  ];

  it('follows the order of the rows, skipping coded, active and unwritable participants', () => {
    expect(ids(nextMissing(rows, all, at('a', '1')))).toBe('d/4');
    expect(ids(nextMissing(rows, all, at('d', '5')))).toBe('f/7');
  });

  it('takes a later agent of the same conversation first', () => {
    expect(ids(nextMissing(rows, all, at('d', '4')))).toBe('d/5');
  });

  it('starts from the top again after the last row, and says null when nothing else is missing', () => {
    expect(ids(nextMissing(rows, all, at('f', '7')))).toBe('a/1');
    expect(nextMissing([row('a', [agentP('1', 'missing')])], all, at('a', '1'))).toBeNull();
    expect(nextMissing([], all, null)).toBeNull();
  });

  it('without a current participant: the first fixable one', () => {
    expect(ids(nextMissing(rows, all, null))).toBe('a/1');
  });

  it('after a save took the row out of the list, the row now at its old index follows', () => {
    // 'a' was coded and left the "missing" list: 'd' is now at index 0, where 'a' was.
    const after = rows.filter((r) => r.id !== 'a');
    expect(ids(nextMissing(after, all, at('a', '1'), 0))).toBe('d/4');
    // 'd' was at index 2 of the missing-only list [a, c, d, f]; 'f' moved up to that index.
    const missingOnly = [rows[0]!, rows[2]!, rows[5]!];
    expect(ids(nextMissing(missingOnly, all, at('d', '5'), 2))).toBe('f/7');
  });

  it('the same row still listed (the "any" filter), now coded: the order goes on after it', () => {
    const coded = rows.map((r) => (r.id === 'a' ? row('a', [agentP('1', 'coded')]) : r));
    expect(ids(nextMissing(coded, all, at('a', '1'), 0))).toBe('d/4');
  });

  it('only agents in the queue/agent scope count', () => {
    expect(ids(nextMissing(rows, { queue: 'q2', agent: null }, null))).toBe('f/7');
    expect(ids(nextMissing(rows, { queue: null, agent: 'u-5' }, null))).toBe('d/5');
  });

  it("firstFixable: the row's first fixable agent in scope", () => {
    expect(ids(firstFixable(rows[3]!, all))).toBe('d/4');
    expect(firstFixable(rows[1]!, all)).toBeNull();
    expect(firstFixable(rows[2]!, all)).toBeNull();
  });
});
