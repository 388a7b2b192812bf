import { ACW_GRACE_MS, classifyLiveCommunication, classifyParticipant, classifySession, codeState, isSystemCode, segmentsInOrder } from './wrapup-rules.ts';
import { CASES, NOW, analyticsSession, at } from './wrapup-rules.test-cases.ts';

describe('isSystemCode', () => {
  it.each([
    ['ININ-WRAP-UP-TIMEOUT', true],
    ['ININ-OUTBOUND-ANSWERING-MACHINE', true],
    ['inin-wrap-up-timeout', true],
    ['Inin-Outbound-Busy', true],
    ['ININ-', true],
    ['code-sale', false],
    ['X-ININ-LIKE', false],
    ['', false],
    [null, false],
    [undefined, false],
  ] as const)('%s → %s (case-insensitive: never counted missing, never written over as a person’s code)', (code, expected) => {
    expect(isSystemCode(code)).toBe(expected);
  });

  it('codeState: a code alone is coded, system-coded or (none) missing', () => {
    expect(codeState('code-sale')).toBe('coded');
    expect(codeState('inin-wrap-up-timeout')).toBe('system-coded');
    expect(codeState(null)).toBe('missing');
    expect(codeState('')).toBe('missing');
  });
});

describe('classifySession: the case table', () => {
  for (const c of CASES) {
    it(c.name, () => {
      for (const a of c.agents) {
        for (const s of a.sessions) {
          const r = classifySession(analyticsSession(s), NOW);
          expect(r.state, `${a.pid}/${s.id}`).toBe(s.expect);
          expect(r.code, `${a.pid}/${s.id} code`).toBe(s.code ?? null);
          expect(r.acwSince, `${a.pid}/${s.id} acwSince`).toBe(s.acwSince ?? null);
        }
        const p = classifyParticipant(a.sessions.map((s) => ({ sessionId: s.id, mediaType: s.media, ...classifySession(analyticsSession(s), NOW) })));
        expect(p.state, a.pid).toBe(a.expect);
        expect(p.sessionId, `${a.pid} target`).toBe(a.target ?? null);
      }
    });
  }
});

describe('classifySession: details', () => {
  const s = (segs: object[], extra: object = {}) => ({ mediaType: 'voice', segments: segs, ...extra });

  it('the grace period: active one millisecond before it ends, missing from then on; the option overrides it', () => {
    const acwStart = Date.parse('2026-01-01T10:00:00Z');
    const session = s([
      { segmentType: 'interact', segmentStart: '2026-01-01T09:55:00Z', segmentEnd: '2026-01-01T10:00:00Z' },
      { segmentType: 'wrapup', segmentStart: new Date(acwStart).toISOString() },
    ]);
    expect(classifySession(session, acwStart + ACW_GRACE_MS - 1)).toMatchObject({ state: 'active', acwSince: acwStart, acw: 'pending', open: false });
    expect(classifySession(session, acwStart + ACW_GRACE_MS)).toMatchObject({ state: 'missing', acwSince: acwStart, acw: 'pending' });
    expect(classifySession(session, acwStart + 60_000, { acwGraceMs: 30_000 }).state).toBe('missing');
    expect(ACW_GRACE_MS).toBe(300_000);
  });

  it('reports the note of the winning code, the ACW state and the last disconnect type', () => {
    const r = classifySession(
      s([
        { segmentType: 'wrapup', segmentStart: at(300), segmentEnd: at(330), wrapUpCode: 'code-sale', wrapUpNote: 'ok' },
        { segmentType: 'interact', segmentStart: at(25), segmentEnd: at(300), disconnectType: 'peer' },
        { segmentType: 'alert', segmentStart: at(20), segmentEnd: at(25), disconnectType: 'x' },
      ]),
      NOW,
    );
    expect(r).toEqual({
      state: 'coded',
      code: 'code-sale',
      note: 'ok',
      acwSince: null,
      acw: 'complete',
      open: false,
      answered: true,
      writable: true,
      disconnectType: 'peer',
      endedAt: Date.parse(at(300)),
    });
  });

  it('a code without a wrap-up segment still means ACW complete; no ACW at all is "none"; skipped is "skipped"', () => {
    expect(classifySession(s([{ segmentType: 'interact', segmentStart: at(1), segmentEnd: at(2), wrapUpCode: 'c' }]), NOW).acw).toBe('complete');
    expect(classifySession(s([{ segmentType: 'interact', segmentStart: at(1), segmentEnd: at(2) }]), NOW).acw).toBe('none');
    expect(classifySession(s([{ segmentType: 'interact', segmentStart: at(1), segmentEnd: at(2) }], { acwSkipped: true }), NOW).acw).toBe('skipped');
  });

  it('orders segments by start; unreadable starts first; ties keep array order', () => {
    const a = { segmentType: 'a', segmentStart: at(10) };
    const b = { segmentType: 'b', segmentStart: at(5) };
    const c = { segmentType: 'c', segmentStart: 'garbage' };
    const d = { segmentType: 'd', segmentStart: at(5) };
    const e = { segmentType: 'e' };
    expect(segmentsInOrder([a, b, c, d, e]).map((x) => x.segmentType)).toEqual(['c', 'e', 'b', 'd', 'a']);
    expect(segmentsInOrder(undefined)).toEqual([]);
  });

  it('two codes with the same start: the one listed last wins', () => {
    const r = classifySession(
      s([
        { segmentType: 'wrapup', segmentStart: at(300), segmentEnd: at(301), wrapUpCode: 'first' },
        { segmentType: 'wrapup', segmentStart: at(300), segmentEnd: at(301), wrapUpCode: 'second' },
      ]),
      NOW,
    );
    expect(r.code).toBe('second');
  });

  it('media without a write path other than chat is not writable either', () => {
    expect(classifySession({ mediaType: 'sms', segments: [{ segmentType: 'interact', segmentStart: at(1), segmentEnd: at(2) }] }, NOW).state).toBe(
      'not-writable',
    );
  });
});

describe('classifyParticipant', () => {
  it('no sessions: nothing to wrap up', () => {
    expect(classifyParticipant([])).toEqual({ state: 'unanswered', code: null, sessionId: null, mediaType: null });
  });

  it('shows the deciding session’s code, else the latest code of any session', () => {
    expect(
      classifyParticipant([
        { sessionId: 's1', state: 'coded', code: 'a' },
        { sessionId: 's2', state: 'missing', code: null, mediaType: 'voice' },
      ]),
    ).toEqual({ state: 'missing', code: 'a', sessionId: 's2', mediaType: 'voice' });
  });
});

describe('classifyLiveCommunication (the single wrap-up form)', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  it.each([
    ['a code', { state: 'disconnected', wrapup: { code: 'code-sale' } }, 'coded'],
    ['a lower-case system code', { state: 'disconnected', wrapup: { code: 'inin-wrap-up-timeout' } }, 'system-coded'],
    ['connected', { state: 'connected' }, 'active'],
    ['alerting', { state: 'alerting' }, 'active'],
    ['disconnected, no ACW', { state: 'disconnected' }, 'missing'],
    ['terminated', { state: 'terminated' }, 'missing'],
    ['no state, but a disconnect time', { disconnectedTime: '2026-01-01T11:00:00Z' }, 'missing'],
    ['no state, no disconnect time', {}, 'active'],
    ['ACW pending for 2 minutes', { state: 'disconnected', afterCallWork: { state: 'pending', startTime: '2026-01-01T11:58:00Z' } }, 'active'],
    ['ACW pending for 10 minutes', { state: 'disconnected', afterCallWork: { state: 'pending', startTime: '2026-01-01T11:50:00Z' } }, 'missing'],
    ['ACW pending, no start', { state: 'disconnected', afterCallWork: { state: 'pending' } }, 'active'],
    ['ACW skipped', { state: 'disconnected', afterCallWork: { state: 'skipped' } }, 'missing'],
    ['an empty code', { state: 'disconnected', wrapup: { code: '' } }, 'missing'],
  ] as const)('%s → %s', (_name, comm, expected) => {
    expect(classifyLiveCommunication(comm, now)).toBe(expected);
  });
});
