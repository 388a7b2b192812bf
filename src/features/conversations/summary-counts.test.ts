import { ageOf, summarizeMissing } from './summary-counts.ts';
import { agentMatcher } from './worklist-rows.ts';
import { countStatuses, missingTotal, type ConversationRow, type ParticipantState, type WrapupStatus } from './wrapup-status.ts';

function agentP(id: string, userId: string | undefined, status: WrapupStatus, queueId?: string): ParticipantState {
  return {
    participantId: id,
    purpose: 'agent',
    name: userId ? `Name ${userId}` : 'Nameless',
    ...(userId ? { userId } : {}),
    ...(queueId ? { queueId } : {}),
    state: 'disconnected',
    acw: 'none',
    sessions: [],
    wrapup: { status },
  };
}

function row(id: string, start: number, agents: ParticipantState[]): ConversationRow {
  return { id, start, end: start + 1, durationMs: 1, media: 'voice', direction: 'inbound', queueIds: [], participants: agents, agents };
}

const all = { queue: null, agent: null };

describe('missing per agent and per queue (issue 16 item 3)', () => {
  const rows = [
    row('a', 300, [agentP('1', 'ann', 'missing', 'q1'), agentP('2', 'bob', 'coded', 'q1')]),
    row('b', 100, [agentP('3', 'ann', 'not-writable', 'q2')]),
    row('c', 200, [agentP('4', 'bob', 'missing', 'q1'), agentP('5', 'ann', 'system', 'q1')]),
    row('d', 50, [agentP('6', 'cid', 'active', 'q2'), agentP('7', undefined, 'missing')]),
    row('e', 400, [agentP('8', 'bob', 'unanswered', 'q1')]),
  ];

  it('counts what the status filter calls missing (missing and not-writable), per agent with the oldest start', () => {
    const s = summarizeMissing(rows, all);
    expect(s.total).toBe(4);
    expect(s.agents).toEqual([
      { userId: 'ann', name: 'Name ann', missing: 2, oldestStart: 100 },
      // Equal counts: the oldest first.
      { userId: null, name: 'Nameless', missing: 1, oldestStart: 50 },
      { userId: 'bob', name: 'Name bob', missing: 1, oldestStart: 200 },
    ]);
    expect(s.queues).toEqual([
      { queueId: 'q1', missing: 2 },
      { queueId: null, missing: 1 },
      { queueId: 'q2', missing: 1 },
    ]);
  });

  it('agrees with the worklist\'s own "N missing" count, in every scope', () => {
    const scopes = [all, { queue: 'q1', agent: null }, { queue: null, agent: 'ann' }, { queue: null, agent: null, match: agentMatcher('bob', undefined) }];
    for (const scope of scopes) expect(summarizeMissing(rows, scope).total).toBe(missingTotal(countStatuses(rows, scope)));
  });

  it('a queue or agent filter narrows the agents counted, not just the rows', () => {
    const s = summarizeMissing(rows, { queue: 'q1', agent: null });
    expect(s.agents.map((a) => [a.userId, a.missing])).toEqual([
      ['bob', 1],
      ['ann', 1],
    ]);
    expect(s.queues).toEqual([{ queueId: 'q1', missing: 2 }]);
  });

  it('nothing missing: zero, no agents, no queues', () => {
    expect(summarizeMissing([row('x', 1, [agentP('1', 'ann', 'coded', 'q1')])], all)).toEqual({ total: 0, agents: [], queues: [] });
  });

  it('is remembered per rows array and scope, and computed again for a new one', () => {
    const first = summarizeMissing(rows, all);
    expect(summarizeMissing(rows, all)).toBe(first);
    expect(summarizeMissing(rows, { queue: null, agent: null })).not.toBe(first);
    const changed = [...rows.slice(0, 4), row('f', 10, [agentP('9', 'ann', 'missing', 'q1')])];
    expect(summarizeMissing(changed, all).agents[0]).toEqual({ userId: 'ann', name: 'Name ann', missing: 3, oldestStart: 10 });
  });

  it('100,000 rows: one pass (each row read once), and nothing read again for the same array and scope', () => {
    const many = Array.from({ length: 100_000 }, (_, i) =>
      row(`r${i}`, i, [agentP(`p${i}`, `u${i % 250}`, i % 4 === 0 ? 'missing' : i % 4 === 1 ? 'not-writable' : 'coded', `q${i % 12}`)]),
    );
    // Counts the reads of rows by index: wall-clock limits belong to bench/, not to a shared test run.
    let reads = 0;
    const counted = new Proxy(many, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const s = summarizeMissing(counted, all);
    expect(reads).toBe(100_000);
    expect(s.total).toBe(50_000);
    expect(s.agents).toHaveLength(250);
    expect(s.agents.reduce((n, a) => n + a.missing, 0)).toBe(50_000);
    // Missing ones fall on i % 4 of 0 or 1: queues 0, 1, 4, 5, 8 and 9 of 12.
    expect(s.queues.map((q) => q.queueId).sort()).toEqual(['q0', 'q1', 'q4', 'q5', 'q8', 'q9']);
    expect(summarizeMissing(counted, all)).toBe(s);
    expect(reads).toBe(100_000);
  });
});

describe('ageOf', () => {
  it('the largest whole unit, floored', () => {
    expect(ageOf(-5)).toEqual({ value: 0, unit: 'minute' });
    expect(ageOf(59 * 60_000 + 59_999)).toEqual({ value: 59, unit: 'minute' });
    expect(ageOf(3_600_000)).toEqual({ value: 1, unit: 'hour' });
    expect(ageOf(47 * 3_600_000)).toEqual({ value: 1, unit: 'day' });
    expect(ageOf(3 * 86_400_000 + 1)).toEqual({ value: 3, unit: 'day' });
  });
});
