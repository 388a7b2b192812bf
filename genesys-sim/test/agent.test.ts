/**
 * Issue 18: agent mode in the simulated org. Agents sign in, read and fix their own participant,
 * query analytics with the agent-scoped permission (`--agent-query-scope`), list their call history,
 * follow their own conversation topics; supervisors message agents; `--own-wrapup-window-hours`.
 */
import platformClient, { type Models } from 'purecloud-platform-client-v2';
import {
  AGENT_EMAIL,
  AGENT_WITHOUT_ANALYTICS_EMAIL,
  OWN_WRAPUP_WINDOW_CLOSED,
  userConversationsTopic,
  wrapupTopic,
  type ChatLogEntry,
  type RunningSim,
  type StartOptions,
  type TruthItem,
} from '../src/index.ts';
import type { SimComm, SimConversation, SimParticipant, SimUser } from '../src/model.ts';
import { OptionsError, parseArgs, profiles } from '../src/options.ts';
import { SUPERVISOR, VIEWER, call, intervalDays, isErrorBody, mediaPath, withSim } from './helpers.ts';
import { openWs, type Message, type TestWs } from './ws-client.ts';

const QUERY = '/api/v2/analytics/conversations/details/query';
const HISTORY = '/api/v2/conversations/calls/history';
const CHANNELS = '/api/v2/notifications/channels';
const HOUR = 3_600_000;

let sim: RunningSim;
const sockets: TestWs[] = [];
async function start(options: StartOptions = {}): Promise<RunningSim> {
  sim = await withSim({ conversations: 200, rateLimit: 100_000, notificationDelayMs: 10, ...options });
  return sim;
}
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await sim?.close();
});

const userOf = (email: string): SimUser => sim.state.userByEmail(email)!;
const participates = (c: SimConversation, userId: string): boolean => c.participants.some((p) => p.userId === userId);

interface Item {
  conversation: SimConversation;
  participant: SimParticipant;
  comm: SimComm;
  user: SimUser;
}

/** The first agent participant (with a user) satisfying pred. */
function agentItem(pred: (i: Item) => boolean): Item {
  for (const conversation of sim.state.org.conversations) {
    for (const participant of conversation.participants) {
      const comm = participant.comms[participant.comms.length - 1];
      const user = participant.userId ? sim.state.org.usersById.get(participant.userId) : undefined;
      if (participant.purpose !== 'agent' || !comm || !user) continue;
      const item = { conversation, participant, comm, user };
      if (pred(item)) return item;
    }
  }
  throw new Error('no matching agent participant');
}

const codeFor = (p: SimParticipant): string => sim.state.org.queuesById.get(p.queueId!)!.codeIds[0]!;
const postPath = (i: Item): string =>
  `/api/v2/conversations/${mediaPath(i.conversation.media)}/${i.conversation.id}/participants/${i.participant.id}/communications/${i.comm.id}/wrapup`;

async function queryAll(
  token: string,
  body: Record<string, unknown>,
): Promise<{ status: number; ids: string[]; totalHits: number | undefined; body: unknown }> {
  const ids: string[] = [];
  let totalHits: number | undefined;
  for (let page = 1; ; page++) {
    const r = await call<Models.AnalyticsConversationQueryResponse>(sim, 'POST', QUERY, {
      token,
      body: { ...body, paging: { pageSize: 100, pageNumber: page } },
    });
    if (r.status !== 200) return { status: r.status, ids, totalHits, body: r.body };
    totalHits = r.body.totalHits;
    const list = r.body.conversations ?? [];
    ids.push(...list.map((c) => c.conversationId!));
    if (list.length < 100) return { status: 200, ids, totalHits, body: r.body };
  }
}

const userFilter = (userId: string) => [{ type: 'and', predicates: [{ dimension: 'userId', value: userId }] }];

describe('agent users and sign-in', () => {
  it('agents sign in through the login page (by the button naming their email) and with --auto-login; their permissions', async () => {
    await start();
    const redirect = 'http://127.0.0.1:5173/';
    const params = new URLSearchParams({ client_id: 'wrapup-desk-demo', redirect_uri: redirect, response_type: 'token', state: 's' });
    const page = await fetch(`${sim.url}/login/oauth/authorize?${params}`);
    const html = await page.text();
    const agent = userOf(AGENT_EMAIL);
    expect(html).toContain(`(${AGENT_EMAIL})`);
    expect(html).toContain(`(${AGENT_WITHOUT_ANALYTICS_EMAIL})`);
    const form = new URLSearchParams(params);
    form.set('sim_user', agent.id);
    const login = await fetch(`${sim.url}/login/oauth/authorize/login`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(login.status).toBe(302);
    const token = new URLSearchParams(new URL(login.headers.get('location')!).hash.slice(1)).get('access_token')!;
    const me = await call<Models.UserMe>(sim, 'GET', '/api/v2/users/me?expand=authorization', { token });
    expect(me.body.email).toBe(AGENT_EMAIL);
    const perms = me.body.authorization?.permissions ?? [];
    expect(perms).toEqual(expect.arrayContaining(['conversation:participant:wrapup', 'analytics:agentConversationDetail:view']));
    expect(perms).not.toContain('analytics:conversationDetail:view');
    expect(perms).not.toContain('conversation:communication:view');

    await call(sim, 'POST', '/__sim/options', { body: { autoLogin: AGENT_WITHOUT_ANALYTICS_EMAIL } });
    const auto = await fetch(`${sim.url}/login/oauth/authorize?${params}`, { redirect: 'manual' });
    const autoToken = new URLSearchParams(new URL(auto.headers.get('location')!).hash.slice(1)).get('access_token')!;
    const me2 = await call<Models.UserMe>(sim, 'GET', '/api/v2/users/me?expand=authorization', { token: autoToken });
    expect(me2.body.email).toBe(AGENT_WITHOUT_ANALYTICS_EMAIL);
    expect(me2.body.authorization?.permissions).toContain('conversation:participant:wrapup');
    expect((me2.body.authorization?.permissions ?? []).filter((p) => p.startsWith('analytics:'))).toEqual([]);
  });

  it('every agent but one holds the agent-scoped analytics permission; supervisors may send chat messages, the viewer may not', async () => {
    await start();
    const agents = sim.state.org.users.filter((u) => u.kind === 'agent');
    expect(agents.filter((u) => !u.permissions.includes('analytics:agentConversationDetail:view')).map((u) => u.email)).toEqual([
      AGENT_WITHOUT_ANALYTICS_EMAIL,
    ]);
    for (const u of agents) expect(u.permissions).toContain('conversation:participant:wrapup');
    expect(userOf(SUPERVISOR).permissions).toContain('chat:chat:access');
    expect(userOf(VIEWER).permissions).not.toContain('chat:chat:access');
  });
});

describe('analytics with the agent-scoped permission (--agent-query-scope)', () => {
  it('own (default): only conversations the caller is in, with or without a userId filter; a supervisor sees them all', async () => {
    await start();
    const agent = userOf(AGENT_EMAIL);
    const token = sim.mintToken(AGENT_EMAIL);
    const interval = intervalDays(8);
    const mine = sim.state.org.conversations.filter((c) => participates(c, agent.id)).map((c) => c.id);
    expect(mine.length).toBeGreaterThan(0);
    const unfiltered = await queryAll(token, { interval: intervalDays(6) });
    expect(unfiltered.status).toBe(200);
    expect(unfiltered.ids.length).toBeGreaterThan(0);
    for (const id of unfiltered.ids) expect(mine).toContain(id);
    const filtered = await queryAll(token, { interval, segmentFilters: userFilter(agent.id) });
    expect(filtered.ids.sort()).toEqual([...mine].sort());
    expect(filtered.totalHits).toBe(mine.length);
    const all = await queryAll(sim.mintToken(SUPERVISOR), { interval: intervalDays(6) });
    expect(all.ids.length).toBeGreaterThan(unfiltered.ids.length);
    expect(all.totalHits).toBe(all.ids.length);
  });

  it('refuse: 403 unless the segment filters restrict userId to the caller; all: no restriction', async () => {
    await start({ agentQueryScope: 'refuse' });
    const agent = userOf(AGENT_EMAIL);
    const token = sim.mintToken(AGENT_EMAIL);
    const refused = await call<Models.ErrorBody>(sim, 'POST', QUERY, { token, body: { interval: intervalDays(6) } });
    expect(refused.status).toBe(403);
    expect(isErrorBody(refused.body)).toBe(true);
    expect(refused.body.code).toBe('not.authorized');
    expect(refused.body.message).toContain(agent.id);
    const other = userOf('agent03@demo.example');
    expect((await call(sim, 'POST', QUERY, { token, body: { interval: intervalDays(6), segmentFilters: userFilter(other.id) } })).status).toBe(403);
    // A userId predicate ORed with another dimension does not restrict.
    const loose = [
      {
        type: 'or',
        predicates: [
          { dimension: 'userId', value: agent.id },
          { dimension: 'purpose', value: 'customer' },
        ],
      },
    ];
    expect((await call(sim, 'POST', QUERY, { token, body: { interval: intervalDays(6), segmentFilters: loose } })).status).toBe(403);
    const ok = await queryAll(token, {
      interval: intervalDays(8),
      segmentFilters: [
        {
          type: 'and',
          predicates: [
            { dimension: 'purpose', value: 'agent' },
            { dimension: 'userId', value: agent.id },
          ],
        },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.ids.length).toBe(sim.state.org.conversations.filter((c) => participates(c, agent.id)).length);
    // Jobs follow the same scope.
    expect((await call(sim, 'POST', '/api/v2/analytics/conversations/details/jobs', { token, body: { interval: intervalDays(6) } })).status).toBe(403);
    expect(
      (
        await call(sim, 'POST', '/api/v2/analytics/conversations/details/jobs', {
          token,
          body: { interval: intervalDays(6), segmentFilters: userFilter(agent.id) },
        })
      ).status,
    ).toBe(202);

    await call(sim, 'POST', '/__sim/options', { body: { agentQueryScope: 'all' } });
    const everything = await queryAll(token, { interval: intervalDays(6) });
    const supervisor = await queryAll(sim.mintToken(SUPERVISOR), { interval: intervalDays(6) });
    expect(everything.ids).toEqual(supervisor.ids);
  });

  it('single and batched GETs: own leaves others out (404 / omitted), refuse answers 403, all returns them', async () => {
    await start();
    const agent = userOf(AGENT_EMAIL);
    const token = sim.mintToken(AGENT_EMAIL);
    const mineId = sim.state.org.conversations.find((c) => participates(c, agent.id))!.id;
    const otherId = sim.state.org.conversations.find((c) => !participates(c, agent.id))!.id;
    const one = (id: string) => call<Models.AnalyticsConversationWithoutAttributes>(sim, 'GET', `/api/v2/analytics/conversations/${id}/details`, { token });
    const multi = (ids: string[]) =>
      call<Models.AnalyticsConversationWithoutAttributesMultiGetResponse>(sim, 'GET', `/api/v2/analytics/conversations/details?id=${ids.join(',')}`, { token });
    expect((await one(mineId)).body.conversationId).toBe(mineId);
    expect((await one(otherId)).status).toBe(404);
    expect((await multi([mineId, otherId])).body.conversations?.map((c) => c.conversationId)).toEqual([mineId]);
    await call(sim, 'POST', '/__sim/options', { body: { agentQueryScope: 'refuse' } });
    expect((await one(otherId)).status).toBe(403);
    expect((await multi([mineId, otherId])).status).toBe(403);
    expect((await multi([mineId])).status).toBe(200);
    await call(sim, 'POST', '/__sim/options', { body: { agentQueryScope: 'all' } });
    expect((await one(otherId)).status).toBe(200);
    expect((await multi([mineId, otherId])).body.conversations).toHaveLength(2);
  });

  it('the agent without analytics: 403 missing.permissions naming both permissions', async () => {
    await start();
    const token = sim.mintToken(AGENT_WITHOUT_ANALYTICS_EMAIL);
    const r = await call<Models.ErrorBody>(sim, 'POST', QUERY, { token, body: { interval: intervalDays(1) } });
    expect([r.status, r.body.code]).toEqual([403, 'missing.permissions']);
    expect(r.body.message).toContain('analytics:conversationDetail:view');
    expect(r.body.message).toContain('analytics:agentConversationDetail:view');
  });

  it('options: --agent-query-scope and --own-wrapup-window-hours; the harsh profile refuses', () => {
    const o = parseArgs(['--agent-query-scope', 'refuse', '--own-wrapup-window-hours', '24']);
    expect(o.agentQueryScope).toBe('refuse');
    expect(o.ownWrapupWindowHours).toBe(24);
    const d = parseArgs([]);
    expect([d.agentQueryScope, d.ownWrapupWindowHours]).toEqual(['own', null]);
    expect(parseArgs(['--own-wrapup-window-hours', 'none']).ownWrapupWindowHours).toBeNull();
    expect(() => parseArgs(['--agent-query-scope', 'mine'])).toThrow(OptionsError);
    expect(() => parseArgs(['--own-wrapup-window-hours', '-1'])).toThrow(OptionsError);
    expect(profiles.harsh.agentQueryScope).toBe('refuse');
  });
});

describe('GET /api/v2/conversations/calls/history, then the conversation', () => {
  it('the caller’s own voice conversations, newest first, paged (≤ 50), no permission, no wrap-up fields', async () => {
    await start({ conversations: 400 });
    const agent = userOf(AGENT_WITHOUT_ANALYTICS_EMAIL);
    const token = sim.mintToken(AGENT_WITHOUT_ANALYTICS_EMAIL);
    const expected = sim.state.org.conversations.filter((c) => c.media === 'voice' && participates(c, agent.id)).sort((a, b) => b.start - a.start);
    expect(expected.length).toBeGreaterThan(3);
    const first = await call<Models.CallHistoryConversationEntityListing>(sim, 'GET', `${HISTORY}?pageSize=2`, { token });
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(expected.length);
    expect(first.body.pageCount).toBe(Math.ceil(expected.length / 2));
    expect(first.body.entities?.map((e) => e.id)).toEqual(expected.slice(0, 2).map((c) => c.id));
    const second = await call<Models.CallHistoryConversationEntityListing>(sim, 'GET', `${HISTORY}?pageSize=2&pageNumber=2`, { token });
    expect(second.body.entities?.map((e) => e.id)).toEqual(expected.slice(2, 4).map((c) => c.id));
    const all = await call<Models.CallHistoryConversationEntityListing>(sim, 'GET', `${HISTORY}?pageSize=50`, { token });
    for (const e of all.body.entities ?? []) {
      expect(e.participants?.some((p) => p.user?.id === agent.id)).toBe(true);
      expect(e.startTime).toBeTruthy();
    }
    expect(all.text).not.toMatch(/wrapup/i);
    expect((await call(sim, 'GET', `${HISTORY}?pageSize=51`, { token })).status).toBe(400);
    expect((await call(sim, 'GET', `${HISTORY}?expand=everything`, { token })).status).toBe(400);
    // interval: conversations that started inside it.
    const newest = expected[0]!;
    const iv = `${new Date(newest.start).toISOString()}/${new Date(newest.start + 1000).toISOString()}`;
    const inside = await call<Models.CallHistoryConversationEntityListing>(sim, 'GET', `${HISTORY}?interval=${encodeURIComponent(iv)}`, { token });
    expect(inside.body.entities?.map((e) => e.id)).toEqual([newest.id]);
    // expand=user: full users (name, email); without it, references.
    const expanded = await call<Models.CallHistoryConversationEntityListing>(sim, 'GET', `${HISTORY}?pageSize=1&expand=user`, { token });
    const me = expanded.body.entities?.[0]?.participants?.find((p) => p.user?.id === agent.id);
    expect(me?.user?.email).toBe(agent.email);
    expect(first.body.entities?.[0]?.participants?.find((p) => p.user?.id === agent.id)?.user?.email).toBeUndefined();
  });

  it('the SDK’s getConversationsCallsHistory and getConversationsCall accept the answers (agent without any conversation:communication:view)', async () => {
    await start();
    const client = platformClient.ApiClient.instance;
    client.setGateway({ protocol: 'http', host: '127.0.0.1', port: sim.port, path_params_login: 'login', path_params_api: '' });
    client.setAccessToken(sim.mintToken(AGENT_WITHOUT_ANALYTICS_EMAIL));
    const api = new platformClient.ConversationsApi();
    const history: Models.CallHistoryConversationEntityListing = await api.getConversationsCallsHistory({ pageSize: 50, pageNumber: 1 });
    const cid = history.entities?.[0]?.id;
    expect(cid).toBeTruthy();
    const call_: Models.CallConversation = await api.getConversationsCall(cid!);
    expect(call_.id).toBe(cid);
  });

  it('own reads need no permission (media GET, own participant wrap-up and codes); getConversation and others need conversation:communication:view', async () => {
    await start({ conversations: 300 });
    // A transferred conversation: two agents, the second one's after-call work still pending.
    const item = agentItem(
      (i) => i.participant.situation === 'missing-pending' && i.conversation.participants.filter((p) => p.purpose === 'agent').length === 2,
    );
    const token = sim.mintToken(item.user.email);
    const media = mediaPath(item.conversation.media);
    const mediaGet = await call<Models.CallConversation>(sim, 'GET', `/api/v2/conversations/${media}/${item.conversation.id}`, { token });
    expect(mediaGet.status).toBe(200);
    const mp = mediaGet.body.participants?.find((p) => p.id === item.participant.id);
    // The participant's wrap-up state: none yet, after-call work started and not ended.
    expect(mp).toMatchObject({ state: 'disconnected', wrapupRequired: true });
    expect(mp?.startAcwTime).toBeTruthy();
    expect(mp?.endAcwTime).toBeUndefined();
    expect(mp?.wrapup).toBeUndefined();
    const P = `/api/v2/conversations/${media}/${item.conversation.id}/participants`;
    expect((await call(sim, 'GET', `${P}/${item.participant.id}/wrapup`, { token })).status).toBe(200);
    expect((await call(sim, 'GET', `${P}/${item.participant.id}/communications/${item.comm.id}/wrapup`, { token })).status).toBe(200);
    expect((await call<Models.WrapupCode[]>(sim, 'GET', `${P}/${item.participant.id}/wrapupcodes`, { token })).body.length).toBeGreaterThan(0);
    expect((await call(sim, 'GET', `/api/v2/conversations/${item.conversation.id}/participants/${item.participant.id}/wrapup`, { token })).status).toBe(200);
    // getConversation is documented with conversation:communication:view, even for a participant.
    const whole = await call<Models.ErrorBody>(sim, 'GET', `/api/v2/conversations/${item.conversation.id}`, { token });
    expect([whole.status, whole.body.code]).toEqual([403, 'missing.permissions']);
    expect(whole.body.message).toContain('conversation:communication:view');
    // The other agent's participant of the same conversation, and a conversation the agent is not in: 403.
    const other = item.conversation.participants.find((p) => p.purpose === 'agent' && p.id !== item.participant.id)!;
    if (other.userId !== item.user.id) {
      const r = await call<Models.ErrorBody>(sim, 'GET', `${P}/${other.id}/wrapup`, { token });
      expect([r.status, r.body.code]).toEqual([403, 'missing.permissions']);
    }
    const foreign = sim.state.org.conversations.find((c) => !participates(c, item.user.id) && c.media === 'voice')!;
    expect((await call(sim, 'GET', `/api/v2/conversations/calls/${foreign.id}`, { token })).status).toBe(403);
    // The supervisor reads them all, getConversation included: each communication's id and after-call work.
    const sup = sim.mintToken(SUPERVISOR);
    expect((await call(sim, 'GET', `/api/v2/conversations/calls/${foreign.id}`, { token: sup })).status).toBe(200);
    const conv = await call<Models.Conversation>(sim, 'GET', `/api/v2/conversations/${item.conversation.id}`, { token: sup });
    const mine = conv.body.participants?.find((p) => p.id === item.participant.id);
    const comms = mine?.calls ?? mine?.callbacks ?? mine?.emails ?? mine?.messages ?? [];
    expect(comms.map((c) => [c.id, c.afterCallWork?.state])).toEqual([[item.comm.id, 'pending']]);
  });

  it('the agent without analytics fixes a call from its history: media GET, then PATCH its participant (no communication id needed)', async () => {
    await start({ conversations: 400 });
    const agent = userOf(AGENT_WITHOUT_ANALYTICS_EMAIL);
    const token = sim.mintToken(AGENT_WITHOUT_ANALYTICS_EMAIL);
    const history = await call<Models.CallHistoryConversationEntityListing>(sim, 'GET', `${HISTORY}?pageSize=50`, { token });
    const open = (history.body.entities ?? []).flatMap((e) => {
      const c = sim.state.org.conversationsById.get(e.id!)!;
      const p = c.participants.find(
        (x) => x.userId === agent.id && !x.comms[x.comms.length - 1]!.wrapup && x.comms[x.comms.length - 1]!.state === 'disconnected',
      );
      return p ? [{ c, p }] : [];
    })[0];
    expect(open).toBeDefined();
    const { c, p } = open!;
    const read = await call<Models.CallConversation>(sim, 'GET', `/api/v2/conversations/calls/${c.id}`, { token });
    expect(read.body.participants?.find((x) => x.id === p.id)?.wrapup).toBeUndefined();
    const code = (await call<Models.WrapupCode[]>(sim, 'GET', `/api/v2/conversations/calls/${c.id}/participants/${p.id}/wrapupcodes`, { token })).body[0]!.id!;
    expect((await call(sim, 'PATCH', `/api/v2/conversations/calls/${c.id}/participants/${p.id}`, { token, body: { wrapup: { code } } })).status).toBe(202);
    const after = await call<Models.CallConversation>(sim, 'GET', `/api/v2/conversations/calls/${c.id}`, { token });
    expect(after.body.participants?.find((x) => x.id === p.id)?.wrapup?.code).toBe(code);
  });
});

describe('own-participant writes', () => {
  it('the own agent writes under every policy (POST and PATCH), also after the others’ window; the write log says by whom', async () => {
    await start({ wrapupWindowDays: 0 });
    for (const policy of ['strict', 'during-acw', 'permissive'] as const) {
      await call(sim, 'POST', '/__sim/options', { body: { wrapupPolicy: policy, patchPolicy: 'strict' } });
      const item = agentItem(
        (i) =>
          i.conversation.media !== 'chat' &&
          i.comm.state === 'disconnected' &&
          !i.comm.wrapup &&
          i.comm.acwState !== 'pending' &&
          i.participant.queueId !== undefined,
      );
      const supervisor = await call(sim, 'POST', postPath(item), { token: sim.mintToken(SUPERVISOR), body: { code: codeFor(item.participant) } });
      expect(supervisor.status, policy).toBeGreaterThanOrEqual(400);
      const token = sim.mintToken(item.user.email);
      expect((await call(sim, 'POST', postPath(item), { token, body: { code: codeFor(item.participant) } })).status, policy).toBe(202);
      const patched = await call(
        sim,
        'PATCH',
        `/api/v2/conversations/${mediaPath(item.conversation.media)}/${item.conversation.id}/participants/${item.participant.id}`,
        { token, body: { wrapup: { code: codeFor(item.participant), notes: 'again' } } },
      );
      expect(patched.status, policy).toBe(202);
      const writes = (
        await call<{ writes: Array<{ userEmail: string; participantId: string; outcome: string }> }>(sim, 'GET', '/__sim/writes')
      ).body.writes.filter((w) => w.participantId === item.participant.id && w.outcome === 'applied');
      expect(writes.map((w) => w.userEmail)).toEqual([item.user.email, item.user.email]);
    }
  });

  it('--own-wrapup-window-hours: the own agent is refused after N hours (400, its own code); others follow their policy', async () => {
    await start({ ownWrapupWindowHours: 1 });
    const now = Date.now();
    const old = agentItem(
      (i) => i.conversation.media !== 'chat' && i.comm.state === 'disconnected' && !i.comm.wrapup && i.comm.disconnectedTime! < now - 2 * HOUR,
    );
    const r = await call<Models.ErrorBody>(sim, 'POST', postPath(old), { token: sim.mintToken(old.user.email), body: { code: codeFor(old.participant) } });
    expect([r.status, r.body.code]).toEqual([400, OWN_WRAPUP_WINDOW_CLOSED]);
    expect(r.body.message).toContain('1 hours');
    // A supervisor (permissive, 7 days) still may.
    expect((await call(sim, 'POST', postPath(old), { token: sim.mintToken(SUPERVISOR), body: { code: codeFor(old.participant) } })).status).toBe(202);
    // A communication that ended just now: the own agent may.
    const active = agentItem((i) => i.comm.state !== 'disconnected' && i.conversation.media !== 'chat');
    expect(
      (await call(sim, 'POST', '/__sim/agent-disconnect', { body: { conversationId: active.conversation.id, participantId: active.participant.id } })).status,
    ).toBe(200);
    expect((await call(sim, 'POST', postPath(active), { token: sim.mintToken(active.user.email), body: { code: codeFor(active.participant) } })).status).toBe(
      202,
    );
  });
});

describe('user conversation topics', () => {
  async function channel(token: string): Promise<Required<Models.Channel>> {
    const r = await call<Required<Models.Channel>>(sim, 'POST', CHANNELS, { token });
    expect(r.status).toBe(200);
    return r.body;
  }
  async function open(c: Models.Channel): Promise<TestWs> {
    const ws = await openWs(c.connectUri ?? '');
    sockets.push(ws);
    return ws;
  }
  const subs = (id: string): string => `${CHANNELS}/${id}/subscriptions`;
  type ConvEvent = Models.ConversationEventTopicConversation;

  it('own id: permitted without any permission; another user’s id: 403, or Rejected with ignoreErrors; a supervisor may', async () => {
    await start();
    const agent = userOf(AGENT_EMAIL);
    const other = userOf('agent03@demo.example');
    const token = sim.mintToken(AGENT_EMAIL);
    const c = await channel(token);
    const own = [
      userConversationsTopic(agent.id),
      userConversationsTopic(agent.id, 'calls'),
      userConversationsTopic(agent.id, 'emails'),
      userConversationsTopic(agent.id, 'messages'),
      userConversationsTopic(agent.id, 'callbacks'),
    ];
    const put = await call<Models.ChannelTopicEntityListing>(sim, 'PUT', subs(c.id), { token, body: own.map((id) => ({ id })) });
    expect(put.status).toBe(200);
    expect(put.body.entities).toEqual(own.map((id) => ({ id, state: 'Permitted' })));
    const denied = await call<Models.ErrorBody>(sim, 'POST', subs(c.id), { token, body: [{ id: userConversationsTopic(other.id) }] });
    expect([denied.status, denied.body.code]).toEqual([403, 'missing.permissions']);
    expect(denied.body.message).toContain('conversation:communication:view');
    const partial = await call<Models.ChannelTopicEntityListing>(sim, 'POST', `${subs(c.id)}?ignoreErrors=true`, {
      token,
      body: [{ id: userConversationsTopic(other.id) }, { id: wrapupTopic('x') }],
    });
    expect(partial.status).toBe(200);
    const rejected = partial.body.entities?.filter((e) => e.state === 'Rejected');
    expect(rejected).toEqual([
      {
        id: userConversationsTopic(other.id),
        state: 'Rejected',
        rejectionReason: expect.stringContaining('another user') as string,
        missingPermissions: ['conversation:communication:view'],
      },
      { id: wrapupTopic('x'), state: 'Rejected', rejectionReason: expect.any(String) as string, missingPermissions: ['analytics:conversationDetail:view'] },
    ]);
    expect(partial.body.entities?.filter((e) => e.state === 'Permitted').map((e) => e.id)).toEqual(own);
    const sup = sim.mintToken(SUPERVISOR);
    const sc = await channel(sup);
    expect(
      (await call<Models.ChannelTopicEntityListing>(sim, 'PUT', subs(sc.id), { token: sup, body: [{ id: userConversationsTopic(other.id) }] })).body.entities,
    ).toEqual([{ id: userConversationsTopic(other.id), state: 'Permitted' }]);
    // Not a topic the sim serves.
    expect((await call(sim, 'PUT', subs(c.id), { token, body: [{ id: `v2.users.${agent.id}.conversations.chats` }] })).status).toBe(400);
  });

  it('availabletopics lists the served topics, with their permissions when asked (expand=requiresPermissions)', async () => {
    await start();
    const token = sim.mintToken(AGENT_EMAIL);
    const r = await call<Models.AvailableTopicEntityListing>(sim, 'GET', '/api/v2/notifications/availabletopics?expand=requiresPermissions', { token });
    expect(r.status).toBe(200);
    const byId = new Map((r.body.entities ?? []).map((t) => [t.id, t]));
    expect([...byId.keys()].sort()).toEqual([
      'v2.detail.events.conversation.{id}.wrapup',
      'v2.users.{id}.conversations',
      'v2.users.{id}.conversations.callbacks',
      'v2.users.{id}.conversations.calls',
      'v2.users.{id}.conversations.emails',
      'v2.users.{id}.conversations.messages',
    ]);
    expect(byId.get('v2.users.{id}.conversations')).toMatchObject({
      requiresPermissions: ['conversation:communication:view'],
      requiresCurrentUserOrPermission: true,
    });
    expect(byId.get('v2.detail.events.conversation.{id}.wrapup')).toMatchObject({
      requiresPermissions: ['analytics:conversationDetail:view'],
      requiresCurrentUserOrPermission: false,
    });
    const plain = await call<Models.AvailableTopicEntityListing>(sim, 'GET', '/api/v2/notifications/availabletopics', { token });
    expect(plain.body.entities?.every((t) => t.requiresPermissions === undefined)).toBe(true);
    expect((await call(sim, 'GET', '/api/v2/notifications/availabletopics?expand=nonsense', { token })).status).toBe(400);
    // The SDK accepts the answer.
    const client = platformClient.ApiClient.instance;
    client.setGateway({ protocol: 'http', host: '127.0.0.1', port: sim.port, path_params_login: 'login', path_params_api: '' });
    client.setAccessToken(token);
    const sdk: Models.AvailableTopicEntityListing = await new platformClient.NotificationsApi().getNotificationsAvailabletopics({
      expand: ['requiresPermissions', 'description'],
    });
    expect(sdk.entities?.find((t) => t.id === 'v2.users.{id}.conversations')?.description).toBeTruthy();
    await call(sim, 'POST', '/__sim/options', { body: { notifications: false } });
    expect((await call(sim, 'GET', '/api/v2/notifications/availabletopics', { token })).status).toBe(404);
  });

  it('after-call work left without a code (POST /__sim/acw-end): the user topics carry the communication id and its ACW state; no wrap-up event', async () => {
    await start();
    const item = agentItem((i) => i.comm.acwState === 'pending' && !i.comm.wrapup && i.conversation.media !== 'chat');
    const token = sim.mintToken(item.user.email);
    const c = await channel(token);
    const media = mediaPath(item.conversation.media) as 'calls' | 'callbacks' | 'emails' | 'messages';
    const topics = [userConversationsTopic(item.user.id), userConversationsTopic(item.user.id, media)];
    expect((await call(sim, 'PUT', subs(c.id), { token, body: topics.map((id) => ({ id })) })).status).toBe(200);
    const sup = sim.mintToken(SUPERVISOR);
    const sc = await channel(sup);
    await call(sim, 'PUT', subs(sc.id), { token: sup, body: [{ id: wrapupTopic(item.conversation.id) }, { id: userConversationsTopic(item.user.id) }] });
    const ws = await open(c);
    const sws = await open(sc);
    const end = await call<{ acwState: string; communicationId: string }>(sim, 'POST', '/__sim/acw-end', {
      body: { conversationId: item.conversation.id, participantId: item.participant.id },
    });
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ acwState: 'skipped', communicationId: item.comm.id });

    const whole = await ws.message((m) => m.topicName === topics[0], 'the user conversation event');
    const body = whole.eventBody as ConvEvent;
    expect(body.id).toBe(item.conversation.id);
    const p = body.participants?.find((x) => x.id === item.participant.id);
    const comms = p?.calls ?? p?.callbacks ?? p?.emails ?? p?.messages ?? [];
    expect(comms).toHaveLength(1);
    expect(comms[0]).toMatchObject({ id: item.comm.id, state: 'disconnected', afterCallWork: { state: 'skipped' } });
    expect(comms[0]?.afterCallWork?.endTime).toBeTruthy();
    expect(comms[0]?.wrapup).toBeUndefined();
    expect(p?.wrapup).toBeUndefined();
    const perMedia = await ws.message((m) => m.topicName === topics[1], 'the per-media event');
    const mp = (perMedia.eventBody as Models.ConversationCallEventTopicCallConversation).participants?.find((x) => x.id === item.participant.id);
    expect(mp).toMatchObject({ wrapupSkipped: true, wrapupRequired: true });
    expect(mp?.endAcwTime).toBeTruthy();
    // The supervisor subscribed to that agent's topic gets it too; no wrap-up detail event (no code was set).
    await sws.message((m) => m.topicName === userConversationsTopic(item.user.id), 'the supervisor’s copy');
    await new Promise((r) => setTimeout(r, 100));
    expect(sws.topic(wrapupTopic(item.conversation.id))).toEqual([]);
    // Ground truth and analytics: still missing; ACW ended without a code.
    const truth = await call<{ missing: TruthItem[] }>(sim, 'POST', '/__sim/truth', { body: { interval: intervalDays(8), userId: item.user.id } });
    expect(truth.body.missing.map((m) => m.communicationId)).toContain(item.comm.id);
    const view = sim.state.analyticsView(item.conversation, Date.now());
    const session = view.participants?.find((x) => x.participantId === item.participant.id)?.sessions?.[0];
    expect(session?.acwSkipped).toBe(true);
    const seg = session?.segments?.find((s) => s.segmentType === 'wrapup');
    expect(seg?.segmentEnd).toBeTruthy();
    expect(seg?.wrapUpCode).toBeUndefined();
    // Only pending after-call work (or an active communication) can be left.
    expect((await call(sim, 'POST', '/__sim/acw-end', { body: { conversationId: item.conversation.id, participantId: item.participant.id } })).status).toBe(
      409,
    );
  });

  it('ended, ACW started (POST /__sim/agent-disconnect), code set by the agent, system code on timeout: each fires the user topic', async () => {
    await start({ conversations: 300 });
    const item = agentItem((i) => i.comm.state !== 'disconnected' && i.conversation.media !== 'chat' && i.participant.queueId !== undefined);
    const token = sim.mintToken(item.user.email);
    const c = await channel(token);
    const topic = userConversationsTopic(item.user.id);
    await call(sim, 'PUT', subs(c.id), { token, body: [{ id: topic }] });
    const ws = await open(c);
    const commOf = (m: Message) => {
      const p = (m.eventBody as ConvEvent).participants?.find((x) => x.id === item.participant.id);
      return (p?.calls ?? p?.callbacks ?? p?.emails ?? p?.messages ?? [])[0];
    };
    expect(
      (await call(sim, 'POST', '/__sim/agent-disconnect', { body: { conversationId: item.conversation.id, participantId: item.participant.id } })).status,
    ).toBe(200);
    const ended = await ws.message((m) => m.topicName === topic && commOf(m)?.state === 'disconnected', 'the end of the interaction');
    expect(commOf(ended)?.afterCallWork?.state).toBe('pending');
    const customer = (ended.eventBody as ConvEvent).participants?.find((p) => p.purpose === 'customer' || p.purpose === 'external');
    expect((customer?.calls ?? customer?.callbacks ?? customer?.emails ?? customer?.messages ?? [])[0]?.state).toBe('disconnected');
    const code = codeFor(item.participant);
    expect((await call(sim, 'POST', postPath(item), { token, body: { code } })).status).toBe(202);
    const coded = await ws.message((m) => m.topicName === topic && commOf(m)?.wrapup?.code === code, 'the code set');
    expect(commOf(coded)?.afterCallWork?.state).toBe('complete');

    // A time-boxed ACW started by agent-disconnect times out with the system code, and that fires too.
    const timed = agentItem(
      (i) =>
        i.comm.state !== 'disconnected' &&
        i.conversation.media !== 'chat' &&
        i.participant.wrapupPrompt === 'timeout' &&
        i.participant.wrapupTimeoutMs !== undefined &&
        i.comm !== item.comm,
    );
    timed.participant.wrapupTimeoutMs = 50;
    const tt = sim.mintToken(timed.user.email);
    const tc = await channel(tt);
    await call(sim, 'PUT', subs(tc.id), { token: tt, body: [{ id: userConversationsTopic(timed.user.id) }] });
    const tws = await open(tc);
    await call(sim, 'POST', '/__sim/agent-disconnect', { body: { conversationId: timed.conversation.id, participantId: timed.participant.id } });
    await new Promise((r) => setTimeout(r, 120));
    await call(sim, 'GET', '/api/v2/users/me', { token: tt }); // any request advances simulated time
    await tws.message((m) => {
      const p = (m.eventBody as ConvEvent).participants?.find((x) => x.id === timed.participant.id);
      return (p?.calls ?? p?.callbacks ?? p?.emails ?? p?.messages ?? [])[0]?.wrapup?.code === 'ININ-WRAP-UP-TIMEOUT';
    }, 'the ACW timeout');
  });

  it('a supervisor write fires the user topic even with --wrapup-events agent-only (which only silences the wrap-up detail event)', async () => {
    await start({ wrapupEvents: 'agent-only' });
    const item = agentItem(
      (i) =>
        i.conversation.media !== 'chat' &&
        i.comm.state === 'disconnected' &&
        !i.comm.wrapup &&
        i.comm.acwState !== 'pending' &&
        i.participant.queueId !== undefined,
    );
    const token = sim.mintToken(item.user.email);
    const c = await channel(token);
    await call(sim, 'PUT', subs(c.id), { token, body: [{ id: userConversationsTopic(item.user.id) }] });
    const ws = await open(c);
    expect((await call(sim, 'POST', postPath(item), { token: sim.mintToken(SUPERVISOR), body: { code: codeFor(item.participant) } })).status).toBe(202);
    const m = await ws.message((x) => x.topicName === userConversationsTopic(item.user.id), 'the user topic event');
    expect((m.eventBody as ConvEvent).participants?.find((p) => p.id === item.participant.id)?.wrapup?.code).toBe(codeFor(item.participant));
  });
});

describe('POST /api/v2/chats/users/{userId}/messages', () => {
  it('a supervisor messages an agent: 200 {id}; logged in GET /__sim/chats; the SDK accepts it', async () => {
    await start();
    const agent = userOf(AGENT_EMAIL);
    const token = sim.mintToken(SUPERVISOR);
    const r = await call<Models.ChatSendMessageResponse>(sim, 'POST', `/api/v2/chats/users/${agent.id}/messages`, {
      token,
      body: { message: 'You have 3 missing wrap-ups: http://127.0.0.1:5173/' },
    });
    expect(r.status).toBe(200);
    expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const client = platformClient.ApiClient.instance;
    client.setGateway({ protocol: 'http', host: '127.0.0.1', port: sim.port, path_params_login: 'login', path_params_api: '' });
    client.setAccessToken(token);
    const sdk: Models.ChatSendMessageResponse = await new platformClient.ChatApi().postChatsUserMessages(userOf('agent03@demo.example').id, {
      message: 'second',
    });
    expect(sdk.id).toBeTruthy();
    const log = await call<{ chats: ChatLogEntry[] }>(sim, 'GET', '/__sim/chats');
    expect(log.body.chats.map((c) => [c.fromEmail, c.toEmail, c.message])).toEqual([
      [SUPERVISOR, AGENT_EMAIL, 'You have 3 missing wrap-ups: http://127.0.0.1:5173/'],
      [SUPERVISOR, 'agent03@demo.example', 'second'],
    ]);
    expect(log.body.chats[0]?.id).toBe(r.body.id);
    expect((await call<{ chats: ChatLogEntry[] }>(sim, 'GET', `/__sim/chats?to=${AGENT_EMAIL}`)).body.chats).toHaveLength(1);
    expect((await call<{ chats: ChatLogEntry[] }>(sim, 'GET', '/__sim/chats?since=1')).body.chats.map((c) => c.message)).toEqual(['second']);
    await call(sim, 'DELETE', '/__sim/chats');
    expect((await call<{ chats: ChatLogEntry[] }>(sim, 'GET', '/__sim/chats')).body.chats).toEqual([]);
  });

  it('refuses an unknown user (404), an empty or missing message (400), a caller without chat permission (403); nothing is logged', async () => {
    await start();
    const agent = userOf(AGENT_EMAIL);
    const token = sim.mintToken(SUPERVISOR);
    const path = `/api/v2/chats/users/${agent.id}/messages`;
    const unknown = await call<Models.ErrorBody>(sim, 'POST', '/api/v2/chats/users/00000000-0000-4000-8000-000000000000/messages', {
      token,
      body: { message: 'hi' },
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not.found']);
    for (const body of [{ message: '' }, { message: '   ' }, {}, { message: 42 }]) {
      const r = await call<Models.ErrorBody>(sim, 'POST', path, { token, body });
      expect([r.status, r.body.code]).toEqual([400, 'bad.request']);
      expect(r.body.details?.[0]?.fieldName).toBe('message');
    }
    expect((await call(sim, 'POST', path, { token, raw: '{' })).status).toBe(400);
    for (const email of [VIEWER, AGENT_EMAIL]) {
      const r = await call<Models.ErrorBody>(sim, 'POST', path, { token: sim.mintToken(email), body: { message: 'hi' } });
      expect([r.status, r.body.code]).toEqual([403, 'missing.permissions']);
      expect(r.body.message).toContain('chat:chat:access');
      expect(r.body.message).toContain('chat:1on1Message:add');
    }
    expect((await call<{ chats: ChatLogEntry[] }>(sim, 'GET', '/__sim/chats')).body.chats).toEqual([]);
  });
});

describe('POST /__sim/truth for one user', () => {
  it('{email} or {userId}: only that user’s items; after the agent fixes one, one fewer', async () => {
    await start({ conversations: 300 });
    const agent = userOf(AGENT_EMAIL);
    const interval = intervalDays(8);
    type Truth = { missing: TruthItem[]; totals: { missing: number }; userId?: string };
    const byEmail = await call<Truth>(sim, 'POST', '/__sim/truth', { body: { interval, email: AGENT_EMAIL } });
    const byId = await call<Truth>(sim, 'POST', '/__sim/truth', { body: { interval, userId: agent.id } });
    expect(byEmail.body.userId).toBe(agent.id);
    expect(byEmail.body.missing).toEqual(byId.body.missing);
    expect(byEmail.body.missing.length).toBeGreaterThan(0);
    expect(byEmail.body.missing.every((m) => m.userId === agent.id)).toBe(true);
    const all = await call<Truth>(sim, 'POST', '/__sim/truth', { body: { interval } });
    expect(all.body.missing.filter((m) => m.userId === agent.id)).toEqual(byEmail.body.missing);
    const target = byEmail.body.missing.find((m) => m.writable)!;
    const participant = sim.state.org.conversationsById.get(target.conversationId)!.participants.find((p) => p.id === target.participantId)!;
    const fix = await call(
      sim,
      'POST',
      `/api/v2/conversations/${mediaPath(target.mediaType)}/${target.conversationId}/participants/${target.participantId}/communications/${target.communicationId}/wrapup`,
      { token: sim.mintToken(AGENT_EMAIL), body: { code: codeFor(participant) } },
    );
    expect(fix.status).toBe(202);
    const after = await call<Truth>(sim, 'POST', '/__sim/truth', { body: { interval, email: AGENT_EMAIL } });
    expect(after.body.totals.missing).toBe(byEmail.body.totals.missing - 1);
    expect((await call(sim, 'POST', '/__sim/truth', { body: { interval, email: 'nobody@demo.example' } })).status).toBe(404);
  });
});
