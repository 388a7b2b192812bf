/** Notifications API: channels, subscriptions, the channel WebSocket, wrap-up detail events, control routes. */
import { request } from 'node:http';
import platformClient, { type Models } from 'purecloud-platform-client-v2';
import { wrapupTopic, type NotificationsSummary, type RunningSim } from '../src/index.ts';
import { parseArgs } from '../src/options.ts';
import type { SimComm, SimConversation, SimParticipant } from '../src/model.ts';
import { SUPERVISOR, VIEWER, call, isErrorBody, mediaPath, withSim } from './helpers.ts';
import { connectWs, openWs, type Message, type TestWs } from './ws-client.ts';

const CHANNELS = '/api/v2/notifications/channels';
const AGENT = 'agent01@demo.example';

let sim: RunningSim;
let token: string;
const sockets: TestWs[] = [];
beforeEach(async () => {
  sim = await withSim({ conversations: 150, rateLimit: 10_000, notificationDelayMs: 20 });
  token = sim.mintToken(SUPERVISOR);
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await sim.close();
});

async function createChannel(tk = token): Promise<Required<Models.Channel>> {
  const r = await call<Required<Models.Channel>>(sim, 'POST', CHANNELS, { token: tk });
  expect(r.status).toBe(200);
  return r.body;
}

const subs = (channelId: string): string => `${CHANNELS}/${channelId}/subscriptions`;
const topics = (...conversationIds: string[]): Array<{ id: string }> => conversationIds.map((c) => ({ id: wrapupTopic(c) }));

async function open(channel: Models.Channel): Promise<TestWs> {
  const ws = await openWs(channel.connectUri ?? '');
  sockets.push(ws);
  return ws;
}

async function summary(): Promise<NotificationsSummary> {
  return (await call<NotificationsSummary>(sim, 'GET', '/__sim/notifications')).body;
}

/** Disconnected, uncoded, writable agent participants of n distinct conversations. */
function targets(n: number) {
  const out: Array<{ conversation: SimConversation; participant: SimParticipant; comm: SimComm; code: string; path: string }> = [];
  for (const conversation of sim.state.org.conversations) {
    if (conversation.media === 'chat') continue;
    const participant = conversation.participants.find(
      (p) => p.purpose === 'agent' && p.queueId && p.situation !== 'acw-running' && p.comms[0]?.state === 'disconnected' && !p.comms[0].wrapup,
    );
    const comm = participant?.comms[0];
    if (!participant || !comm) continue;
    const code = sim.state.org.queuesById.get(participant.queueId!)!.codeIds[0]!;
    const path = `/api/v2/conversations/${mediaPath(conversation.media)}/${conversation.id}/participants/${participant.id}/communications/${comm.id}/wrapup`;
    out.push({ conversation, participant, comm, code, path });
    if (out.length === n) return out;
  }
  throw new Error(`only ${out.length} writable targets`);
}

/** Poll an async condition (control API state) until it holds. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function agentWrapup(t: ReturnType<typeof targets>[number], notes?: string) {
  return call(sim, 'POST', '/__sim/agent-wrapup', {
    body: {
      conversationId: t.conversation.id,
      participantId: t.participant.id,
      communicationId: t.comm.id,
      code: t.code,
      ...(notes !== undefined ? { notes } : {}),
    },
  });
}

const isTopic = (name: string) => (m: Message) => m.topicName === name;

describe('channels (REST)', () => {
  it('POST creates a channel (connectUri on the request host, expires in 24 h); GET lists the token’s channels; HEAD checks one', async () => {
    const c = await createChannel();
    expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.connectUri).toBe(`ws://127.0.0.1:${sim.port}/channels/${c.id}`);
    const ttl = Date.parse(c.expires) - Date.now();
    expect(ttl).toBeGreaterThan(23 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);

    const otherToken = sim.mintToken(SUPERVISOR);
    const c2 = await createChannel(otherToken);
    const mine = await call<Models.ChannelEntityListing>(sim, 'GET', CHANNELS, { token });
    expect(mine.body.entities).toEqual([{ connectUri: c.connectUri, id: c.id, expires: c.expires }]);
    // includechannels=oauthclient also shows the user's channels of other tokens, without their ids.
    const all = await call<Models.ChannelEntityListing>(sim, 'GET', `${CHANNELS}?includechannels=oauthclient`, { token });
    expect(all.body.entities).toEqual([{ connectUri: c.connectUri, id: c.id, expires: c.expires }, { expires: c2.expires }]);
    expect((await call(sim, 'GET', `${CHANNELS}?includechannels=everything`, { token })).status).toBe(400);

    expect((await call(sim, 'HEAD', `${CHANNELS}/${c.id}`, { token })).status).toBe(200);
    expect((await call(sim, 'HEAD', `${CHANNELS}/nope`, { token })).status).toBe(404);
    // Another user's channel is not found.
    expect((await call(sim, 'HEAD', `${CHANNELS}/${c.id}`, { token: sim.mintToken(VIEWER) })).status).toBe(404);
  });

  it('connectUri uses the Host header the request came in on', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: sim.port, path: CHANNELS, method: 'POST', headers: { Host: `localhost:${sim.port}`, Authorization: `Bearer ${token}` } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    const c = JSON.parse(body) as Models.Channel;
    expect(c.connectUri).toBe(`ws://localhost:${sim.port}/channels/${c.id}`);
  });

  it('20 channels per user and client: the 21st removes the oldest channel without a connection', async () => {
    const made: Array<Required<Models.Channel>> = [];
    for (let i = 0; i < 20; i++) made.push(await createChannel());
    await open(made[0]!);
    const extra = await createChannel();
    const list = await call<Models.ChannelEntityListing>(sim, 'GET', CHANNELS, { token });
    const ids = (list.body.entities ?? []).map((c) => c.id);
    expect(ids).toHaveLength(20);
    expect(ids).toContain(made[0]!.id);
    expect(ids).not.toContain(made[1]!.id);
    expect(ids).toContain(extra.id);
    expect((await call(sim, 'GET', subs(made[1]!.id), { token })).status).toBe(404);
    // Another user has their own 20.
    expect((await call(sim, 'POST', CHANNELS, { token: sim.mintToken(VIEWER) })).status).toBe(200);
    expect((await summary()).channels).toHaveLength(21);
  });

  it('subscriptions: PUT replaces, POST adds, GET lists, DELETE removes all (204)', async () => {
    const c = await createChannel();
    const [a, b, d] = ['conv-a', 'conv-b', 'conv-d'];
    const put = await call<Models.ChannelTopicEntityListing>(sim, 'PUT', subs(c.id), { token, body: [...topics(a, b), ...topics(a)] });
    expect(put.status).toBe(200);
    expect(put.body.entities).toEqual([
      { id: wrapupTopic(a), state: 'Permitted' },
      { id: wrapupTopic(b), state: 'Permitted' },
    ]);
    const post = await call<Models.ChannelTopicEntityListing>(sim, 'POST', subs(c.id), { token, body: topics(d, a) });
    expect(post.body.entities?.map((t) => t.id)).toEqual([wrapupTopic(a), wrapupTopic(b), wrapupTopic(d)]);
    const replaced = await call<Models.ChannelTopicEntityListing>(sim, 'PUT', subs(c.id), { token, body: topics(d) });
    expect(replaced.body.entities?.map((t) => t.id)).toEqual([wrapupTopic(d)]);
    const get = await call<Models.ChannelTopicEntityListing>(sim, 'GET', subs(c.id), { token });
    expect(get.body).toEqual({ entities: [{ id: wrapupTopic(d), state: 'Permitted' }] });
    const del = await call(sim, 'DELETE', subs(c.id), { token });
    expect([del.status, del.text]).toEqual([204, '']);
    expect((await call<Models.ChannelTopicEntityListing>(sim, 'GET', subs(c.id), { token })).body).toEqual({ entities: [] });
    expect((await summary()).channels[0]).toMatchObject({ id: c.id, topics: 0, connected: false });
  });

  it('subscriptions refuse: unknown or another user’s channel 404; bad bodies, unknown topics and more than 1,000 topics 400', async () => {
    const c = await createChannel();
    for (const tk of [token, sim.mintToken(VIEWER)]) {
      const path = tk === token ? subs('00000000-0000-4000-8000-000000000000') : subs(c.id);
      for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
        const r = await call<Models.ErrorBody>(sim, method, path, { token: tk, ...(method === 'PUT' || method === 'POST' ? { body: topics('x') } : {}) });
        expect([r.status, r.body.code]).toEqual([404, 'not.found']);
      }
    }
    const bad = async (opts: { body?: unknown; raw?: string }, method = 'PUT') => {
      const r = await call<Models.ErrorBody>(sim, method, subs(c.id), { token, ...opts });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('bad.request');
      expect(isErrorBody(r.body)).toBe(true);
      return r.body;
    };
    await bad({ raw: '{nope' });
    await bad({ body: { id: wrapupTopic('x') } });
    await bad({ body: [{}] });
    await bad({ body: [{ id: 5 }] });
    await bad({ body: [wrapupTopic('x')] }, 'POST');
    for (const id of [
      'v2.users.abc.presence',
      'v2.detail.events.conversation.x.acw',
      'v2.detail.events.conversation.x?wrapup',
      'v2.detail.events.conversation..wrapup',
      'channel.metadata',
    ]) {
      expect((await bad({ body: [{ id }] })).message).toContain(id);
    }
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: wrapupTopic(`${prefix}${i}`) }));
    expect((await bad({ body: many(1001, 'a') })).message).toContain('1000');
    expect((await call(sim, 'PUT', subs(c.id), { token, body: many(1000, 'a') })).status).toBe(200);
    expect((await bad({ body: many(1, 'b') }, 'POST')).message).toContain('1000');
    // Nothing changed by the refused calls.
    const get = await call<Models.ChannelTopicEntityListing>(sim, 'GET', subs(c.id), { token });
    expect(get.body.entities).toHaveLength(1000);
  });

  it('a token without analytics:conversationDetail:view: 403 missing.permissions, or Rejected topics with ignoreErrors=true', async () => {
    const agent = sim.mintToken(AGENT);
    const c = await createChannel(agent);
    const denied = await call<Models.ErrorBody>(sim, 'PUT', subs(c.id), { token: agent, body: topics('x') });
    expect([denied.status, denied.body.code]).toEqual([403, 'missing.permissions']);
    expect(denied.body.message).toContain('analytics:conversationDetail:view');
    const partial = await call<Models.ChannelTopicEntityListing>(sim, 'PUT', `${subs(c.id)}?ignoreErrors=true`, { token: agent, body: topics('x') });
    expect(partial.status).toBe(200);
    expect(partial.body.entities).toEqual([
      { id: wrapupTopic('x'), state: 'Rejected', rejectionReason: expect.any(String) as string, missingPermissions: ['analytics:conversationDetail:view'] },
    ]);
    expect((await call<Models.ChannelTopicEntityListing>(sim, 'GET', subs(c.id), { token: agent })).body.entities).toEqual([]);
  });

  it('the SDK’s NotificationsApi accepts every answer', async () => {
    const client = platformClient.ApiClient.instance;
    client.setGateway({ protocol: 'http', host: '127.0.0.1', port: sim.port, path_params_login: 'login', path_params_api: '' });
    client.setAccessToken(token);
    const api = new platformClient.NotificationsApi();
    const c: Models.Channel = await api.postNotificationsChannels();
    expect(c.connectUri).toBe(`ws://127.0.0.1:${sim.port}/channels/${c.id ?? ''}`);
    expect((await api.getNotificationsChannels()).entities?.map((x) => x.id)).toEqual([c.id]);
    await api.headNotificationsChannel(c.id ?? '');
    const put: Models.ChannelTopicEntityListing = await api.putNotificationsChannelSubscriptions(c.id ?? '', topics('a'));
    expect(put.entities?.[0]?.state).toBe('Permitted');
    const post = await api.postNotificationsChannelSubscriptions(c.id ?? '', topics('b'), { ignoreErrors: true });
    expect(post.entities?.map((t) => t.id)).toEqual([wrapupTopic('a'), wrapupTopic('b')]);
    expect((await api.getNotificationsChannelSubscriptions(c.id ?? '')).entities).toHaveLength(2);
    await api.deleteNotificationsChannelSubscriptions(c.id ?? '');
    expect((await api.getNotificationsChannelSubscriptions(c.id ?? '')).entities).toEqual([]);
  });

  it('the channel calls count against the token’s rate limit and appear in the request log', async () => {
    sim.state.options = { ...sim.state.options, rateLimit: 4 };
    const created = await call<Models.Channel>(sim, 'POST', CHANNELS, { token });
    expect(created.headers.get('inin-ratelimit-count')).toBe('1');
    const id = created.body.id ?? '';
    expect((await call(sim, 'PUT', subs(id), { token, body: topics('x') })).headers.get('inin-ratelimit-count')).toBe('2');
    expect((await call(sim, 'GET', subs(id), { token })).headers.get('inin-ratelimit-count')).toBe('3');
    expect((await call(sim, 'GET', CHANNELS, { token })).headers.get('inin-ratelimit-count')).toBe('4');
    const limited = await call<Models.ErrorBody>(sim, 'POST', CHANNELS, { token });
    expect([limited.status, limited.body.code]).toEqual([429, 'too.many.requests']);
    const log = await call<{ tokens: Array<{ entries: Array<{ method: string; path: string; status: number }> }> }>(
      sim,
      'GET',
      `/__sim/requests?token=${token}`,
    );
    expect(log.body.tokens[0]?.entries.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `POST ${CHANNELS} 200`,
      `PUT ${subs(id)} 200`,
      `GET ${subs(id)} 200`,
      `GET ${CHANNELS} 200`,
      `POST ${CHANNELS} 429`,
    ]);
    // The WebSocket itself needs no token and is not an API call.
    const ws = await open(created.body);
    expect(ws.isOpen).toBe(true);
  });

  it('notifications=false: the REST routes and the WebSocket answer 404 (as if the feature were unavailable); reset restores it', async () => {
    const c = await createChannel();
    await call(sim, 'POST', '/__sim/options', { body: { notifications: false } });
    for (const [method, path] of [
      ['POST', CHANNELS],
      ['GET', CHANNELS],
      ['GET', subs(c.id)],
      ['PUT', subs(c.id)],
    ] as const) {
      const r = await call<Models.ErrorBody>(sim, method, path, { token, ...(method === 'PUT' ? { body: topics('x') } : {}) });
      expect([r.status, r.body.code]).toEqual([404, 'not.found']);
    }
    expect((await connectWs(c.connectUri)).status).toBe(404);
    await call(sim, 'POST', '/__sim/reset', { body: {} });
    expect(sim.options.notifications).toBe(true);
    expect((await call(sim, 'POST', CHANNELS, { token: sim.mintToken(SUPERVISOR) })).status).toBe(200);
  });
});

describe('channel WebSocket', () => {
  it('upgrade: 404 for an unknown channel or another path, 426 without version 13; no token needed', async () => {
    const unknown = await connectWs(`ws://127.0.0.1:${sim.port}/channels/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect('body' in unknown && (JSON.parse(unknown.body) as Models.ErrorBody).code).toBe('not.found');
    expect((await connectWs(`ws://127.0.0.1:${sim.port}/api/v2/notifications/channels`)).status).toBe(404);
    const c = await createChannel();
    expect((await connectWs(c.connectUri, { protocolVersion: 8 })).status).toBe(426);
    const ws = await open(c);
    expect(ws.isOpen).toBe(true);
    expect((await summary()).channels[0]).toMatchObject({ id: c.id, connected: true });
  });

  it('heartbeat every notificationHeartbeatMs; {"message":"ping"} → pong; protocol ping → pong frame', async () => {
    await call(sim, 'POST', '/__sim/options', { body: { notificationHeartbeatMs: 50 } });
    const ws = await open(await createChannel());
    const hb = await ws.message((m) => m.topicName === 'channel.metadata' && m.eventBody.message === 'WebSocket Heartbeat', 'a heartbeat');
    expect(hb).toEqual({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    ws.ping();
    const pong = await ws.message((m) => m.eventBody.message === 'pong', 'pong');
    expect(pong).toEqual({ topicName: 'channel.metadata', eventBody: { message: 'pong' } });
    ws.client.ping('hello');
    expect(await ws.waitFor(() => ws.pongs[0], 'a pong frame')).toBe('hello');
    expect(ws.violation).toBeNull();
  });

  it('client frames: 16-bit and 64-bit lengths, fragments with an interleaved ping; binary and non-JSON text ignored', async () => {
    const ws = await open(await createChannel());
    const pongs = () => ws.messages.filter((m) => m.eventBody.message === 'pong').length;
    ws.ping({ pad: 'x'.repeat(300) }); // 16-bit length
    await ws.waitFor(() => pongs() === 1, 'pong 1');
    ws.ping({ pad: 'y'.repeat(70_000) }); // 64-bit length
    await ws.waitFor(() => pongs() === 2, 'pong 2');
    const text = JSON.stringify({ message: 'ping', pad: 'z'.repeat(1000) });
    ws.client.send(text.slice(0, 10), { fin: false });
    ws.client.ping('mid');
    ws.client.send(text.slice(10, 500), { fin: false });
    ws.client.send(text.slice(500), { fin: true });
    ws.client.send(Buffer.from(JSON.stringify({ message: 'ping' })), { binary: true });
    await ws.waitFor(() => pongs() === 3, 'pong 3');
    expect(ws.pongs).toEqual(['mid']);
    ws.sendText('not json');
    ws.ping();
    await ws.waitFor(() => pongs() === 4, 'pong 4');
    expect(ws.isOpen).toBe(true);
  });

  it('protocol errors close with 1002 (unmasked frame), invalid UTF-8 with 1007, a message over 16 MiB with 1009', async () => {
    const c = await createChannel();
    const cases: Array<[(ws: TestWs) => void, number]> = [
      [(ws) => ws.client.send('hi', { mask: false }), 1002],
      [(ws) => ws.client.send(Buffer.from([0xff, 0xfe]), { binary: false }), 1007],
      [(ws) => ws.client.send(Buffer.alloc(16 * 1024 * 1024 + 1, 0x20), { binary: false }), 1009],
    ];
    for (const [send, code] of cases) {
      const ws = await open(c);
      send(ws);
      await ws.ended();
      expect(ws.closeCode).toBe(code);
    }
  });

  it('client close: the server answers with a close frame and ends the connection', async () => {
    const c = await createChannel();
    const ws = await open(c);
    ws.close(1000);
    await ws.ended();
    expect(ws.closeCode).toBe(1000);
    await eventually(async () => (await summary()).channels[0]?.connected === false, 'the channel to show disconnected');
  });

  it('one socket per channel: a second connection replaces the first', async () => {
    const c = await createChannel();
    const first = await open(c);
    const second = await open(c);
    await first.ended();
    expect(first.closeCode).toBe(1000);
    expect(second.isOpen).toBe(true);
    second.ping();
    await second.message((m) => m.eventBody.message === 'pong', 'pong on the new socket');
  });

  it('control close: socket_closing then a close frame; the channel stays and takes a new connection; expire removes it; abrupt drops TCP', async () => {
    const c = await createChannel();
    const ws = await open(c);
    const closed = await call<{ closed: number }>(sim, 'POST', '/__sim/notifications/close', { body: { channelId: c.id } });
    expect(closed.body.closed).toBe(1);
    await ws.ended();
    const closing = ws.log.indexOf('v2.system.socket_closing');
    const closeFrame = ws.log.indexOf('close 1000');
    expect(closing).toBeGreaterThanOrEqual(0);
    expect(closeFrame).toBeGreaterThan(closing);
    expect(ws.topic('v2.system.socket_closing')[0]?.eventBody.message).toEqual(expect.any(String));

    const again = await open(c);
    await call(sim, 'POST', '/__sim/notifications/close', { body: { abrupt: true } });
    await again.ended();
    expect(again.closeCode).toBeNull();

    const third = await open(c);
    await call(sim, 'POST', '/__sim/notifications/close', { body: { channelId: c.id, expire: true } });
    await third.ended();
    expect(third.topic('v2.system.socket_closing')).toHaveLength(1);
    expect(third.closeCode).toBe(1000);
    expect((await connectWs(c.connectUri)).status).toBe(404);
    expect((await call(sim, 'GET', subs(c.id), { token })).status).toBe(404);
    expect((await call(sim, 'POST', '/__sim/notifications/close', { body: { channelId: c.id } })).status).toBe(404);
    expect((await call(sim, 'POST', '/__sim/notifications/close', { body: { abrupt: 'yes' } })).status).toBe(400);
  });

  it('reset forgets channels and closes their sockets', async () => {
    const c = await createChannel();
    const ws = await open(c);
    await call(sim, 'POST', '/__sim/reset', { body: {} });
    await ws.ended();
    expect(ws.closeCode).toBe(1000);
    expect((await summary()).channels).toEqual([]);
    expect((await connectWs(c.connectUri)).status).toBe(404);
  });

  it('server close ends every socket (and the sim stops)', async () => {
    const other = await withSim({ conversations: 20 });
    const c = (await call<Models.Channel>(other, 'POST', CHANNELS, { token: other.mintToken(SUPERVISOR) })).body;
    const a = await openWs(c.connectUri ?? '');
    await other.close();
    await a.ended();
    expect(a.closeCode).toBe(1001);
  });
});

describe('wrap-up detail events', () => {
  it('an agent wrap-up (control API) sends exactly one event on the subscribed channel, with the right ids and code; none for other conversations', async () => {
    const [t1, t2, t3] = targets(3);
    const c = await createChannel();
    await call(sim, 'PUT', subs(c.id), { token, body: topics(t1!.conversation.id, t3!.conversation.id) });
    const ws = await open(c);
    await agentWrapup(t2!); // not subscribed
    expect((await agentWrapup(t1!, 'called back')).status).toBe(200);
    const topic1 = wrapupTopic(t1!.conversation.id);
    const ev = await ws.message(isTopic(topic1), 'the wrap-up event');
    expect(ev).toEqual({
      topicName: topic1,
      version: '2',
      eventBody: {
        eventTime: expect.any(Number) as number,
        conversationId: t1!.conversation.id,
        participantId: t1!.participant.id,
        sessionId: t1!.comm.id,
        mediaType: t1!.conversation.media,
        provider: 'PureCloud',
        direction: t1!.comm.direction,
        queueId: t1!.participant.queueId,
        wrapupCode: t1!.code,
        wrapupNotes: 'called back',
        wrapupDurationMs: expect.any(Number) as number,
      },
      metadata: { CorrelationId: expect.any(String) as string },
    });
    expect(ev.eventBody).not.toHaveProperty('userId');
    // A later event on the same channel is the barrier: events arrive in order.
    await agentWrapup(t3!);
    await ws.message(isTopic(wrapupTopic(t3!.conversation.id)), 'the second event');
    expect(ws.topic(topic1)).toHaveLength(1);
    expect(ws.topic(wrapupTopic(t2!.conversation.id))).toHaveLength(0);
    expect((await summary()).channels[0]).toMatchObject({ eventsSent: 2, eventsDropped: 0, eventsLost: 0 });
  });

  it('the app’s POST write and PATCH send events to every subscribed channel; long notes use 64-bit frames', async () => {
    const [t1, t2] = targets(2);
    const viewer = sim.mintToken(VIEWER);
    const a = await createChannel();
    const b = await createChannel(viewer);
    await call(sim, 'PUT', subs(a.id), { token, body: topics(t1!.conversation.id, t2!.conversation.id) });
    expect((await call(sim, 'PUT', subs(b.id), { token: viewer, body: topics(t1!.conversation.id) })).status).toBe(200);
    const wsA = await open(a);
    const wsB = await open(b);
    expect((await call(sim, 'POST', t1!.path, { token, body: { code: t1!.code, notes: 'from the app' } })).status).toBe(202);
    const evA = await wsA.message(isTopic(wrapupTopic(t1!.conversation.id)), 'event on A');
    expect(evA.eventBody).toMatchObject({ sessionId: t1!.comm.id, wrapupCode: t1!.code, wrapupNotes: 'from the app' });
    await wsB.message(isTopic(wrapupTopic(t1!.conversation.id)), 'event on B');

    sim.state.options = { ...sim.state.options, notesMaxLength: 100_000 };
    const notes = 'n'.repeat(70_000);
    const patchPath = `/api/v2/conversations/${mediaPath(t2!.conversation.media)}/${t2!.conversation.id}/participants/${t2!.participant.id}`;
    expect((await call(sim, 'PATCH', patchPath, { token, body: { wrapup: { code: t2!.code, notes } } })).status).toBe(202);
    const ev2 = await wsA.message(isTopic(wrapupTopic(t2!.conversation.id)), 'the PATCH event');
    expect(ev2.eventBody.wrapupNotes).toBe(notes);
    expect(wsA.violation).toBeNull();
  });

  it('notificationDropRate 1: the event is not delivered (counted as dropped); events while disconnected are lost', async () => {
    const [t1, t2, t3] = targets(3);
    const c = await createChannel();
    await call(sim, 'PUT', subs(c.id), { token, body: topics(t1!.conversation.id, t2!.conversation.id, t3!.conversation.id) });
    await agentWrapup(t3!); // no socket when it is due
    await eventually(async () => (await summary()).channels[0]?.eventsLost === 1, 'the lost event to be counted');
    const ws = await open(c);
    await call(sim, 'POST', '/__sim/options', { body: { notificationDropRate: 1 } });
    await agentWrapup(t1!);
    await call(sim, 'POST', '/__sim/options', { body: { notificationDropRate: 0 } });
    await agentWrapup(t2!);
    await ws.message(isTopic(wrapupTopic(t2!.conversation.id)), 'the undropped event');
    expect(ws.topic(wrapupTopic(t1!.conversation.id))).toHaveLength(0);
    expect(ws.topic(wrapupTopic(t3!.conversation.id))).toHaveLength(0);
    expect((await summary()).channels[0]).toMatchObject({ eventsSent: 1, eventsDropped: 1, eventsLost: 1 });
  });
});

describe('options', () => {
  it('flags and defaults', () => {
    const o = parseArgs(['--notifications', 'false', '--notification-delay-ms', '5', '--notification-drop-rate', '0.25', '--notification-heartbeat-ms', '0']);
    expect(o).toMatchObject({ notifications: false, notificationDelayMs: 5, notificationDropRate: 0.25, notificationHeartbeatMs: 0 });
    expect(parseArgs([])).toMatchObject({ notifications: true, notificationDelayMs: 100, notificationDropRate: 0, notificationHeartbeatMs: 30_000 });
    expect(() => parseArgs(['--notification-drop-rate', '2'])).toThrow(/between 0 and 1/);
  });
});
