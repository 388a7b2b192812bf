/**
 * sortRows at worklist scale (issue 17: 100,000 rows): the packed native sort gives exactly the
 * order of the plain comparator the worklist is specified by (key, then start newest first, then id).
 */
import { buildNames } from './names.ts';
import { filterRows, sortRows } from './worklist-rows.ts';
import { withConfirmedWrapup, type ConversationRow, type WrapupStatus } from './wrapup-status.ts';

const STATUSES: WrapupStatus[] = ['missing', 'coded', 'system', 'active', 'not-writable', 'unanswered'];
const RANK: Record<WrapupStatus, number> = { missing: 0, 'not-writable': 1, active: 2, system: 3, coded: 4, unanswered: 5 };
const names = buildNames(
  [
    { id: 'q0', name: 'Zoll' },
    { id: 'q1', name: 'Ärger' },
    { id: 'q2', name: 'billing' },
  ],
  [],
  [],
);

/** Deterministic rows with many equal keys and equal starts (ties at every level). */
function rows(n: number): ConversationRow[] {
  return Array.from({ length: n }, (_, i) => {
    const status = STATUSES[(i * 7) % 6]!;
    const agent = { participantId: `p${i}`, purpose: 'agent', name: `Agent ${(i * 13) % 37}`, wrapup: { status, mediaType: 'voice' } };
    return {
      id: `c${(i * 7919) % n}`,
      start: 1_700_000_000_000 + Math.floor(i / 4) * 1000,
      end: undefined,
      durationMs: i % 89 === 0 ? undefined : (i * 31) % 4000,
      media: ['voice', 'email', 'message', 'callback'][i % 4]!,
      direction: i % 3 ? 'inbound' : 'outbound',
      queueIds: i % 10 ? [`q${i % 3}`] : [],
      participants: [agent],
      agents: i % 17 ? [agent] : [],
    } as unknown as ConversationRow;
  });
}

/** The specification: one comparator. */
function reference(
  list: readonly ConversationRow[],
  column: 'start' | 'duration' | 'media' | 'direction' | 'queue' | 'agents' | 'wrapup',
  desc: boolean,
): string[] {
  const key = (r: ConversationRow): number | string => {
    if (column === 'start') return r.start;
    if (column === 'duration') return r.durationMs ?? Number.MAX_SAFE_INTEGER;
    if (column === 'media') return r.media;
    if (column === 'direction') return r.direction;
    if (column === 'queue') return r.queueIds[0] ? names.queue(r.queueIds[0]).toLocaleLowerCase() : '';
    if (column === 'agents') return r.agents.map((a) => a.name.toLocaleLowerCase()).join(', ');
    return Math.min(9, ...r.agents.map((a) => (a.wrapup ? RANK[a.wrapup.status] : 9)));
  };
  return [...list]
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) return desc ? -c : c;
      if (a.start !== b.start) return b.start - a.start;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    })
    .map((r) => r.id);
}

describe('sorting many rows', () => {
  const big = rows(30_000);
  for (const column of ['start', 'duration', 'media', 'direction', 'queue', 'agents', 'wrapup'] as const)
    it(`by ${column}, both directions: the comparator's order exactly`, () => {
      for (const desc of [false, true]) expect(sortRows(big, column, desc, names).map((r) => r.id)).toEqual(reference(big, column, desc));
    });

  it('sorting first and filtering after gives the same rows in the same order as filtering first', () => {
    const scope = { queue: null, agent: null };
    for (const status of ['missing', 'coded', 'any'] as const)
      expect(filterRows(sortRows(big, 'duration', true, names), status, scope).map((r) => r.id)).toEqual(
        sortRows(filterRows(big, status, scope), 'duration', true, names).map((r) => r.id),
      );
  });
});

describe('filtering many rows by status', () => {
  const big = rows(30_000);
  const wanted = { missing: ['missing', 'not-writable'], system: ['system'], coded: ['coded'] } as const;

  it('without a queue or agent scope: the rows with an agent of that status, in order, every time', () => {
    for (let round = 0; round < 2; round++)
      for (const status of ['missing', 'system', 'coded'] as const)
        expect(filterRows(big, status, { queue: null, agent: null }).map((r) => r.id)).toEqual(
          big.filter((r) => r.agents.some((a) => a.wrapup && (wanted[status] as readonly string[]).includes(a.wrapup.status))).map((r) => r.id),
        );
  });

  it('a row changed after a filter (a confirmed wrap-up: a new row object) is filtered by its new status', () => {
    const scope = { queue: null, agent: null };
    const r0 = rows(1)[0]!;
    const missing = {
      ...r0,
      participants: [
        {
          ...r0.participants[0]!,
          participantId: 'p',
          sessions: [{ sessionId: 's', mediaType: 'voice', status: 'missing', state: 'disconnected', acw: 'none' }],
          wrapup: { status: 'missing', mediaType: 'voice', communicationId: 's' },
        },
      ],
    } as unknown as ConversationRow;
    const before = { ...missing, agents: missing.participants };
    expect(filterRows([before], 'missing', scope)).toHaveLength(1);
    const after = withConfirmedWrapup(before, { participantId: 'p', communicationId: 's', code: 'code-1' });
    expect(after).not.toBe(before);
    expect(filterRows([after], 'missing', scope)).toHaveLength(0);
    expect(filterRows([after], 'coded', scope)).toHaveLength(1);
    expect(filterRows([before], 'missing', scope)).toHaveLength(1);
  });
});
