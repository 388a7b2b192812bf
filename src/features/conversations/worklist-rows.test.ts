import { csvFileName, worklistCsv } from './export.ts';
import { formulaPieces, HOSTILE_CSV_TEXTS } from '@/lib/csv-test-support.ts';
import { buildNames, codeLabel } from './names.ts';
import { agentMatcher, filterRows, missingTargets, sortRows } from './worklist-rows.ts';
import { countStatuses, missingTotal } from './wrapup-status.ts';
import type { ConversationRow, ParticipantState, WrapupStatus } from './wrapup-status.ts';

function agentP(id: string, name: string, status: WrapupStatus, over: Partial<ParticipantState> = {}): ParticipantState {
  return {
    participantId: id,
    purpose: 'agent',
    name,
    userId: `u-${name}`,
    queueId: 'q1',
    state: 'disconnected',
    acw: 'none',
    sessions: [{ sessionId: `s-${id}`, mediaType: 'voice', status, state: 'disconnected', acw: 'none' }],
    wrapup: {
      status,
      mediaType: 'voice',
      ...(status === 'missing' || status === 'not-writable' ? { communicationId: `s-${id}` } : {}),
      ...(status === 'coded' ? { code: 'code-1' } : status === 'system' ? { code: 'ININ-WRAP-UP-TIMEOUT' } : {}),
    },
    ...over,
  };
}

function row(id: string, start: number, agents: ParticipantState[], over: Partial<ConversationRow> = {}): ConversationRow {
  return { id, start, end: start + 1000, durationMs: 1000, media: 'voice', direction: 'inbound', queueIds: ['q1'], participants: agents, agents, ...over };
}

const names = buildNames(
  [
    { id: 'q1', name: 'Support' },
    { id: 'q2', name: 'Billing' },
  ],
  [],
  [{ id: 'code-1', name: 'Resolved' }],
);
const all = { queue: null, agent: null };

describe('filtering rows by wrap-up status', () => {
  const rows = [
    row('a', 1, [agentP('1', 'Ann', 'missing')]),
    row('b', 2, [agentP('2', 'Bob', 'coded'), agentP('3', 'Cid', 'system')]),
    row('c', 3, [agentP('4', 'Dee', 'not-writable')], { media: 'chat' }),
    row('d', 4, [agentP('5', 'Eve', 'active')]),
  ];
  it('missing includes chat that cannot be written', () => {
    expect(filterRows(rows, 'missing', all).map((r) => r.id)).toEqual(['a', 'c']);
  });
  it('system, coded and any', () => {
    expect(filterRows(rows, 'system', all).map((r) => r.id)).toEqual(['b']);
    expect(filterRows(rows, 'coded', all).map((r) => r.id)).toEqual(['b']);
    expect(filterRows(rows, 'any', all)).toHaveLength(4);
  });
  it('an agent filter looks only at that agent participant', () => {
    expect(filterRows(rows, 'system', { queue: null, agent: 'u-Bob' })).toEqual([]);
    expect(filterRows(rows, 'coded', { queue: null, agent: 'u-Bob' }).map((r) => r.id)).toEqual(['b']);
  });
  it('10,000 rows filter correctly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row(`r${i}`, i, [agentP(`p${i}`, `A${i % 7}`, i % 3 === 0 ? 'missing' : 'coded')]));
    expect(filterRows(many, 'missing', all)).toHaveLength(3334);
  });
});

describe('"Find agent" filters the list (issue 16 item 4)', () => {
  // Two agents with the same name, told apart by their email in the directory.
  const users = [
    { id: 'u-ben1', name: 'Ben Kowalski', email: 'agent3@demo.example' },
    { id: 'u-ben2', name: 'Ben Kowalski', email: 'agent17@demo.example' },
    { id: 'u-chloe', name: 'Chloé García', email: 'chloe@demo.example' },
  ];
  const rows = [
    row('a', 1, [agentP('1', 'Ben Kowalski', 'missing', { userId: 'u-ben1' })]),
    row('b', 2, [agentP('2', 'Ben Kowalski', 'missing', { userId: 'u-ben2' }), agentP('3', 'Chloé García', 'missing', { userId: 'u-chloe' })]),
    row('c', 3, [agentP('4', 'Chloé García', 'coded', { userId: 'u-chloe' })]),
    row('d', 4, [agentP('5', 'Ann', 'missing')]),
  ];
  const scope = (text: string) => ({ queue: null, agent: null, match: agentMatcher(text, users) });

  it('blank text is no filter', () => {
    expect(agentMatcher('', users)).toBeNull();
    expect(agentMatcher('   ', users)).toBeNull();
    expect(agentMatcher(undefined, users)).toBeNull();
  });

  it('matches every word in the name or the directory email, without regard to case or accents', () => {
    expect(filterRows(rows, 'missing', scope('ben')).map((r) => r.id)).toEqual(['a', 'b']);
    expect(filterRows(rows, 'missing', scope('agent17')).map((r) => r.id)).toEqual(['b']);
    expect(filterRows(rows, 'missing', scope('KOWALSKI agent3')).map((r) => r.id)).toEqual(['a']);
    expect(filterRows(rows, 'any', scope('chloe garcia')).map((r) => r.id)).toEqual(['b', 'c']);
    expect(filterRows(rows, 'any', scope('nobody'))).toEqual([]);
  });

  it('narrows the agent participants, not only the rows: status, counts and bulk targets follow', () => {
    // Row b has a missing Ben and a missing Chloé: looking for Chloé, Ben's missing one is not hers.
    expect(filterRows(rows, 'missing', scope('chloe')).map((r) => r.id)).toEqual(['b']);
    expect(missingTotal(countStatuses(rows, scope('chloe')))).toBe(1);
    expect(missingTotal(countStatuses(rows, scope('agent17')))).toBe(1);
    expect(missingTargets(rows, scope('chloe')).map((t) => t.participantId)).toEqual(['3']);
  });
});

describe('sorting rows', () => {
  const rows = [
    row('x', 300, [agentP('1', 'zoe', 'coded')], { durationMs: 5000, queueIds: ['q1'] }),
    row('y', 100, [agentP('2', 'Adam', 'missing')], { durationMs: null, queueIds: ['q2'] }),
    row('z', 200, [agentP('3', 'mia', 'system')], { durationMs: 1000, queueIds: ['q1'] }),
  ];
  it('by start, newest first or oldest first', () => {
    expect(sortRows(rows, 'start', true, names).map((r) => r.id)).toEqual(['x', 'z', 'y']);
    expect(sortRows(rows, 'start', false, names).map((r) => r.id)).toEqual(['y', 'z', 'x']);
  });
  it('by duration, ongoing conversations as the longest', () => {
    expect(sortRows(rows, 'duration', false, names).map((r) => r.id)).toEqual(['z', 'x', 'y']);
  });
  it('by queue name (not id), ties by newest start', () => {
    expect(sortRows(rows, 'queue', false, names).map((r) => r.id)).toEqual(['y', 'x', 'z']);
  });
  it('by agent name, case-insensitive', () => {
    expect(sortRows(rows, 'agents', false, names).map((r) => r.id)).toEqual(['y', 'z', 'x']);
  });
  it('by wrap-up: what needs work first', () => {
    expect(sortRows(rows, 'wrapup', false, names).map((r) => r.id)).toEqual(['y', 'z', 'x']);
  });
  it('does not change its input and is stable on equal keys', () => {
    const copy = rows.slice();
    const twice = sortRows(sortRows(rows, 'media', true, names), 'media', true, names);
    expect(rows).toEqual(copy);
    expect(twice.map((r) => r.id)).toEqual(['x', 'z', 'y']);
  });
});

describe('selection targets for the bulk feature', () => {
  it('lists the missing agent participants with their communication, chat marked not writable', () => {
    const rows = [
      row('a', 1, [agentP('1', 'Ann', 'missing'), agentP('2', 'Bob', 'coded')]),
      row('c', 2, [agentP('4', 'Dee', 'not-writable')], { media: 'chat' }),
    ];
    expect(missingTargets(rows, all)).toEqual([
      { conversationId: 'a', participantId: '1', communicationId: 's-1', mediaType: 'voice', userId: 'u-Ann', queueId: 'q1', name: 'Ann', writable: true },
      { conversationId: 'c', participantId: '4', communicationId: 's-4', mediaType: 'voice', userId: 'u-Dee', queueId: 'q1', name: 'Dee', writable: false },
    ]);
  });
});

describe('code names', () => {
  it('org codes by name, system codes by meaning, unknown ids as the id', () => {
    expect(codeLabel('code-1', names)).toEqual({ kind: 'named', name: 'Resolved' });
    expect(codeLabel('ININ-WRAP-UP-TIMEOUT', names)).toEqual({ kind: 'timeout' });
    expect(codeLabel('ININ-OUTBOUND-LIVE-VOICE', names)).toEqual({ kind: 'outbound', detail: 'LIVE-VOICE' });
    expect(codeLabel('0000-gone', names)).toEqual({ kind: 'unknown', id: '0000-gone' });
  });
});

describe('CSV export', () => {
  it('one line per agent participant, platform text defused against formulas', () => {
    const rows = [row('conv-1', Date.parse('2025-03-01T10:00:00Z'), [agentP('p1', '=HYPERLINK("http://evil")', 'missing'), agentP('p2', '@Bob', 'coded')])];
    const csv = worklistCsv(rows, all, {
      header: (c) => c,
      queue: (id) => names.queue(id),
      status: (p) => p.wrapup?.status ?? '',
      code: (id) => names.code(id),
    });
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'conversationId,start,durationSeconds,media,direction,queue,participantId,agent,userId,status,wrapupCode,wrapupCodeId,communicationId',
    );
    expect(lines[1]).toBe(
      `conv-1,2025-03-01T10:00:00.000Z,1,voice,inbound,Support,p1,"'=HYPERLINK(""http://evil"")",u-=HYPERLINK("http://evil"),missing,,,s-p1`.replace(
        'u-=HYPERLINK("http://evil")',
        '"u-=HYPERLINK(""http://evil"")"',
      ),
    );
    expect(lines[2]).toBe("conv-1,2025-03-01T10:00:00.000Z,1,voice,inbound,Support,p2,'@Bob,u-@Bob,coded,Resolved,code-1,s-p2");
    expect(csvFileName(new Date(2025, 2, 1, 9, 5))).toBe('wrapup-worklist-20250301-0905.csv');
  });

  it('no cell starts a formula when read with , or ; as separator (a queue named "Messaging;=2+2")', () => {
    const hostileNames = buildNames([{ id: 'q1', name: 'Messaging;=2+2' }], [], [{ id: 'code-1', name: 'Sale;@SUM(A1)' }]);
    const rows = HOSTILE_CSV_TEXTS.map((t, i) => row(`conv-${i}`, Date.parse('2025-03-01T10:00:00Z'), [agentP(`p${i}`, t, 'coded', { userId: t })]));
    const csv = worklistCsv(rows, all, {
      header: (c) => c,
      queue: (id) => hostileNames.queue(id),
      status: (p) => p.wrapup?.status ?? '',
      code: (id) => hostileNames.code(id),
    });
    expect(formulaPieces(csv)).toEqual([]);
  });
});
