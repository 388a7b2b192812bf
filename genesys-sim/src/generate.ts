/** Deterministic org generator: the same seed, options and reference time give the same org. */
import { createRng, type Rng } from './prng.ts';
import {
  AGENT_ANALYTICS_PERMISSION,
  AGENT_PERMISSIONS,
  APP_PERMISSIONS,
  OUTBOUND_SYSTEM_CODES,
  TIMEOUT_CODE,
  type Direction,
  type MediaType,
  type SimCode,
  type SimComm,
  type SimConversation,
  type SimDivision,
  type SimOrg,
  type SimParticipant,
  type SimQueue,
  type SimUser,
  type Situation,
} from './model.ts';

export interface GenerateOptions {
  seed: number;
  conversations: number;
  days: number;
  agents: number;
  now: number;
}

const SEC = 1000;
const MIN = 60 * SEC;
const DAY = 24 * 60 * MIN;

/** Text with markup, to prove the app renders platform text as text. */
export const MARKUP_CODE_NAME = 'Escalated <img src=x onerror=alert(1)> & "urgent"';
export const MARKUP_NOTE = 'Customer wrote <script>alert("x")</script> & <b>bold</b>';
export const MARKUP_AGENT_NAME = `Zoë "Zed" <i>O'Brien</i>`;

/** Supervisors of every seeded org (same permissions). */
export const SUPERVISOR_EMAIL = 'supervisor@demo.example';
export const SECOND_SUPERVISOR_EMAIL = 'supervisor2@demo.example';
export const SECOND_SUPERVISOR_NAME = 'Tess Teamlead';
/** A typical agent: wrap-up and the agent-scoped analytics permission (`analytics:agentConversationDetail:view`). */
export const AGENT_EMAIL = 'agent01@demo.example';
/** The one agent without any analytics permission (only its call history, `calls/history`, lists its conversations). */
export const AGENT_WITHOUT_ANALYTICS_EMAIL = 'agent02@demo.example';

const CODE_DEFS: ReadonlyArray<{ name: string; division: number; deleted?: boolean }> = [
  { name: 'Sale', division: 0 },
  { name: 'No sale', division: 0 },
  { name: 'Callback requested', division: 0 },
  { name: 'Information given', division: 0 },
  { name: MARKUP_CODE_NAME, division: 0 },
  { name: 'Support - resolved', division: 1 },
  { name: 'Support - escalated', division: 1 },
  { name: 'Follow-up needed', division: 1 },
  { name: 'Complaint', division: 1 },
  { name: 'Billing question', division: 1 },
  { name: 'Refund issued', division: 1 },
  { name: 'Cancelled order', division: 1 },
  { name: 'Spam', division: 2 },
  { name: 'Wrong number', division: 0 },
  { name: 'Do not call', division: 0 },
  { name: 'Legacy promo (retired)', division: 0, deleted: true },
  { name: 'Old survey (retired)', division: 1, deleted: true },
];

const QUEUE_DEFS: ReadonlyArray<{
  name: string;
  division: number;
  media: MediaType[];
  codes: string[];
  former: string[];
  prompt: string;
  timeoutMs: number;
}> = [
  {
    name: 'Sales',
    division: 0,
    media: ['voice', 'callback', 'message'],
    codes: ['Sale', 'No sale', 'Callback requested', 'Information given', MARKUP_CODE_NAME],
    former: ['Legacy promo (retired)'],
    prompt: 'mandatoryTimeout',
    timeoutMs: 120_000,
  },
  {
    name: 'Support',
    division: 1,
    media: ['voice', 'email', 'message', 'chat'],
    codes: ['Support - resolved', 'Support - escalated', 'Follow-up needed', 'Information given', 'Complaint'],
    former: ['Old survey (retired)'],
    prompt: 'optional',
    timeoutMs: 0,
  },
  {
    name: 'Billing',
    division: 1,
    media: ['voice', 'callback', 'email'],
    codes: ['Billing question', 'Refund issued', 'Complaint', 'Cancelled order'],
    former: [],
    prompt: 'mandatory',
    timeoutMs: 0,
  },
  {
    name: 'Email Care',
    division: 2,
    media: ['email'],
    codes: ['Information given', 'Follow-up needed', 'Spam', 'Refund issued'],
    former: [],
    prompt: 'optional',
    timeoutMs: 0,
  },
  {
    name: 'Messaging',
    division: 2,
    media: ['message', 'chat'],
    codes: ['Support - resolved', 'Information given', 'Complaint', 'Follow-up needed'],
    former: ['Old survey (retired)'],
    prompt: 'mandatoryTimeout',
    timeoutMs: 90_000,
  },
  {
    name: 'Outbound Campaigns',
    division: 0,
    media: ['voice'],
    codes: ['Sale', 'No sale', 'Wrong number', 'Do not call'],
    former: [],
    prompt: 'mandatoryTimeout',
    timeoutMs: 60_000,
  },
];

const FIRST = [
  'Ada',
  'Ben',
  'Chloé',
  'Dev',
  'Eun-ji',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kofi',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
];
const LAST = [
  'Andersen',
  'Bauer',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Weber',
];

interface Scenario {
  media: MediaType;
  direction: Direction;
  dialer: boolean;
  transfer: boolean;
  mode: 'done' | 'active' | 'acw';
  /** Situations for the agent participants, in order (else drawn). */
  situations?: Situation[];
}

/** One scenario per wrap-up situation, placed first so that even a tiny org covers them all. */
const FORCED: readonly Scenario[] = [
  { media: 'voice', direction: 'inbound', dialer: false, transfer: false, mode: 'done', situations: ['coded'] },
  { media: 'voice', direction: 'inbound', dialer: false, transfer: false, mode: 'done', situations: ['missing-skipped'] },
  { media: 'voice', direction: 'inbound', dialer: false, transfer: true, mode: 'done', situations: ['coded', 'missing-pending'] },
  { media: 'voice', direction: 'outbound', dialer: true, transfer: false, mode: 'done', situations: ['system-outbound'] },
  { media: 'email', direction: 'inbound', dialer: false, transfer: false, mode: 'done', situations: ['system-timeout'] },
  { media: 'message', direction: 'inbound', dialer: false, transfer: false, mode: 'done', situations: ['missing-not-applicable'] },
  { media: 'callback', direction: 'inbound', dialer: false, transfer: false, mode: 'done', situations: ['missing-pending'] },
  { media: 'chat', direction: 'inbound', dialer: false, transfer: false, mode: 'done', situations: ['missing-skipped'] },
  { media: 'message', direction: 'inbound', dialer: false, transfer: false, mode: 'acw', situations: ['acw-running'] },
  { media: 'voice', direction: 'inbound', dialer: false, transfer: false, mode: 'active', situations: ['active'] },
  { media: 'email', direction: 'outbound', dialer: false, transfer: false, mode: 'done', situations: ['coded'] },
];

function drawScenario(rng: Rng, days: number): Scenario {
  const kind = rng.weighted([
    ['voice-in', 34],
    ['voice-dialer', 8],
    ['voice-out', 4],
    ['callback', 8],
    ['email', 15],
    ['message', 21],
    ['chat', days >= 2 ? 2 : 0],
    ['email-out', 2],
  ] as const);
  const mode = rng.weighted([
    ['done', 96],
    ['active', 2],
    ['acw', 2],
  ] as const);
  switch (kind) {
    case 'voice-in':
      return { media: 'voice', direction: 'inbound', dialer: false, transfer: mode === 'done' && rng.chance(0.14), mode };
    case 'voice-dialer':
      return { media: 'voice', direction: 'outbound', dialer: true, transfer: false, mode };
    case 'voice-out':
      return { media: 'voice', direction: 'outbound', dialer: false, transfer: false, mode };
    case 'callback':
      return { media: 'callback', direction: 'inbound', dialer: false, transfer: false, mode };
    case 'email':
      return { media: 'email', direction: 'inbound', dialer: false, transfer: mode === 'done' && rng.chance(0.08), mode };
    case 'email-out':
      return { media: 'email', direction: 'outbound', dialer: false, transfer: false, mode };
    case 'message':
      return { media: 'message', direction: 'inbound', dialer: false, transfer: mode === 'done' && rng.chance(0.1), mode };
    case 'chat':
      return { media: 'chat', direction: 'inbound', dialer: false, transfer: false, mode: 'done' };
  }
}

function drawSituation(rng: Rng, dialer: boolean): Situation {
  if (dialer && rng.chance(0.6)) return 'system-outbound';
  return rng.weighted([
    ['coded', 52],
    ['missing-skipped', 10],
    ['missing-pending', 10],
    ['missing-not-applicable', 6],
    ['system-timeout', 12],
  ] as const);
}

function durationFor(rng: Rng, media: MediaType): number {
  switch (media) {
    case 'voice':
    case 'callback':
      return rng.int(45, 1200) * SEC;
    case 'email':
      return rng.int(3, 50) * MIN;
    case 'message':
    case 'chat':
      return rng.int(2, 35) * MIN;
  }
}

export function generateOrg(opts: GenerateOptions): SimOrg {
  const rng = createRng(opts.seed);
  const now = opts.now;
  const iso = (t: number): string => new Date(t).toISOString();

  const divisions: SimDivision[] = ['Home', 'North', 'South'].map((name) => ({ id: rng.uuid(), name }));
  const division = (i: number): SimDivision => {
    const d = divisions[i];
    if (!d) throw new Error('division index');
    return d;
  };

  const codes: SimCode[] = CODE_DEFS.map((def) => ({
    id: rng.uuid(),
    name: def.name,
    divisionId: division(def.division).id,
    description: def.deleted ? 'No longer used' : `Wrap-up: ${def.name}`,
    deleted: def.deleted === true,
    dateCreated: iso(now - 400 * DAY + rng.int(0, 100) * DAY),
  }));
  const codeByName = new Map(codes.map((c) => [c.name, c]));
  const codeId = (name: string): string => {
    const c = codeByName.get(name);
    if (!c) throw new Error(`unknown code ${name}`);
    return c.id;
  };

  const queues: SimQueue[] = [];
  const formerCodes = new Map<string, string[]>();
  for (const def of QUEUE_DEFS) {
    const q: SimQueue = {
      id: rng.uuid(),
      name: def.name,
      divisionId: division(def.division).id,
      codeIds: def.codes.map(codeId),
      mediaTypes: def.media,
      acwPrompt: def.prompt,
      acwTimeoutMs: def.timeoutMs,
    };
    queues.push(q);
    formerCodes.set(q.id, def.former.map(codeId));
  }

  const users: SimUser[] = [];
  const appPerms = [...APP_PERMISSIONS];
  users.push({
    id: rng.uuid(),
    name: 'Sam Supervisor',
    email: SUPERVISOR_EMAIL,
    divisionId: division(0).id,
    kind: 'supervisor',
    permissions: appPerms,
    roles: ['Supervisor'],
    version: 1,
  });
  users.push({
    id: rng.uuid(),
    name: 'Vera Viewer',
    email: 'viewer@demo.example',
    divisionId: division(0).id,
    kind: 'viewer',
    permissions: appPerms.filter((p) => p !== 'conversation:participant:wrapup' && p !== 'chat:chat:access'),
    roles: ['Viewer'],
    version: 1,
  });
  const agents: SimUser[] = [];
  for (let i = 1; i <= opts.agents; i++) {
    const num = String(i).padStart(2, '0');
    const name = i === 7 ? MARKUP_AGENT_NAME : `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const email = `agent${num}@demo.example`;
    // Agents read and write their own participant without conversation:communication:view; one agent has no analytics at all.
    const noAnalytics = email === AGENT_WITHOUT_ANALYTICS_EMAIL;
    const agent: SimUser = {
      id: rng.uuid(),
      name,
      email,
      divisionId: division(i % divisions.length).id,
      kind: 'agent',
      permissions: AGENT_PERMISSIONS.filter((p) => !noAnalytics || p !== AGENT_ANALYTICS_PERMISSION),
      roles: noAnalytics ? ['Agent (no analytics)'] : ['Agent'],
      version: 1,
    };
    users.push(agent);
    agents.push(agent);
  }
  // A second supervisor (another user with the same permissions, e.g. a colleague applying codes through
  // the API at the same time). Its own dice, so adding it did not change any other id of a seeded org.
  const second = createRng((opts.seed ^ 0x5ec0_0d02) >>> 0);
  const members = queueMembership(queues, agents);
  const span = opts.days * DAY;
  const conversations: SimConversation[] = [];
  for (let i = 0; i < opts.conversations; i++) {
    const sc = FORCED[i] ?? drawScenario(rng, opts.days);
    conversations.push(buildConversation(rng, sc, { now, span, queues, members, codes, formerCodes }));
  }
  conversations.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));

  const orgId = rng.uuid();
  users.push({
    id: second.uuid(),
    name: SECOND_SUPERVISOR_NAME,
    email: SECOND_SUPERVISOR_EMAIL,
    divisionId: division(0).id,
    kind: 'supervisor',
    permissions: [...appPerms],
    roles: ['Supervisor'],
    version: 1,
  });
  return {
    id: orgId,
    name: 'Wrap-up Desk demo org (simulated)',
    now,
    divisions,
    codes,
    codesById: new Map(codes.map((c) => [c.id, c])),
    queues,
    queuesById: new Map(queues.map((q) => [q.id, q])),
    users,
    usersById: new Map(users.map((u) => [u.id, u])),
    usersByEmail: new Map(users.map((u) => [u.email, u])),
    conversations,
    conversationsById: new Map(conversations.map((c) => [c.id, c])),
  };
}

/** Queue membership: every agent is in 2 or 3 queues; every queue has at least two agents (no dice). */
function queueMembership(queues: readonly SimQueue[], agents: readonly SimUser[]): Map<string, SimUser[]> {
  const members = new Map<string, SimUser[]>(queues.map((q) => [q.id, []]));
  agents.forEach((a, i) => {
    const n = 2 + (i % 2);
    for (let k = 0; k < n; k++) {
      const q = queues[(i + k * 2) % queues.length];
      if (q) members.get(q.id)?.push(a);
    }
  });
  for (const q of queues) {
    const list = members.get(q.id) ?? [];
    for (const a of agents) {
      if (list.length >= 2) break;
      if (!list.includes(a)) list.push(a);
    }
    members.set(q.id, list);
  }
  return members;
}

/**
 * A conversation that arrives while clients page (--page-drift-per-minute): built by the same helpers
 * as the seeded ones (a finished conversation with an agent participant, coded or missing its
 * wrap-up, never chat), then moved in time so that it starts at `arrival`. Its later timestamps
 * (end, ACW, wrap-up) lie up to its duration after `arrival`.
 */
export function generateArrivingConversation(rng: Rng, org: SimOrg, arrival: number): SimConversation {
  const agents = org.users.filter((u) => u.kind === 'agent');
  const codeByName = new Map(org.codes.map((c) => [c.name, c.id]));
  const formerCodes = new Map<string, string[]>();
  for (const q of org.queues) {
    const def = QUEUE_DEFS.find((d) => d.name === q.name);
    formerCodes.set(
      q.id,
      (def?.former ?? []).flatMap((n) => codeByName.get(n) ?? []),
    );
  }
  let sc = drawScenario(rng, 1);
  if (sc.media === 'chat') sc = { ...sc, media: 'message' };
  sc = { ...sc, mode: 'done' };
  const ctx: BuildCtx = {
    now: arrival,
    span: DAY,
    queues: org.queues,
    members: queueMembership(org.queues, agents),
    codes: org.codes,
    formerCodes,
    fresh: true,
  };
  const c = buildConversation(rng, sc, ctx);
  shiftConversation(c, arrival - c.start);
  return c;
}

function shiftConversation(c: SimConversation, delta: number): void {
  const sh = (t: number | undefined): number | undefined => (t === undefined ? undefined : t + delta);
  c.start += delta;
  c.end = sh(c.end);
  for (const p of c.participants) {
    p.startTime += delta;
    p.connectedTime = sh(p.connectedTime);
    p.endTime = sh(p.endTime);
    for (const comm of p.comms) {
      comm.connectedTime = sh(comm.connectedTime);
      comm.disconnectedTime = sh(comm.disconnectedTime);
      comm.acwStart = sh(comm.acwStart);
      comm.acwEnd = sh(comm.acwEnd);
      for (const seg of comm.segments) {
        seg.start += delta;
        seg.end = sh(seg.end);
      }
      if (comm.wrapup?.endTime) comm.wrapup.endTime = new Date(Date.parse(comm.wrapup.endTime) + delta).toISOString();
    }
  }
}

interface BuildCtx {
  now: number;
  span: number;
  /** Conversations arriving now: never coded with a since-deleted code. */
  fresh?: boolean;
  queues: SimQueue[];
  members: Map<string, SimUser[]>;
  codes: SimCode[];
  formerCodes: Map<string, string[]>;
}

function newComm(rng: Rng, media: MediaType, direction: Direction, dialer: boolean): SimComm {
  return {
    id: rng.uuid(),
    media,
    state: 'disconnected',
    direction,
    acwState: 'notApplicable',
    afterCallWorkRequired: false,
    wrapupHistory: [],
    segments: [],
    dialer,
  };
}

function buildConversation(rng: Rng, sc: Scenario, ctx: BuildCtx): SimConversation {
  const { now } = ctx;
  let queue: SimQueue;
  if (sc.dialer) queue = ctx.queues.find((q) => q.name === 'Outbound Campaigns') ?? rng.pick(ctx.queues);
  else {
    const candidates = ctx.queues.filter((q) => q.mediaTypes.includes(sc.media) && q.name !== 'Outbound Campaigns');
    queue = rng.pick(candidates.length > 0 ? candidates : ctx.queues);
  }
  const queueMembers = ctx.members.get(queue.id) ?? [];

  const duration = durationFor(rng, sc.media);
  let start: number;
  let end: number | undefined;
  if (sc.mode === 'active') {
    start = now - rng.int(60, 15 * 60) * SEC;
  } else if (sc.mode === 'acw') {
    end = now - rng.int(5, 60) * SEC;
    start = end - duration;
  } else {
    const window = sc.media === 'chat' ? [0.5, 1] : [0, 1];
    const lo = window[0] ?? 0;
    const hi = window[1] ?? 1;
    start = now - ctx.span * (lo + (hi - lo) * rng.next());
    start = Math.floor(start / SEC) * SEC;
    end = start + duration;
    const latestEnd = now - 3 * MIN;
    if (end > latestEnd) {
      end = latestEnd - rng.int(0, 600) * SEC;
      start = end - duration;
    }
  }
  start = Math.floor(start);

  const participants: SimParticipant[] = [];
  const customerPurpose = sc.direction === 'outbound' && !sc.dialer ? 'external' : 'customer';
  const address = sc.media === 'email' ? `customer${rng.int(100, 999)}@example.net` : `tel:+3531${rng.int(1000000, 9999999)}`;
  const customer: SimParticipant = {
    id: rng.uuid(),
    purpose: customerPurpose,
    name: `Customer ${rng.int(1000, 9999)}`,
    address,
    startTime: start,
    connectedTime: start,
    endTime: end,
    comms: [],
  };
  const cComm = newComm(rng, sc.media, sc.direction, sc.dialer);
  cComm.state = end === undefined ? 'connected' : 'disconnected';
  cComm.connectedTime = start;
  cComm.disconnectedTime = end;
  cComm.disconnectType = end === undefined ? undefined : rng.pick(['peer', 'endpoint', 'client']);
  cComm.segments.push({ segmentType: 'interact', start, end });
  customer.comms.push(cComm);
  participants.push(customer);

  const lifetime = (end ?? now) - start;
  const quarter = Math.max(SEC, Math.floor(lifetime / 4));
  let agentStart = start + Math.min(rng.int(5, 30) * SEC, quarter);
  if (sc.media === 'voice' && sc.direction === 'inbound') {
    const ivrEnd = start + Math.min(rng.int(10, 60) * SEC, quarter);
    const ivr: SimParticipant = { id: rng.uuid(), purpose: 'ivr', name: 'Main IVR', startTime: start, connectedTime: start, endTime: ivrEnd, comms: [] };
    const c = newComm(rng, 'voice', 'inbound', false);
    c.connectedTime = start;
    c.disconnectedTime = ivrEnd;
    c.disconnectType = 'transfer';
    c.segments.push({ segmentType: 'ivr', start, end: ivrEnd, disconnectType: 'transfer' });
    ivr.comms.push(c);
    participants.push(ivr);
    agentStart = ivrEnd + Math.min(rng.int(5, 90) * SEC, quarter);
  }
  if (!sc.dialer && sc.direction === 'inbound') {
    const ivrPart = participants.find((x) => x.purpose === 'ivr');
    const acdStart = ivrPart?.endTime ?? start;
    const acd: SimParticipant = {
      id: rng.uuid(),
      purpose: 'acd',
      name: queue.name,
      queueId: queue.id,
      startTime: acdStart,
      connectedTime: acdStart,
      endTime: agentStart,
      comms: [],
    };
    const c = newComm(rng, sc.media, 'inbound', false);
    c.connectedTime = acdStart;
    c.disconnectedTime = agentStart;
    c.disconnectType = 'transfer';
    c.segments.push({ segmentType: 'interact', start: acdStart, end: agentStart, queueId: queue.id, disconnectType: 'transfer' });
    acd.comms.push(c);
    participants.push(acd);
  }

  const agentUsers: SimUser[] = [];
  const first = queueMembers.length > 0 ? rng.pick(queueMembers) : undefined;
  if (first) agentUsers.push(first);
  if (sc.transfer) {
    const others = queueMembers.filter((u) => u !== first);
    if (others.length > 0) agentUsers.push(rng.pick(others));
  }
  const transferAt = end !== undefined && agentUsers.length > 1 ? agentStart + Math.floor((end - agentStart) / 2) : undefined;

  agentUsers.forEach((user, idx) => {
    const isLast = idx === agentUsers.length - 1;
    const aStart = idx === 0 ? agentStart : (transferAt ?? agentStart);
    const aEnd = isLast ? end : transferAt;
    const situation: Situation =
      sc.situations?.[idx] ?? (sc.mode === 'active' ? 'active' : sc.mode === 'acw' && isLast ? 'acw-running' : drawSituation(rng, sc.dialer));
    const comm = newComm(rng, sc.media, sc.direction, sc.dialer);
    const alertEnd = aStart + Math.min(rng.int(2, 12) * SEC, Math.floor(((aEnd ?? now) - aStart) / 3));
    comm.connectedTime = alertEnd;
    comm.segments.push({ segmentType: sc.dialer || sc.direction === 'outbound' ? 'dialing' : 'alert', start: aStart, end: alertEnd, queueId: queue.id });
    if (aEnd === undefined) {
      comm.state = 'connected';
      comm.acwState = 'unknown';
      comm.segments.push({ segmentType: 'interact', start: alertEnd, queueId: queue.id });
    } else {
      const holdAt = sc.media === 'voice' && rng.chance(0.2) && aEnd - alertEnd > 60 * SEC ? alertEnd + Math.floor((aEnd - alertEnd) / 3) : undefined;
      if (holdAt !== undefined) {
        const holdEnd = holdAt + Math.min(rng.int(10, 90) * SEC, Math.floor((aEnd - holdAt) / 2));
        comm.segments.push({ segmentType: 'interact', start: alertEnd, end: holdAt, queueId: queue.id });
        comm.segments.push({ segmentType: 'hold', start: holdAt, end: holdEnd, queueId: queue.id });
        comm.segments.push({ segmentType: 'interact', start: holdEnd, end: aEnd, queueId: queue.id });
      } else {
        comm.segments.push({ segmentType: 'interact', start: alertEnd, end: aEnd, queueId: queue.id });
      }
      comm.state = 'disconnected';
      comm.disconnectedTime = aEnd;
      comm.disconnectType = isLast ? rng.pick(['peer', 'client', 'endpoint']) : 'transfer';
      const lastSeg = comm.segments[comm.segments.length - 1];
      if (lastSeg) lastSeg.disconnectType = comm.disconnectType;
    }
    const p: SimParticipant = {
      id: rng.uuid(),
      purpose: 'agent',
      name: user.name,
      userId: user.id,
      queueId: queue.id,
      startTime: aStart,
      connectedTime: alertEnd,
      endTime: aEnd,
      situation,
      comms: [comm],
    };
    applySituation(rng, p, comm, situation, queue, ctx, now);
    participants.push(p);
  });

  return {
    id: rng.uuid(),
    media: sc.media,
    direction: sc.direction,
    start,
    end,
    divisionIds: [queue.divisionId],
    queueIds: [queue.id],
    participants,
    version: 1,
  };
}

function applySituation(rng: Rng, p: SimParticipant, comm: SimComm, situation: Situation, queue: SimQueue, ctx: BuildCtx, now: number): void {
  const disc = comm.disconnectedTime;
  const setWrapup = (code: string, name: string, at: number, notes?: string): void => {
    const w = { code, name, notes, durationSeconds: Math.max(0, Math.round((at - (disc ?? at)) / SEC)), endTime: new Date(at).toISOString() };
    if (notes === undefined) delete w.notes;
    comm.wrapup = w;
    comm.wrapupHistory.push({ wrapup: w, at: Number.NEGATIVE_INFINITY });
  };
  p.wrapupPrompt = queue.acwPrompt === 'mandatoryTimeout' ? 'timeout' : queue.acwPrompt === 'mandatoryForcedTimeout' ? 'forcedTimeout' : queue.acwPrompt;
  p.wrapupRequired = queue.acwPrompt !== 'optional';
  if (queue.acwTimeoutMs > 0) p.wrapupTimeoutMs = queue.acwTimeoutMs;
  comm.afterCallWorkRequired = p.wrapupRequired;
  if (disc === undefined) return; // active: nothing else
  switch (situation) {
    case 'coded': {
      const former = ctx.formerCodes.get(queue.id) ?? [];
      const old = !ctx.fresh && disc < now - ctx.span / 2;
      const codeId = old && former.length > 0 && rng.chance(0.15) ? rng.pick(former) : rng.pick(queue.codeIds);
      const code = ctx.codes.find((c) => c.id === codeId);
      const acwEnd = disc + rng.int(5, 90) * SEC;
      const notes = rng.chance(0.05)
        ? MARKUP_NOTE
        : rng.chance(0.3)
          ? rng.pick(['Customer satisfied', 'Sent follow-up email', 'Asked for a manager', 'Order #4711 updated'])
          : undefined;
      comm.acwState = 'complete';
      comm.acwStart = disc;
      comm.acwEnd = acwEnd;
      setWrapup(codeId, code?.name ?? codeId, acwEnd, notes);
      break;
    }
    case 'missing-skipped':
      p.wrapupPrompt = 'optional';
      p.wrapupRequired = false;
      p.wrapupSkipped = true;
      comm.afterCallWorkRequired = false;
      comm.acwState = 'skipped';
      break;
    case 'missing-pending':
      p.wrapupPrompt = rng.pick(['optional', 'agentRequested']);
      p.wrapupRequired = true;
      comm.afterCallWorkRequired = true;
      comm.acwState = 'pending';
      comm.acwStart = disc;
      break;
    case 'missing-not-applicable':
      p.wrapupPrompt = 'optional';
      p.wrapupRequired = false;
      comm.afterCallWorkRequired = false;
      comm.acwState = 'notApplicable';
      break;
    case 'system-timeout': {
      p.wrapupPrompt = 'timeout';
      p.wrapupRequired = true;
      p.wrapupTimeoutMs = p.wrapupTimeoutMs ?? 60_000;
      comm.afterCallWorkRequired = true;
      comm.acwState = 'complete';
      comm.acwStart = disc;
      comm.acwEnd = disc + p.wrapupTimeoutMs;
      setWrapup(TIMEOUT_CODE, TIMEOUT_CODE, comm.acwEnd);
      break;
    }
    case 'system-outbound': {
      const code = rng.pick(OUTBOUND_SYSTEM_CODES);
      comm.acwState = 'complete';
      comm.acwStart = disc;
      comm.acwEnd = disc;
      setWrapup(code, code, disc);
      break;
    }
    case 'acw-running':
      p.wrapupRequired = true;
      comm.afterCallWorkRequired = true;
      if (rng.chance(0.5)) {
        p.wrapupPrompt = 'timeout';
        p.wrapupTimeoutMs = 180_000;
      } else {
        p.wrapupPrompt = 'mandatory';
        delete p.wrapupTimeoutMs;
      }
      comm.acwState = 'pending';
      comm.acwStart = disc;
      break;
    case 'active':
      break;
  }
}
