import { http, HttpResponse } from 'msw';
import type { Models } from 'purecloud-platform-client-v2';
import { createNotificationChannel, putChannelSubscriptions } from './api.ts';
import { signedInToSim, SIM } from './test-support.ts';
import {
  createWrapupWatch,
  describeWrapupWatch,
  MAX_WATCHED,
  wrapupTopic,
  type WatchStatus,
  type WebSocketLike,
  type WrapupEvent,
  type WrapupWatch,
  type WrapupWatchDeps,
} from './wrapup-watch.ts';

// ---------------------------------------------------------------------------------------------
// Fakes: a WebSocket driven from the test (the "server" side), and the two REST calls with
// PUTs that stay in flight until the test answers them.

class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly sent: string[] = [];
  readonly closeCalls: (number | undefined)[] = [];

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close(code?: number) {
    this.closeCalls.push(code);
    this.readyState = 3;
  }
  // --- server side
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  drop() {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({});
  }
}

interface Put {
  channelId: string;
  topics: string[];
  resolve: (v: Models.ChannelTopic[]) => void;
  reject: (e: unknown) => void;
}

function fakeApi() {
  let n = 0;
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const puts: Put[] = [];
  const createChannel = vi.fn((): Promise<Models.Channel> => {
    n += 1;
    return Promise.resolve({ id: `ch${n}`, connectUri: `wss://streaming.example.test/channels/ch${n}`, expires: '2999-01-01T00:00:00Z' });
  });
  const putSubscriptions = vi.fn(
    (channelId: string, topics: string[]) =>
      new Promise<Models.ChannelTopic[]>((resolve, reject) => {
        inFlight += 1;
        state.maxInFlight = Math.max(state.maxInFlight, inFlight);
        const done = () => (inFlight -= 1);
        puts.push({
          channelId,
          topics,
          resolve: (v) => {
            done();
            resolve(v);
          },
          reject: (e) => {
            done();
            reject(e instanceof Error ? e : Object.assign(new Error('http'), e));
          },
        });
      }),
  );
  return { createChannel, putSubscriptions, puts, state };
}

const permitted = (topics: string[]): Models.ChannelTopic[] => topics.map((id) => ({ id, state: 'Permitted' }));
const T = (id: string) => wrapupTopic(id);
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const HEARTBEAT = 75_000;

let api: ReturnType<typeof fakeApi>;
let watches: WrapupWatch[];

function make(extra: Partial<WrapupWatchDeps> = {}) {
  const w = createWrapupWatch({
    createChannel: api.createChannel,
    putSubscriptions: api.putSubscriptions,
    WebSocket: FakeSocket,
    random: () => 0, // backoff 1 s, 2 s, 4 s ... exactly
    ...extra,
  });
  watches.push(w);
  return w;
}

const flush = () => vi.advanceTimersByTimeAsync(0);
const lastSocket = () => FakeSocket.all[FakeSocket.all.length - 1]!;
const lastPut = () => api.puts[api.puts.length - 1]!;

/** watch(ids), create the channel, open the socket, confirm the PUT: the watch is live. */
async function live(w: WrapupWatch, ids: string[]) {
  w.watch(ids);
  await flush();
  lastSocket().open();
  lastPut().resolve(permitted(lastPut().topics));
  await flush();
  expect(w.status()).toBe('live');
  return lastSocket();
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  FakeSocket.all = [];
  api = fakeApi();
  watches = [];
});

afterEach(() => {
  for (const w of watches) w.close();
  vi.useRealTimers();
});

describe('createWrapupWatch: start', () => {
  it('creates nothing until the first watch() with a non-empty set', async () => {
    const w = make();
    await vi.advanceTimersByTimeAsync(10_000);
    w.watch([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.createChannel).not.toHaveBeenCalled();
    expect(FakeSocket.all).toHaveLength(0);
    expect(w.status()).toBe('idle');

    w.watch(['c1']);
    expect(w.status()).toBe('connecting');
    await flush();
    expect(api.createChannel).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all.map((s) => s.url)).toEqual(['wss://streaming.example.test/channels/ch1']);
  });

  it('subscribes only once the socket is open, with the whole topic list', async () => {
    const w = make();
    w.watch(['c1', 'c2']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(api.putSubscriptions).not.toHaveBeenCalled();
    lastSocket().open();
    expect(api.putSubscriptions).toHaveBeenCalledTimes(1);
    expect(api.putSubscriptions).toHaveBeenCalledWith('ch1', [T('c1'), T('c2')]);
    expect(T('c1')).toBe('v2.detail.events.conversation.c1.wrapup');
  });

  it('covers a conversation from the moment the PUT that permitted it returned, not before', async () => {
    const w = make();
    const statuses: WatchStatus[] = [];
    w.onStatus((s) => statuses.push(s));
    w.watch(['c1']);
    await flush();
    lastSocket().open();
    await vi.advanceTimersByTimeAsync(700); // the PUT is still on its way
    expect(w.coveredSince('c1')).toBeNull();
    expect(w.status()).toBe('connecting');
    lastPut().resolve(permitted([T('c1')]));
    await flush();
    expect(w.coveredSince('c1')).toBe(T0 + 700);
    expect(w.coveredSince('other')).toBeNull();
    expect(statuses).toEqual(['connecting', 'live']);
  });

  it('does not cover a rejected topic, and keeps the reason', async () => {
    const w = make();
    w.watch(['c1', 'c2']);
    await flush();
    lastSocket().open();
    lastPut().resolve([
      { id: T('c1'), state: 'Permitted' },
      { id: T('c2'), state: 'Rejected', rejectionReason: 'Missing permission', missingPermissions: ['analytics:conversationDetail:view'] },
    ]);
    await flush();
    expect(w.coveredSince('c1')).toBe(T0);
    expect(w.coveredSince('c2')).toBeNull();
    expect(describeWrapupWatch(w)?.rejected).toEqual({ c2: 'Missing permission (missing: analytics:conversationDetail:view)' });
    expect(describeWrapupWatch(w)?.covered).toBe(1);
  });

  it('does not cover a topic the PUT answer leaves out', async () => {
    const w = make();
    w.watch(['c1', 'c2']);
    await flush();
    lastSocket().open();
    lastPut().resolve([{ id: T('c1'), state: 'Permitted' }]);
    await flush();
    expect(w.coveredSince('c1')).toBe(T0);
    expect(w.coveredSince('c2')).toBeNull();
  });
});

describe('createWrapupWatch: changes to the set', () => {
  it('sends many quick changes as one PUT of the final list', async () => {
    const w = make();
    await live(w, ['a']);
    expect(api.putSubscriptions).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) w.watch(['a', `x${i}`]);
    await vi.advanceTimersByTimeAsync(199);
    expect(api.putSubscriptions).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.putSubscriptions).toHaveBeenCalledTimes(2);
    expect(lastPut().topics).toEqual([T('a'), T('x9')]);
  });

  it('never has two PUTs in flight; a change made meanwhile goes out after', async () => {
    const w = make();
    await live(w, ['a']);
    w.watch(['a', 'b']);
    await vi.advanceTimersByTimeAsync(200);
    expect(api.puts).toHaveLength(2);
    w.watch(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(api.puts).toHaveLength(2); // the second is still in flight
    api.puts[1]!.resolve(permitted(api.puts[1]!.topics));
    await flush();
    expect(api.puts).toHaveLength(3);
    expect(lastPut().topics).toEqual([T('a'), T('b'), T('c')]);
    expect(api.state.maxInFlight).toBe(1);
    // b was confirmed by the second PUT; c only by the third.
    expect(w.coveredSince('b')).toBe(T0 + 5_200);
    expect(w.coveredSince('c')).toBeNull();
    await vi.advanceTimersByTimeAsync(300);
    lastPut().resolve(permitted(lastPut().topics));
    await flush();
    expect(w.coveredSince('a')).toBe(T0); // continuously covered since the first PUT
    expect(w.coveredSince('c')).toBe(T0 + 5_500);
  });

  it('sends no PUT when the set did not change', async () => {
    const w = make();
    await live(w, ['a', 'b']);
    w.watch(['b', 'a', 'a']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.putSubscriptions).toHaveBeenCalledTimes(1);
  });

  it('stops covering a conversation taken off the list, and one a later PUT rejects', async () => {
    const w = make();
    await live(w, ['a', 'b', 'c']);
    w.watch(['a', 'c']);
    expect(w.coveredSince('b')).toBeNull();
    expect(w.coveredSince('a')).toBe(T0);
    await vi.advanceTimersByTimeAsync(200);
    lastPut().resolve([
      { id: T('a'), state: 'Permitted' },
      { id: T('c'), state: 'Rejected', rejectionReason: 'gone' },
    ]);
    await flush();
    expect(w.coveredSince('a')).toBe(T0);
    expect(w.coveredSince('c')).toBeNull();
  });

  it(`watches at most ${MAX_WATCHED} conversations and never sends an id that would break the topic`, async () => {
    const w = make();
    const ids = Array.from({ length: 1_000 }, (_, i) => `id-${i}`);
    w.watch(['bad.id', 'with space', 'under_score', '', ...ids]);
    await flush();
    lastSocket().open();
    expect(lastPut().topics).toHaveLength(MAX_WATCHED);
    expect(lastPut().topics[0]).toBe(T('id-0'));
    expect(lastPut().topics[MAX_WATCHED - 1]).toBe(T(`id-${MAX_WATCHED - 1}`));
    expect(describeWrapupWatch(w)?.watched).toBe(900);
  });

  it('retries a PUT that failed with 401 or 5xx, keeping the socket', async () => {
    const w = make();
    w.watch(['a']);
    await flush();
    const sock = lastSocket();
    sock.open();
    lastPut().reject({ status: 401 });
    await flush();
    expect(w.coveredSince('a')).toBeNull();
    await vi.advanceTimersByTimeAsync(999);
    expect(api.puts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.puts).toHaveLength(2);
    lastPut().resolve(permitted([T('a')]));
    await flush();
    expect(w.coveredSince('a')).toBe(T0 + 1_000);
    expect(sock.closeCalls).toEqual([]);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe('createWrapupWatch: events', () => {
  const event = (cid: string, body: Record<string, unknown> = {}) => ({
    topicName: T(cid),
    version: '2',
    eventBody: {
      eventTime: T0 - 5_000,
      conversationId: cid,
      participantId: 'p1',
      sessionId: 'm1',
      mediaType: 'VOICE',
      wrapupCode: 'code-1',
      wrapupNotes: 'called back',
      ...body,
    },
  });

  it('turns a wrap-up message into a WrapupEvent for every listener', async () => {
    const w = make();
    const sock = await live(w, ['c1']);
    const got: WrapupEvent[] = [];
    const other: WrapupEvent[] = [];
    w.onWrapup((e) => got.push(e));
    const off = w.onWrapup((e) => other.push(e));
    await vi.advanceTimersByTimeAsync(1_234);
    sock.receive(event('c1'));
    expect(got).toEqual([
      { conversationId: 'c1', participantId: 'p1', communicationId: 'm1', code: 'code-1', notes: 'called back', eventTime: T0 - 5_000, receivedAt: T0 + 1_234 },
    ]);
    off();
    sock.receive(event('c1', { wrapupCode: 'code-2', wrapupNotes: undefined }));
    expect(got).toHaveLength(2);
    expect(got[1]).not.toHaveProperty('notes');
    expect(got[1]?.code).toBe('code-2');
    expect(other).toHaveLength(1);
  });

  it('ignores malformed and unrelated messages', async () => {
    const w = make();
    const sock = await live(w, ['c1']);
    const got: WrapupEvent[] = [];
    w.onWrapup((e) => got.push(e));
    sock.receive('not json {');
    sock.receive('[1,2]');
    sock.receive('null');
    sock.onmessage?.({ data: new ArrayBuffer(4) });
    sock.receive({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    sock.receive({ topicName: 'v2.detail.events.conversation.c1.customer.end', eventBody: event('c1').eventBody });
    sock.receive({ topicName: T('c1') });
    sock.receive({ topicName: T('c1'), eventBody: 'x' });
    sock.receive(event('c1', { conversationId: 'c2' })); // body of another conversation
    expect(got).toEqual([]);
    expect(w.status()).toBe('live');
    expect(w.coveredSince('c1')).toBe(T0);
    sock.receive(event('c1'));
    expect(got).toHaveLength(1); // still listening
  });

  it('passes an incomplete wrap-up event on with what it says (the conversation was wrapped up)', async () => {
    const w = make();
    const sock = await live(w, ['c1']);
    const got: WrapupEvent[] = [];
    w.onWrapup((e) => got.push(e));
    sock.receive(event('c1', { wrapupCode: 7 }));
    sock.receive(event('c1', { participantId: undefined }));
    sock.receive(event('c1', { sessionId: '' }));
    sock.receive(event('c1', { conversationId: undefined }));
    expect(got.map((e) => [e.conversationId, e.participantId, e.communicationId, e.code])).toEqual([
      ['c1', 'p1', 'm1', ''],
      ['c1', '', 'm1', 'code-1'],
      ['c1', 'p1', '', 'code-1'],
      ['c1', 'p1', 'm1', 'code-1'],
    ]);
  });

  it('keeps delivering to the other listeners when one throws', async () => {
    const w = make();
    const sock = await live(w, ['c1']);
    const got: string[] = [];
    w.onWrapup(() => {
      throw new Error('listener bug');
    });
    w.onWrapup((e) => got.push(e.code));
    sock.receive(event('c1'));
    expect(got).toEqual(['code-1']);
  });
});

describe('createWrapupWatch: breaks and reconnects', () => {
  it('on a socket close: coverage resets, it reopens the same connectUri after a backoff', async () => {
    const w = make();
    const first = await live(w, ['c1']);
    first.drop();
    expect(w.coveredSince('c1')).toBeNull();
    expect(w.status()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    expect(lastSocket().url).toBe(first.url);
    expect(api.createChannel).toHaveBeenCalledTimes(1);
    // Events on the dead socket are not heard any more.
    const got: WrapupEvent[] = [];
    w.onWrapup((e) => got.push(e));
    first.receive({ topicName: T('c1'), eventBody: { conversationId: 'c1', participantId: 'p', sessionId: 's', wrapupCode: 'w' } });
    expect(got).toEqual([]);

    lastSocket().open();
    expect(w.coveredSince('c1')).toBeNull(); // not before the new PUT returns
    expect(lastPut().channelId).toBe('ch1');
    lastPut().resolve(permitted([T('c1')]));
    await flush();
    expect(w.coveredSince('c1')).toBe(T0 + 1_000);
    expect(w.status()).toBe('live');
  });

  it('creates a new channel when the reopened socket closes at once, backing off 1 s, 2 s', async () => {
    const w = make();
    (await live(w, ['c1'])).drop();
    await vi.advanceTimersByTimeAsync(1_000);
    const reopened = lastSocket();
    expect(reopened.url).toContain('/channels/ch1');
    reopened.drop(); // the channel has expired: the platform refuses the socket
    await vi.advanceTimersByTimeAsync(1_999);
    expect(api.createChannel).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.createChannel).toHaveBeenCalledTimes(2);
    expect(lastSocket().url).toBe('wss://streaming.example.test/channels/ch2');
    lastSocket().open();
    expect(lastPut().channelId).toBe('ch2');
  });

  it('creates a new channel when the PUT answers 404', async () => {
    const w = make();
    (await live(w, ['c1'])).drop();
    await vi.advanceTimersByTimeAsync(1_000);
    const reopened = lastSocket();
    reopened.open();
    lastPut().reject({ status: 404 });
    await flush();
    expect(reopened.closeCalls).toEqual([1000]);
    expect(w.status()).toBe('reconnecting');
    expect(w.coveredSince('c1')).toBeNull();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(api.createChannel).toHaveBeenCalledTimes(2);
    expect(lastSocket().url).toContain('/channels/ch2');
  });

  it('does not reuse a channel past its expiry', async () => {
    api.createChannel.mockImplementationOnce(() =>
      Promise.resolve({ id: 'old', connectUri: 'wss://streaming.example.test/channels/old', expires: new Date(T0 + 30_000).toISOString() }),
    );
    const w = make();
    (await live(w, ['c1'])).drop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.createChannel).toHaveBeenCalledTimes(2);
    expect(lastSocket().url).not.toContain('/channels/old');
  });

  it('stops vouching for a socket not heard from for 10 s, and treats it as dead after the heartbeat timeout', async () => {
    const w = make();
    const sock = await live(w, ['c1']);
    await vi.advanceTimersByTimeAsync(60_000); // pings go out, nobody answers
    expect(w.coveredSince('c1')).toBeNull();
    sock.receive({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    expect(w.coveredSince('c1')).toBe(T0); // heard again: nothing was lost on an open socket
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.coveredSince('c1')).toBe(T0);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.coveredSince('c1')).toBeNull(); // a half-open socket delivers nothing: no promise
    expect(w.status()).toBe('live');
    await vi.advanceTimersByTimeAsync(HEARTBEAT - 10_001 - 1);
    expect(w.status()).toBe('live');
    await vi.advanceTimersByTimeAsync(1);
    expect(w.coveredSince('c1')).toBeNull();
    expect(w.status()).toBe('reconnecting');
    expect(sock.closeCalls).toEqual([1000]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lastSocket().url).toBe(sock.url); // same channel first
  });

  it('honours a custom heartbeat timeout', async () => {
    const w = make({ heartbeatTimeoutMs: 10_000 });
    await live(w, ['c1']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.status()).toBe('reconnecting');
  });

  it('treats v2.system.socket_closing as a break and reconnects to the same channel', async () => {
    const w = make();
    const sock = await live(w, ['c1']);
    sock.receive({ topicName: 'v2.system.socket_closing', version: '2', eventBody: { message: 'closing' } });
    expect(w.coveredSince('c1')).toBeNull();
    expect(w.status()).toBe('reconnecting');
    expect(sock.closeCalls).toEqual([1000]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lastSocket()).not.toBe(sock);
    expect(lastSocket().url).toBe(sock.url);
  });

  it('pings every 4 s of silence while watching; answered pings keep the coverage fresh', async () => {
    const w = make();
    const sock = await live(w, ['c1']);
    await vi.advanceTimersByTimeAsync(4_000 - 1);
    expect(sock.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sock.sent.map((s) => JSON.parse(s) as unknown)).toEqual([{ message: 'ping' }]);
    for (let i = 0; i < 30; i++) {
      sock.receive({ topicName: 'channel.metadata', eventBody: { message: 'pong' } });
      await vi.advanceTimersByTimeAsync(4_000);
    }
    expect(sock.sent).toHaveLength(31);
    expect(w.status()).toBe('live');
    expect(w.coveredSince('c1')).toBe(T0); // two minutes on, still vouched for
  });

  it('pings only at half the heartbeat timeout when nothing is watched', async () => {
    const w = make();
    const sock = await live(w, ['c1']);
    w.watch([]);
    sock.receive({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    await vi.advanceTimersByTimeAsync(HEARTBEAT / 2 - 1);
    expect(sock.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sock.sent).toHaveLength(1);
  });

  it('gives up a socket that never opens within the heartbeat timeout', async () => {
    const w = make();
    w.watch(['c1']);
    await flush();
    await vi.advanceTimersByTimeAsync(HEARTBEAT);
    expect(w.status()).toBe('reconnecting');
  });
});

describe('createWrapupWatch: channel creation failures', () => {
  it.each([403, 404, 400])('%i on create: unavailable, no retries, no timers', async (status) => {
    api.createChannel.mockRejectedValueOnce(Object.assign(new Error('no'), { status }));
    const w = make();
    w.watch(['c1']);
    await flush();
    expect(w.status()).toBe('unavailable');
    expect(describeWrapupWatch(w)?.unavailableReason).toContain(String(status));
    expect(vi.getTimerCount()).toBe(0);
    w.watch(['c1', 'c2']);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(api.createChannel).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all).toHaveLength(0);
    // After close() a new watch() starts over.
    w.close();
    w.watch(['c1']);
    await flush();
    expect(api.createChannel).toHaveBeenCalledTimes(2);
    expect(w.status()).toBe('connecting');
  });

  it('401 on create: reconnecting, and tries again after the backoff', async () => {
    api.createChannel.mockRejectedValueOnce(Object.assign(new Error('expired'), { status: 401 }));
    const w = make();
    w.watch(['c1']);
    await flush();
    expect(w.status()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(api.createChannel).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.createChannel).toHaveBeenCalledTimes(2);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('backs off with jitter, doubling up to 60 s', async () => {
    const delays: number[] = [];
    api.createChannel.mockRejectedValue(Object.assign(new Error('down'), { status: 503 }));
    const w = make({
      random: () => 1,
      setTimeout: (fn, ms) => {
        delays.push(ms);
        return globalThis.setTimeout(fn, ms);
      },
    });
    w.watch(['c1']);
    for (let i = 0; i < 9; i++) await vi.advanceTimersByTimeAsync(60_000);
    expect(delays.slice(0, 9)).toEqual([1_500, 3_000, 6_000, 12_000, 24_000, 48_000, 60_000, 60_000, 60_000]);
    expect(w.status()).toBe('reconnecting');
  });
});

describe('createWrapupWatch: close', () => {
  it('closes the socket, clears every timer and listener, and forgets coverage', async () => {
    const w = make();
    const statuses: WatchStatus[] = [];
    const sock = await live(w, ['c1']);
    w.onStatus((s) => statuses.push(s));
    const got: WrapupEvent[] = [];
    w.onWrapup((e) => got.push(e));
    w.watch(['c1', 'c2']); // a debounce timer is pending too
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    w.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(sock.closeCalls).toEqual([1000]);
    expect(w.status()).toBe('idle');
    expect(w.coveredSince('c1')).toBeNull();
    expect(statuses).toEqual(['idle']);
    // Nothing is heard from the old socket; the old status listener is gone.
    sock.receive({ topicName: T('c1'), eventBody: { conversationId: 'c1', participantId: 'p', sessionId: 's', wrapupCode: 'w' } });
    expect(got).toEqual([]);
    w.watch(['c1']);
    await flush();
    expect(statuses).toEqual(['idle']);
    expect(api.createChannel).toHaveBeenCalledTimes(2);
  });

  it('leaves no timer while a reconnect is pending', async () => {
    const w = make();
    (await live(w, ['c1'])).drop();
    expect(vi.getTimerCount()).toBe(1);
    w.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('closes a socket that is still connecting once it opens (no browser error for an early close)', async () => {
    const w = make();
    w.watch(['c1']);
    await flush();
    const sock = lastSocket();
    w.close();
    expect(sock.closeCalls).toEqual([]);
    sock.open();
    expect(sock.closeCalls).toEqual([1000]);
    expect(api.putSubscriptions).not.toHaveBeenCalled();
  });

  it('ignores a channel that arrives after close()', async () => {
    let resolve!: (c: Models.Channel) => void;
    api.createChannel.mockImplementationOnce(() => new Promise((r) => (resolve = r)));
    const w = make();
    w.watch(['c1']);
    w.close();
    resolve({ id: 'late', connectUri: 'wss://streaming.example.test/channels/late' });
    await flush();
    expect(FakeSocket.all).toHaveLength(0);
    expect(w.status()).toBe('idle');
  });
});

// ---------------------------------------------------------------------------------------------
// The REST calls themselves, through the configured client (limiter + HTTP client).

describe('notification channel calls', () => {
  beforeEach(() => vi.useRealTimers());
  const { server, seen } = signedInToSim();

  it('POSTs /api/v2/notifications/channels', async () => {
    server.use(
      http.post(`${SIM}/api/v2/notifications/channels`, () =>
        HttpResponse.json({ id: 'ch1', connectUri: 'ws://127.0.0.1:4010/channels/ch1', expires: '2026-01-06T09:00:00Z' }),
      ),
    );
    await expect(createNotificationChannel()).resolves.toEqual({ id: 'ch1', connectUri: 'ws://127.0.0.1:4010/channels/ch1', expires: '2026-01-06T09:00:00Z' });
    expect(seen.map((s) => `${s.method} ${s.path} ${s.auth}`)).toEqual(['POST /api/v2/notifications/channels Bearer tok']);
  });

  it('PUTs the topic list and returns the verdicts; 404 rejects with its status', async () => {
    server.use(
      http.put(`${SIM}/api/v2/notifications/channels/ch1/subscriptions`, async ({ request }) => {
        const body = (await request.json()) as { id: string }[];
        return HttpResponse.json({ entities: body.map((t) => ({ id: t.id, state: 'Permitted' })) });
      }),
      http.put(`${SIM}/api/v2/notifications/channels/gone/subscriptions`, () =>
        HttpResponse.json({ status: 404, code: 'not.found', message: 'no channel' }, { status: 404 }),
      ),
    );
    await expect(putChannelSubscriptions('ch1', [T('c1'), T('c2')])).resolves.toEqual([
      { id: T('c1'), state: 'Permitted' },
      { id: T('c2'), state: 'Permitted' },
    ]);
    await vi.waitFor(() => expect(seen[0]?.body).toEqual([{ id: T('c1') }, { id: T('c2') }]));
    expect(seen[0]?.search).toBe('?ignoreErrors=true');
    await expect(putChannelSubscriptions('gone', [T('c1')])).rejects.toMatchObject({ status: 404 });
    expect(seen).toHaveLength(2); // a write: not retried
  });
});

describe('createWrapupWatch: a channel ends with the token that made it (docs/genesys-platform.md §8 row 12)', () => {
  it('after signing in again (a new token) a break leads to a new channel, never a socket to the old one', async () => {
    let generation = 1;
    const w = make({ tokenGeneration: () => generation });
    const first = await live(w, ['c1']);
    expect(api.createChannel).toHaveBeenCalledTimes(1);
    // The old token is revoked: the platform announces the close and closes the socket.
    generation = 2;
    first.receive({ topicName: 'v2.system.socket_closing', eventBody: { message: 'closing' } });
    first.drop();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(api.createChannel).toHaveBeenCalledTimes(2);
    expect(FakeSocket.all.filter((s) => s !== first).map((s) => s.url)).toEqual(['wss://streaming.example.test/channels/ch2']);
  });

  it('with the same token, a proven channel is reopened (no new channel)', async () => {
    const w = make({ tokenGeneration: () => 1 });
    const first = await live(w, ['c1']);
    first.drop();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(api.createChannel).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all.length).toBe(2);
  });
});

describe("createWrapupWatch: followed topics share the one channel (the agent's own user topic)", () => {
  const USER_TOPIC = 'v2.users.u-1.conversations';

  it('following alone opens the channel; the topic goes out in the same PUT as watched conversations; its messages reach onEvent only', async () => {
    const w = make({ tokenGeneration: () => 1 });
    const events: unknown[] = [];
    const wrapups: WrapupEvent[] = [];
    w.onEvent((e) => events.push(e));
    w.onWrapup((e) => wrapups.push(e));
    w.follow([USER_TOPIC]);
    await flush();
    expect(api.createChannel).toHaveBeenCalledTimes(1);
    lastSocket().open();
    expect(lastPut().topics).toEqual([USER_TOPIC]);
    lastPut().resolve(permitted(lastPut().topics));
    await flush();
    expect(w.status()).toBe('live');
    expect(w.followVerdict(USER_TOPIC)).toBe('Permitted');

    w.watch(['c1']);
    await vi.advanceTimersByTimeAsync(250);
    expect(lastPut().topics).toEqual([USER_TOPIC, T('c1')]);
    expect(api.createChannel).toHaveBeenCalledTimes(1); // one channel for both
    lastPut().resolve(permitted(lastPut().topics));
    await flush();

    lastSocket().receive({ topicName: USER_TOPIC, eventBody: { id: 'conv-9' } });
    lastSocket().receive({ topicName: 'v2.users.someone-else.conversations', eventBody: { id: 'conv-8' } });
    expect(events).toEqual([{ topicName: USER_TOPIC, eventBody: { id: 'conv-9' }, receivedAt: T0 + 250 }]);
    expect(wrapups).toEqual([]);
    expect(describeWrapupWatch(w)?.followed).toEqual({ [USER_TOPIC]: 'Permitted' });
  });

  it('a rejected followed topic says why; malformed and wrap-up topic names are never followed', async () => {
    const w = make({ tokenGeneration: () => 1 });
    w.follow([USER_TOPIC, 'v2.users.x y.conversations', T('c1'), 'not-a-topic']);
    await flush();
    lastSocket().open();
    expect(lastPut().topics).toEqual([USER_TOPIC]);
    lastPut().resolve([{ id: USER_TOPIC, state: 'Rejected', rejectionReason: 'No access' }]);
    await flush();
    expect(w.followVerdict(USER_TOPIC)).toBe('No access');
    // Unfollowing forgets it and sends the smaller list.
    w.follow([]);
    await vi.advanceTimersByTimeAsync(250);
    expect(lastPut().topics).toEqual([]);
    expect(w.followVerdict(USER_TOPIC)).toBeNull();
  });
});
