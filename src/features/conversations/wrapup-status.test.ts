import {
  agentWrapup,
  agentsInScope,
  conversationRow,
  countStatuses,
  missingTotal,
  participantState,
  sessionState,
  withConfirmedWrapup,
  type AnalyticsConversation,
} from './wrapup-status.ts';

/** Hand-made analytics records in the platform's shape (genesys-platform.md §3). */
const T0 = Date.parse('2025-03-03T09:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

type Seg = { type: string; from: number; to?: number; code?: string; queue?: string; disc?: string; note?: string };
function session(id: string, mediaType: string, segs: Seg[], extra: { acwSkipped?: boolean } = {}) {
  return {
    sessionId: id,
    mediaType,
    direction: 'inbound',
    ...extra,
    segments: segs.map((s) => ({
      segmentType: s.type,
      segmentStart: at(s.from),
      ...(s.to !== undefined ? { segmentEnd: at(s.to) } : {}),
      ...(s.code ? { wrapUpCode: s.code } : {}),
      ...(s.note ? { wrapUpNote: s.note } : {}),
      ...(s.queue ? { queueId: s.queue } : {}),
      ...(s.disc ? { disconnectType: s.disc } : {}),
    })),
  };
}
function agent(pid: string, userId: string, sessions: ReturnType<typeof session>[], name = `Agent ${userId}`) {
  return { participantId: pid, participantName: name, purpose: 'agent', userId, sessions };
}
const customer = (media = 'voice') => ({
  participantId: 'cust',
  participantName: 'Customer 1',
  purpose: 'customer',
  sessions: [session('c-s', media, [{ type: 'interact', from: 0, to: 600, disc: 'peer' }])],
});
const acd = {
  participantId: 'acd',
  participantName: 'Support',
  purpose: 'acd',
  sessions: [session('acd-s', 'voice', [{ type: 'interact', from: 10, to: 20, queue: 'q1', disc: 'transfer' }])],
};

const answered = (code?: string, extra: Seg[] = []): Seg[] => [
  { type: 'alert', from: 20, to: 25, queue: 'q1' },
  { type: 'interact', from: 25, to: 300, queue: 'q1', disc: 'peer' },
  ...(code ? [{ type: 'wrapup', from: 300, to: 330, code, queue: 'q1' }] : []),
  ...extra,
];

function conv(participants: unknown[], over: Partial<AnalyticsConversation> = {}): AnalyticsConversation {
  return {
    conversationId: 'conv-1',
    conversationStart: at(0),
    conversationEnd: at(600),
    originatingDirection: 'inbound',
    participants,
    ...over,
  } as AnalyticsConversation;
}

describe('session status', () => {
  it('a session with an org code is coded; the code and note are kept', () => {
    const s = sessionState(session('s1', 'voice', [...answered(), { type: 'wrapup', from: 300, to: 330, code: 'code-sales', note: 'ok' }]), 'agent');
    expect(s).toMatchObject({ status: 'coded', code: 'code-sales', note: 'ok', state: 'disconnected', acw: 'complete', disconnectType: 'peer' });
  });

  it('ININ-WRAP-UP-TIMEOUT is system-coded, not coded and not missing', () => {
    expect(sessionState(session('s1', 'voice', answered('ININ-WRAP-UP-TIMEOUT')), 'agent').status).toBe('system');
  });

  it('ININ-OUTBOUND-* dialer codes are system-coded', () => {
    expect(sessionState(session('s1', 'voice', answered('ININ-OUTBOUND-ANSWERING-MACHINE')), 'agent').status).toBe('system');
  });

  it('ended without any code is missing (ACW not applicable)', () => {
    expect(sessionState(session('s1', 'voice', answered()), 'agent')).toMatchObject({ status: 'missing', acw: 'none' });
  });

  it('skipped ACW is missing, and says skipped', () => {
    expect(sessionState(session('s1', 'email', answered(), { acwSkipped: true }), 'agent')).toMatchObject({ status: 'missing', acw: 'skipped' });
  });

  it('an open wrap-up segment without a code is pending ACW: missing once it is older than the grace period (5 min)', () => {
    const s = sessionState(session('s1', 'message', answered(undefined, [{ type: 'wrapup', from: 300 }])), 'agent', T0 + 300_000 + 5 * 60_000);
    expect(s).toMatchObject({ status: 'missing', acw: 'pending', state: 'disconnected', acwSince: T0 + 300_000 });
  });

  it('pending ACW younger than the grace period is active (the agent is probably choosing a code), like the bulk preview', () => {
    const s = sessionState(session('s1', 'message', answered(undefined, [{ type: 'wrapup', from: 300 }])), 'agent', T0 + 300_000 + 2 * 60_000);
    expect(s).toMatchObject({ status: 'active', acw: 'pending', state: 'disconnected', acwSince: T0 + 300_000 });
  });

  it('an interaction still going on is active, not missing', () => {
    const s = sessionState(
      session('s1', 'voice', [
        { type: 'alert', from: 0, to: 5 },
        { type: 'interact', from: 5 },
      ]),
      'agent',
    );
    expect(s).toMatchObject({ status: 'active', state: 'active' });
  });

  it('a chat without a code is missing but not writable (no chat wrap-up path since SDK v259)', () => {
    expect(sessionState(session('s1', 'chat', answered()), 'agent').status).toBe('not-writable');
  });

  it('an alert-only session (never answered) expects no wrap-up', () => {
    expect(sessionState(session('s1', 'voice', [{ type: 'alert', from: 0, to: 15, disc: 'noAnswerTransfer' }]), 'agent').status).toBe('unanswered');
  });

  it('the latest code wins when a code was replaced', () => {
    const s = sessionState(
      session('s1', 'voice', [
        ...answered(),
        { type: 'wrapup', from: 300, to: 310, code: 'ININ-WRAP-UP-TIMEOUT' },
        { type: 'wrapup', from: 900, to: 901, code: 'code-fixed' },
      ]),
      'agent',
    );
    expect(s).toMatchObject({ status: 'coded', code: 'code-fixed' });
  });
});

describe('agent participant status', () => {
  it('several sessions: one ended session without a code makes the participant missing, targeting that session', () => {
    const p = participantState(agent('a1', 'u1', [session('s-coded', 'voice', answered('code-sales')), session('s-missing', 'voice', answered())]));
    expect(p.wrapup).toEqual({ status: 'missing', communicationId: 's-missing', mediaType: 'voice', code: 'code-sales' });
  });

  it('several sessions, all coded: coded with the latest code', () => {
    const p = participantState(agent('a1', 'u1', [session('s1', 'voice', answered('code-a')), session('s2', 'voice', answered('code-b'))]));
    expect(p.wrapup).toMatchObject({ status: 'coded', code: 'code-b' });
    expect(p.wrapup?.communicationId).toBeUndefined();
  });

  it('a ring-no-answer session next to an answered coded one does not make it missing', () => {
    const p = participantState(
      agent('a1', 'u1', [session('s-ring', 'voice', [{ type: 'alert', from: 0, to: 10 }]), session('s2', 'voice', answered('code-a'))]),
    );
    expect(p.wrapup?.status).toBe('coded');
  });

  it('no sessions at all: nothing to wrap up', () => {
    expect(agentWrapup([]).status).toBe('unanswered');
  });

  it('keeps the queue, the user and the ACW state', () => {
    const p = participantState(agent('a1', 'u1', [session('s1', 'voice', answered(undefined, [{ type: 'wrapup', from: 300 }]))]));
    expect(p).toMatchObject({ queueId: 'q1', userId: 'u1', acw: 'pending', state: 'disconnected', purpose: 'agent' });
  });
});

describe('conversation rows and counts', () => {
  it('a transfer: each agent participant has its own status', () => {
    const row = conversationRow(
      conv([
        customer(),
        acd,
        agent(
          'a1',
          'u1',
          [
            session('s1', 'voice', [
              { type: 'alert', from: 20, to: 25, queue: 'q1' },
              { type: 'interact', from: 25, to: 200, queue: 'q1', disc: 'transfer' },
            ]),
          ],
          'Ann',
        ),
        agent(
          'a2',
          'u2',
          [
            session('s2', 'voice', [
              { type: 'alert', from: 200, to: 205, queue: 'q2' },
              { type: 'interact', from: 205, to: 600, queue: 'q2' },
              { type: 'wrapup', from: 600, to: 640, queue: 'q2', code: 'code-x' },
            ]),
          ],
          'Bob',
        ),
      ]),
    );
    expect(row.agents.map((a) => [a.name, a.wrapup?.status, a.queueId])).toEqual([
      ['Ann', 'missing', 'q1'],
      ['Bob', 'coded', 'q2'],
    ]);
    expect(row.queueIds).toEqual(['q1', 'q2']);
    expect(row.media).toBe('voice');
    expect(row.durationMs).toBe(600_000);
    const all = countStatuses([row], { queue: null, agent: null });
    expect(all).toMatchObject({ missing: 1, coded: 1 });
    // A queue filter narrows the agent participants that count, not only the rows.
    expect(countStatuses([row], { queue: 'q2', agent: null })).toMatchObject({ missing: 0, coded: 1 });
    expect(agentsInScope(row, { queue: null, agent: 'u1' }).map((a) => a.participantId)).toEqual(['a1']);
  });

  it('a confirmed write patches only its communication: the participant becomes coded, the other agent stays', () => {
    const row = conversationRow(
      conv([customer(), agent('a1', 'u1', [session('s1', 'voice', answered())]), agent('a2', 'u2', [session('s2', 'voice', answered())])]),
    );
    expect(countStatuses([row], { queue: null, agent: null })).toMatchObject({ missing: 2 });
    const after = withConfirmedWrapup(row, { participantId: 'a1', communicationId: 's1', code: 'code-sale', notes: 'fixed' });
    expect(after.agents.map((a) => [a.participantId, a.wrapup?.status, a.wrapup?.code])).toEqual([
      ['a1', 'coded', 'code-sale'],
      ['a2', 'missing', undefined],
    ]);
    expect(after.agents[0]!.sessions[0]).toMatchObject({ code: 'code-sale', note: 'fixed', acw: 'complete' });
    expect(countStatuses([after], { queue: null, agent: null })).toMatchObject({ missing: 1, coded: 1 });
    // Another communication id (or a non-agent) leaves the row as it was.
    expect(withConfirmedWrapup(row, { participantId: 'a1', communicationId: 'other', code: 'x' })).toBe(row);
    expect(withConfirmedWrapup(row, { participantId: 'cust', communicationId: 'c-s', code: 'x' })).toBe(row);
  });

  it('chat counts as missing in the total, and separately as not writable', () => {
    const row = conversationRow(conv([customer('chat'), agent('a1', 'u1', [session('s1', 'chat', answered())])]));
    const counts = countStatuses([row], { queue: null, agent: null });
    expect(counts['not-writable']).toBe(1);
    expect(missingTotal(counts)).toBe(1);
  });

  it('a conversation still going on has no end and no duration', () => {
    const row = conversationRow(
      conv([customer(), agent('a1', 'u1', [session('s1', 'voice', [{ type: 'interact', from: 5 }])])], { conversationEnd: undefined }),
    );
    expect(row.end).toBeNull();
    expect(row.durationMs).toBeNull();
    expect(row.agents[0]?.wrapup?.status).toBe('active');
  });

  it('non-agent participants carry a state but no wrap-up status', () => {
    const row = conversationRow(conv([customer(), acd]));
    expect(row.agents).toEqual([]);
    expect(row.participants.map((p) => [p.purpose, p.state, p.wrapup])).toEqual([
      ['customer', 'disconnected', undefined],
      ['acd', 'disconnected', undefined],
    ]);
  });
});
