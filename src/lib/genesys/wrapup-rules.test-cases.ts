/**
 * The case table of the wrap-up classification, shared by `wrapup-rules.test.ts` (the rule itself)
 * and `features/wrap-up/bulk/classification-agreement.test.ts` (the worklist's and the bulk
 * preview's code paths give the same answer). Test data only: nothing in the app imports it.
 *
 * Each case is one analytics conversation in the platform's shape (genesys-platform.md §3), read at
 * `NOW`, with what every agent participant and every one of its sessions must be.
 */
import type { Models } from 'purecloud-platform-client-v2';
import { ACW_GRACE_MS, type WrapupState } from './wrapup-rules.ts';

export const T0 = Date.parse('2026-03-01T10:00:00Z');
/** The moment every case is classified at: one hour after the conversations began. */
export const NOW = T0 + 3_600_000;
export const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
/** An ISO time `ms` before NOW. */
export const before = (ms: number): string => new Date(NOW - ms).toISOString();

export interface Seg {
  type: string;
  /** Start: seconds after T0, or an ISO string (for times relative to NOW, or an unreadable one). */
  from?: number | string;
  to?: number | string;
  code?: string;
  note?: string;
  queue?: string;
  disc?: string;
}

export interface CaseSession {
  id: string;
  media: string;
  segs: Seg[];
  acwSkipped?: boolean;
  /** The state the rule gives this session. */
  expect: WrapupState;
  /** The code the rule reports (default: none). */
  code?: string;
  /** Pending after-call work without a code: when it began (epoch ms). */
  acwSince?: number;
}

export interface CaseAgent {
  pid: string;
  sessions: CaseSession[];
  /** The participant's state (several sessions: the strongest, see `classifyParticipant`). */
  expect: WrapupState;
  /** The session a wrap-up goes to (missing / not-writable). */
  target?: string;
}

export interface ClassificationCase {
  name: string;
  agents: CaseAgent[];
}

const iso = (t: number | string): string => (typeof t === 'number' ? at(t) : t);

export function segment(s: Seg): Models.AnalyticsConversationSegment {
  const out: Models.AnalyticsConversationSegment = { segmentType: s.type };
  if (s.from !== undefined) out.segmentStart = iso(s.from);
  if (s.to !== undefined) out.segmentEnd = iso(s.to);
  if (s.code !== undefined) out.wrapUpCode = s.code;
  if (s.note !== undefined) out.wrapUpNote = s.note;
  if (s.queue !== undefined) out.queueId = s.queue;
  if (s.disc !== undefined) out.disconnectType = s.disc;
  return out;
}

export function analyticsSession(s: CaseSession): Models.AnalyticsSession {
  const out: Models.AnalyticsSession = { sessionId: s.id, mediaType: s.media, segments: s.segs.map(segment) };
  if (s.acwSkipped !== undefined) out.acwSkipped = s.acwSkipped;
  return out;
}

/** The case as the analytics details query returns it, with a customer participant. */
export function analyticsConversation(c: ClassificationCase, id = 'conv-1'): Models.AnalyticsConversationWithoutAttributes {
  const media = c.agents[0]?.sessions[0]?.media ?? 'voice';
  return {
    conversationId: id,
    conversationStart: at(0),
    conversationEnd: at(900),
    originatingDirection: 'inbound',
    participants: [
      {
        participantId: 'customer',
        participantName: 'Customer',
        purpose: 'customer',
        sessions: [{ sessionId: 'customer-s', mediaType: media, segments: [segment({ type: 'interact', from: 0, to: 900, disc: 'peer' })] }],
      },
      ...c.agents.map((a) => ({
        participantId: a.pid,
        participantName: `Agent ${a.pid}`,
        purpose: 'agent',
        userId: `user-${a.pid}`,
        sessions: a.sessions.map(analyticsSession),
      })),
    ],
  };
}

// Building blocks: alert, talk (ended by `disc`), then optionally after-call work.
const ring = (from = 20, to = 25, disc?: string): Seg => ({ type: 'alert', from, to, queue: 'q1', ...(disc ? { disc } : {}) });
const talk = (from = 25, to = 300, disc = 'peer'): Seg => ({ type: 'interact', from, to, queue: 'q1', disc });
const wrap = (code: string, from = 300, to = 330): Seg => ({ type: 'wrapup', from, to, code, queue: 'q1' });
const answered = (...extra: Seg[]): Seg[] => [ring(), talk(), ...extra];
const one = (name: string, session: Omit<CaseSession, 'id'>, over: Partial<CaseAgent> = {}): ClassificationCase => {
  const missingLike = session.expect === 'missing' || session.expect === 'not-writable';
  return { name, agents: [{ pid: 'a1', sessions: [{ id: 's1', ...session }], expect: session.expect, ...(missingLike ? { target: 's1' } : {}), ...over }] };
};

export const CASES: readonly ClassificationCase[] = [
  one('answered and ended without a code: missing', { media: 'voice', segs: answered(), expect: 'missing' }),
  one('an org code: coded', { media: 'voice', segs: answered(wrap('code-sale')), expect: 'coded', code: 'code-sale' }),
  one('ININ-WRAP-UP-TIMEOUT: system-coded', {
    media: 'voice',
    segs: answered(wrap('ININ-WRAP-UP-TIMEOUT')),
    expect: 'system-coded',
    code: 'ININ-WRAP-UP-TIMEOUT',
  }),
  one('ININ-OUTBOUND-*: system-coded', {
    media: 'voice',
    segs: answered(wrap('ININ-OUTBOUND-ANSWERING-MACHINE')),
    expect: 'system-coded',
    code: 'ININ-OUTBOUND-ANSWERING-MACHINE',
  }),
  // Disagreement 4: one copy of isSystemCode was case-sensitive.
  one('a lower-case system code: still system-coded (case-insensitive)', {
    media: 'voice',
    segs: answered(wrap('inin-wrap-up-timeout')),
    expect: 'system-coded',
    code: 'inin-wrap-up-timeout',
  }),
  one('a mixed-case outbound code: system-coded', {
    media: 'voice',
    segs: answered(wrap('Inin-Outbound-Busy')),
    expect: 'system-coded',
    code: 'Inin-Outbound-Busy',
  }),
  one('a code that only contains ININ- is an org code', { media: 'voice', segs: answered(wrap('X-ININ-LIKE')), expect: 'coded', code: 'X-ININ-LIKE' }),
  // Disagreement 1: alerted only, then ended, was "missing" in the planner.
  one('alerted only, then ended (ring-no-answer before a transfer): unanswered', {
    media: 'voice',
    segs: [ring(0, 15, 'noAnswerTransfer')],
    expect: 'unanswered',
  }),
  one('dialed only, never connected: unanswered', {
    media: 'voice',
    segs: [{ type: 'dialing', from: 0, to: 30, queue: 'q1', disc: 'endpoint' }],
    expect: 'unanswered',
  }),
  one('no segments at all: unanswered', { media: 'voice', segs: [], expect: 'unanswered' }),
  one('still talking: active', { media: 'voice', segs: [ring(), { type: 'interact', from: 25, queue: 'q1' }], expect: 'active' }),
  one('still ringing: active', { media: 'voice', segs: [{ type: 'alert', from: 20, queue: 'q1' }], expect: 'active' }),
  one('on hold: active', { media: 'voice', segs: [ring(), talk(25, 100, 'peer'), { type: 'hold', from: 100, queue: 'q1' }], expect: 'active' }),
  // Disagreement 2: pending ACW for 2 minutes was "missing" in the worklist, "active" in the preview.
  one('after-call work pending for 2 minutes (below the grace period): active', {
    media: 'message',
    segs: [ring(), talk(25, 300), { type: 'wrapup', from: before(120_000), queue: 'q1' }],
    expect: 'active',
    acwSince: NOW - 120_000,
  }),
  one('after-call work pending for exactly the grace period: missing', {
    media: 'voice',
    segs: [ring(), talk(), { type: 'wrapup', from: before(ACW_GRACE_MS), queue: 'q1' }],
    expect: 'missing',
    acwSince: NOW - ACW_GRACE_MS,
  }),
  one('after-call work pending for an hour (abandoned): missing', {
    media: 'voice',
    segs: [ring(), talk(), { type: 'wrapup', from: 300, queue: 'q1' }],
    expect: 'missing',
    acwSince: T0 + 300_000,
  }),
  one('pending after-call work with an unreadable start: active (as if just begun)', {
    media: 'voice',
    segs: [ring(), talk(), { type: 'wrapup', from: 'not a time', queue: 'q1' }],
    expect: 'active',
    acwSince: NOW,
  }),
  one('after-call work skipped: missing', { media: 'email', segs: answered(), acwSkipped: true, expect: 'missing' }),
  one('skipped after-call work with an open wrap-up segment is not pending: missing', {
    media: 'voice',
    segs: [ring(), talk(), { type: 'wrapup', from: before(60_000), queue: 'q1' }],
    acwSkipped: true,
    expect: 'missing',
  }),
  // Disagreement 3: with segments out of order the worklist took the later code, the planner the last listed.
  one('segments out of order: the code of the latest segment wins, not the last listed', {
    media: 'voice',
    segs: [wrap('code-late', 800, 810), ring(), talk(), wrap('code-early', 300, 330)],
    expect: 'coded',
    code: 'code-late',
  }),
  one('a system code replaced later by a person: coded with the later code', {
    media: 'voice',
    segs: answered(wrap('ININ-WRAP-UP-TIMEOUT', 300, 310), wrap('code-fixed', 900, 901)),
    expect: 'coded',
    code: 'code-fixed',
  }),
  one('a code is not undone by a later wrap-up segment without one', {
    media: 'voice',
    segs: answered(wrap('code-sale'), { type: 'wrapup', from: before(30_000), queue: 'q1' }),
    expect: 'coded',
    code: 'code-sale',
  }),
  one('a code while still talking: coded (a code wins over active)', {
    media: 'voice',
    segs: [ring(), { type: 'interact', from: 25, queue: 'q1', code: 'code-sale' }],
    expect: 'coded',
    code: 'code-sale',
  }),
  one('chat without a code: not writable (no chat wrap-up path since SDK v259)', { media: 'chat', segs: answered(), expect: 'not-writable' }),
  one('chat with a code: coded', { media: 'chat', segs: answered(wrap('code-sale')), expect: 'coded', code: 'code-sale' }),
  one('chat still going on: active', { media: 'chat', segs: [ring(), { type: 'interact', from: 25, queue: 'q1' }], expect: 'active' }),
  one('chat with abandoned after-call work: not writable', {
    media: 'chat',
    segs: [ring(), talk(), { type: 'wrapup', from: 300, queue: 'q1' }],
    expect: 'not-writable',
    acwSince: T0 + 300_000,
  }),
  one('callback without a code: missing', { media: 'callback', segs: answered(), expect: 'missing' }),
  one('email without a code: missing', { media: 'email', segs: answered(), expect: 'missing' }),
  one('a parked message without a code: missing', {
    media: 'message',
    segs: [ring(), { type: 'parked', from: 25, to: 200, queue: 'q1', disc: 'client' }],
    expect: 'missing',
  }),
  {
    name: 'a blind transfer: the transferring agent ended by "transfer" is missing, the receiving agent is coded',
    agents: [
      { pid: 'a1', sessions: [{ id: 's1', media: 'voice', segs: [ring(), talk(25, 200, 'transfer')], expect: 'missing' }], expect: 'missing', target: 's1' },
      {
        pid: 'a2',
        sessions: [{ id: 's2', media: 'voice', segs: [ring(200, 205), talk(205, 600), wrap('code-x', 600, 640)], expect: 'coded', code: 'code-x' }],
        expect: 'coded',
      },
    ],
  },
  {
    name: 'a transfer the next agent did not answer: the first agent missing, the second unanswered',
    agents: [
      { pid: 'a1', sessions: [{ id: 's1', media: 'voice', segs: [ring(), talk(25, 200, 'transfer')], expect: 'missing' }], expect: 'missing', target: 's1' },
      { pid: 'a2', sessions: [{ id: 's2', media: 'voice', segs: [ring(200, 230, 'noAnswerTransfer')], expect: 'unanswered' }], expect: 'unanswered' },
    ],
  },
  {
    name: 'a consult transfer back: one agent with an ended uncoded session and a later coded one is missing, targeting the uncoded one',
    agents: [
      {
        pid: 'a1',
        sessions: [
          { id: 's1', media: 'voice', segs: [ring(), talk(25, 200, 'transfer')], expect: 'missing' },
          { id: 's2', media: 'voice', segs: [ring(400, 405), talk(405, 700), wrap('code-sale', 700, 720)], expect: 'coded', code: 'code-sale' },
        ],
        expect: 'missing',
        target: 's1',
      },
    ],
  },
  {
    name: 'several sessions, all coded: coded',
    agents: [
      {
        pid: 'a1',
        sessions: [
          { id: 's1', media: 'voice', segs: answered(wrap('code-a')), expect: 'coded', code: 'code-a' },
          { id: 's2', media: 'voice', segs: [ring(400, 405), talk(405, 700), wrap('code-b', 700, 720)], expect: 'coded', code: 'code-b' },
        ],
        expect: 'coded',
      },
    ],
  },
  {
    name: 'several sessions, two missing: missing, targeting the later one',
    agents: [
      {
        pid: 'a1',
        sessions: [
          { id: 's1', media: 'voice', segs: answered(), expect: 'missing' },
          { id: 's2', media: 'voice', segs: [ring(400, 405), talk(405, 700)], expect: 'missing' },
        ],
        expect: 'missing',
        target: 's2',
      },
    ],
  },
  {
    name: 'a ring-no-answer session next to an answered coded one: coded',
    agents: [
      {
        pid: 'a1',
        sessions: [
          { id: 's1', media: 'voice', segs: [ring(0, 10, 'noAnswerTransfer')], expect: 'unanswered' },
          { id: 's2', media: 'voice', segs: answered(wrap('code-a')), expect: 'coded', code: 'code-a' },
        ],
        expect: 'coded',
      },
    ],
  },
  {
    name: 'a coded session and one in fresh after-call work: active',
    agents: [
      {
        pid: 'a1',
        sessions: [
          { id: 's1', media: 'voice', segs: answered(wrap('code-a')), expect: 'coded', code: 'code-a' },
          {
            id: 's2',
            media: 'voice',
            segs: [ring(400, 405), talk(405, 700), { type: 'wrapup', from: before(60_000), queue: 'q1' }],
            expect: 'active',
            acwSince: NOW - 60_000,
          },
        ],
        expect: 'active',
      },
    ],
  },
  {
    name: 'a system-coded session and an unanswered one: system-coded',
    agents: [
      {
        pid: 'a1',
        sessions: [
          { id: 's1', media: 'voice', segs: answered(wrap('ININ-WRAP-UP-TIMEOUT')), expect: 'system-coded', code: 'ININ-WRAP-UP-TIMEOUT' },
          { id: 's2', media: 'voice', segs: [ring(400, 420)], expect: 'unanswered' },
        ],
        expect: 'system-coded',
      },
    ],
  },
];
