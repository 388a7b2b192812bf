/**
 * Contract test: the official SDK (Node build) drives the sim through every method the app uses.
 * Responses are typed by the SDK's Models; the assertions check the shapes the app relies on.
 */
import { createHash, randomBytes } from 'node:crypto';
import platformClient, { type Models } from 'purecloud-platform-client-v2';
import type { RunningSim } from '../src/index.ts';
import { SUPERVISOR, VIEWER, intervalDays, isErrorBody, withSim } from './helpers.ts';

let sim: RunningSim;
const client = platformClient.ApiClient.instance;
const tokensApi = new platformClient.TokensApi();
const usersApi = new platformClient.UsersApi();
const routingApi = new platformClient.RoutingApi();
const analyticsApi = new platformClient.AnalyticsApi();
const conversationsApi = new platformClient.ConversationsApi();

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = await withSim({ conversations: 300, rateLimit: 100_000 });
  client.setGateway({ protocol: 'http', host: '127.0.0.1', port: sim.port, path_params_login: 'login', path_params_api: '' });
  client.setAccessToken(sim.mintToken(SUPERVISOR));
});
afterAll(async () => {
  await sim.close();
});

describe('SDK contract', () => {
  it('tokens/me, users/me (expand), users', async () => {
    const info: Models.TokenInfo = await tokensApi.getTokensMe();
    expect(info.organization?.id).toBe(sim.state.org.id);
    const me: Models.UserMe = await usersApi.getUsersMe({ expand: ['authorization', 'organization'] });
    expect(me.email).toBe(SUPERVISOR);
    expect(me.authorization?.permissions).toContain('conversation:participant:wrapup');
    expect(me.organization?.name).toBe(sim.state.org.name);
    const page1: Models.UserEntityListing = await usersApi.getUsers({ pageSize: 5, pageNumber: 1 });
    expect(page1.entities).toHaveLength(5);
    expect(page1.total).toBe(sim.state.org.users.length);
    expect(page1.pageCount).toBe(Math.ceil(sim.state.org.users.length / 5));
    const byId = await usersApi.getUsers({ id: [me.id ?? ''] });
    expect(byId.entities?.map((u) => u.email)).toEqual([SUPERVISOR]);
  });

  it('routing: queues, wrapupcodes (paged, name, id), divisionviews with deleted codes, queue wrapupcodes', async () => {
    const queues: Models.QueueEntityListing = await routingApi.getRoutingQueues({ pageSize: 100 });
    expect(queues.entities?.length).toBe(sim.state.org.queues.length);
    const sales = await routingApi.getRoutingQueues({ name: 'Sales' });
    expect(sales.entities?.map((q) => q.name)).toEqual(['Sales']);
    const codes: Models.WrapupCodeEntityListing = await routingApi.getRoutingWrapupcodes({ pageSize: 5, pageNumber: 2 });
    expect(codes.pageNumber).toBe(2);
    expect(codes.entities).toHaveLength(5);
    const active = sim.state.org.codes.filter((c) => !c.deleted);
    expect(codes.total).toBe(active.length);
    const one = active[0]!;
    const byId = await routingApi.getRoutingWrapupcodes({ id: [one.id] });
    expect(byId.entities?.[0]?.name).toBe(one.name);
    const views = await routingApi.getRoutingWrapupcodesDivisionviews({ includeState: 'ActiveAndDeleted', pageSize: 100 });
    expect(views.total).toBe(sim.state.org.codes.length);
    const queue = sim.state.org.queues[0]!;
    const qc: Models.WrapupCodeEntityListing = await routingApi.getRoutingQueueWrapupcodes(queue.id, { pageSize: 100 });
    expect(qc.entities?.map((c) => c.id).sort()).toEqual([...queue.codeIds].sort());
  });

  it('analytics details query, multi-get, single get', async () => {
    const interval = intervalDays(8);
    const res: Models.AnalyticsConversationQueryResponse = await analyticsApi.postAnalyticsConversationsDetailsQuery({
      interval,
      order: 'asc',
      orderBy: 'conversationStart',
      paging: { pageSize: 100, pageNumber: 1 },
      segmentFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'purpose', operator: 'matches', value: 'agent' }] }],
    });
    expect(res.totalHits).toBe(300);
    expect(res.conversations).toHaveLength(100);
    const conv = res.conversations![0]!;
    const agent = conv.participants!.find((p) => p.purpose === 'agent')!;
    expect(agent.sessions?.[0]?.sessionId).toBeTruthy();
    const multi: Models.AnalyticsConversationWithoutAttributesMultiGetResponse = await analyticsApi.getAnalyticsConversationsDetails({
      id: res.conversations!.slice(0, 3).map((c) => c.conversationId!),
    });
    expect(multi.conversations?.map((c) => c.conversationId)).toEqual(res.conversations!.slice(0, 3).map((c) => c.conversationId));
    const single: Models.AnalyticsConversationWithoutAttributes = await analyticsApi.getAnalyticsConversationDetails(conv.conversationId!);
    expect(single.conversationStart).toBe(conv.conversationStart);
    const none = await analyticsApi.postAnalyticsConversationsDetailsQuery({ interval: '2020-01-01T00:00:00.000Z/2020-01-02T00:00:00.000Z' });
    expect(none).toEqual({});
  });

  it('analytics details jobs: create, QUEUED→FULFILLED, cursor-paged results, delete', async () => {
    sim.state.options = { ...sim.state.options, jobDelayMs: 200 };
    const job: Models.AsyncQueryResponse = await analyticsApi.postAnalyticsConversationsDetailsJobs({ interval: intervalDays(8) });
    expect(job.jobId).toBeTruthy();
    const status: Models.AsyncQueryStatus = await analyticsApi.getAnalyticsConversationsDetailsJob(job.jobId!);
    expect(['QUEUED', 'PENDING']).toContain(status.state);
    await new Promise((r) => setTimeout(r, 250));
    expect((await analyticsApi.getAnalyticsConversationsDetailsJob(job.jobId!)).state).toBe('FULFILLED');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: Models.AnalyticsConversationAsyncQueryResponse = await analyticsApi.getAnalyticsConversationsDetailsJobResults(job.jobId!, {
        pageSize: 50,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...(page.conversations ?? []).map((c) => c.conversationId!));
      expect(page.dataAvailabilityDate).toBeTruthy();
      cursor = page.cursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(seen.length);
    await analyticsApi.deleteAnalyticsConversationsDetailsJob(job.jobId!);
    const gone = await rejection(analyticsApi.getAnalyticsConversationsDetailsJob(job.jobId!));
    expect(isErrorBody(gone) && gone.status).toBe(404);
  });

  it('conversation GETs, participant wrap-up codes and wrap-ups, then every write method', async () => {
    const org = sim.state.org;
    const pick = (media: string) => {
      for (const c of org.conversations) {
        if (c.media !== media) continue;
        const p = c.participants.find(
          (x) =>
            x.purpose === 'agent' &&
            x.comms[0]?.state === 'disconnected' &&
            !x.comms[0]?.wrapup &&
            (x.comms[0]?.disconnectedTime ?? 0) > Date.now() - 6 * 86_400_000,
        );
        if (p) return { c, p, comm: p.comms[0]! };
      }
      throw new Error(`no ${media}`);
    };
    const cases = [
      {
        media: 'voice',
        get: (id: string) => conversationsApi.getConversationsCall(id),
        post: conversationsApi.postConversationsCallParticipantCommunicationWrapup.bind(conversationsApi),
        codes: conversationsApi.getConversationsCallParticipantWrapupcodes.bind(conversationsApi),
        wrap: conversationsApi.getConversationsCallParticipantWrapup.bind(conversationsApi),
        commWrap: conversationsApi.getConversationsCallParticipantCommunicationWrapup.bind(conversationsApi),
      },
      {
        media: 'email',
        get: (id: string) => conversationsApi.getConversationsEmail(id),
        post: conversationsApi.postConversationsEmailParticipantCommunicationWrapup.bind(conversationsApi),
        codes: conversationsApi.getConversationsEmailParticipantWrapupcodes.bind(conversationsApi),
        wrap: conversationsApi.getConversationsEmailParticipantWrapup.bind(conversationsApi),
        commWrap: conversationsApi.getConversationsEmailParticipantCommunicationWrapup.bind(conversationsApi),
      },
      {
        media: 'message',
        get: (id: string) => conversationsApi.getConversationsMessage(id),
        post: conversationsApi.postConversationsMessageParticipantCommunicationWrapup.bind(conversationsApi),
        codes: conversationsApi.getConversationsMessageParticipantWrapupcodes.bind(conversationsApi),
        wrap: conversationsApi.getConversationsMessageParticipantWrapup.bind(conversationsApi),
        commWrap: conversationsApi.getConversationsMessageParticipantCommunicationWrapup.bind(conversationsApi),
      },
      {
        media: 'callback',
        get: (id: string) => conversationsApi.getConversationsCallback(id),
        post: conversationsApi.postConversationsCallbackParticipantCommunicationWrapup.bind(conversationsApi),
        codes: conversationsApi.getConversationsCallbackParticipantWrapupcodes.bind(conversationsApi),
        wrap: conversationsApi.getConversationsCallbackParticipantWrapup.bind(conversationsApi),
        commWrap: conversationsApi.getConversationsCallbackParticipantCommunicationWrapup.bind(conversationsApi),
      },
    ];
    for (const k of cases) {
      const { c, p, comm } = pick(k.media);
      const conv: Models.Conversation = await conversationsApi.getConversation(c.id);
      const part = conv.participants.find((x) => x.id === p.id)!;
      const comms = part.calls ?? part.emails ?? part.messages ?? part.callbacks ?? [];
      expect(comms[0]?.id).toBe(comm.id);
      expect(comms[0]?.state).toBe('disconnected');
      expect(part.wrapup).toBeUndefined();
      const media = await k.get(c.id);
      expect(media.participants?.find((x) => x.id === p.id)?.purpose).toBe('agent');
      const codes: Models.WrapupCode[] = await k.codes(c.id, p.id);
      const generic: Models.WrapupCode[] = await conversationsApi.getConversationParticipantWrapupcodes(c.id, p.id);
      expect(codes.map((x) => x.id)).toEqual(generic.map((x) => x.id));
      expect(codes.length).toBeGreaterThan(0);
      const body: Models.WrapupInput = { code: codes[0]!.id!, notes: `fixed ${k.media}` };
      const result = await k.post(c.id, p.id, comm.id, { body });
      expect(result).toBeFalsy();
      const w: Models.AssignedWrapupCode = await k.wrap(c.id, p.id);
      expect(w.code).toBe(codes[0]!.id);
      const cw: Models.AssignedWrapupCode = await k.commWrap(c.id, p.id, comm.id);
      expect(cw.notes).toBe(`fixed ${k.media}`);
      const gw: Models.AssignedWrapupCode = await conversationsApi.getConversationParticipantWrapup(c.id, p.id);
      expect(gw.code).toBe(codes[0]!.id);
      const after = await conversationsApi.getConversation(c.id);
      const pAfter = after.participants.find((x) => x.id === p.id)!;
      expect(pAfter.wrapup?.code).toBe(codes[0]!.id);
      expect((pAfter.calls ?? pAfter.emails ?? pAfter.messages ?? pAfter.callbacks)?.[0]?.afterCallWork?.state).toBe('complete');
    }
    // PATCH with only {wrapup}
    const { c, p } = pick('voice');
    const codes = await conversationsApi.getConversationsCallParticipantWrapupcodes(c.id, p.id);
    await conversationsApi.patchConversationsCallParticipant(c.id, p.id, { wrapup: { code: codes[1]!.id! } });
    expect((await conversationsApi.getConversationParticipantWrapup(c.id, p.id)).code).toBe(codes[1]!.id);
    const refused = await rejection(conversationsApi.patchConversationsCallParticipant(c.id, p.id, { wrapup: { code: codes[0]!.id! }, state: 'disconnected' }));
    expect(isErrorBody(refused) && [refused.status, refused.code]).toEqual([403, 'not.authorized']);
    const applied = sim.state.writeLog.filter((x) => x.outcome === 'applied');
    expect(applied.length).toBe(5);
  });

  it('errors: 400 code not allowed, 404 unknown, 403 missing permission, 429 with headers', async () => {
    const org = sim.state.org;
    const c = org.conversations.find((x) => x.media === 'voice' && x.participants.some((p) => p.purpose === 'agent' && p.comms[0]?.state === 'disconnected'))!;
    const p = c.participants.find((x) => x.purpose === 'agent')!;
    const bad = await rejection(
      conversationsApi.postConversationsCallParticipantCommunicationWrapup(c.id, p.id, p.comms[0]!.id, { body: { code: 'not-a-code' } }),
    );
    expect(isErrorBody(bad) && bad.status).toBe(400);
    const nf = await rejection(conversationsApi.getConversation('00000000-0000-4000-8000-000000000000'));
    expect(isErrorBody(nf) && [nf.status, nf.code]).toEqual([404, 'not.found']);
    if (isErrorBody(nf)) expect(nf.contextId).toMatch(/^[0-9a-f-]{36}$/);

    client.setAccessToken(sim.mintToken(VIEWER));
    const forbidden = await rejection(
      conversationsApi.postConversationsCallParticipantCommunicationWrapup(c.id, p.id, p.comms[0]!.id, { body: { code: 'x' } }),
    );
    expect(isErrorBody(forbidden) && [forbidden.status, forbidden.code]).toEqual([403, 'missing.permissions']);

    sim.state.options = { ...sim.state.options, rateLimit: 3 };
    // All tokens of one user and OAuth client share the limit (rateLimitScope user-client): a fresh bucket needs another client.
    client.setAccessToken(sim.mintToken(SUPERVISOR, undefined, 'wrapup-desk-pkce'));
    client.setReturnExtendedResponses(true);
    try {
      for (let i = 0; i < 3; i++) await tokensApi.getTokensMe();
      const limited = (await rejection(tokensApi.getTokensMe())) as { status: number; headers: Record<string, string>; body: Models.ErrorBody };
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('too.many.requests');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['inin-ratelimit-allowed']).toBe('3');
    } finally {
      client.setReturnExtendedResponses(false);
      sim.state.options = { ...sim.state.options, rateLimit: 100_000 };
    }
  });

  it('PKCE: the SDK exchanges a code from /login/oauth/authorize at /login/oauth/token', async () => {
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://127.0.0.1:5173/callback';
    sim.state.options = { ...sim.state.options, autoLogin: SUPERVISOR };
    const q = new URLSearchParams({
      client_id: 'wrapup-desk-pkce',
      redirect_uri: redirectUri,
      response_type: 'code',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'abc',
    });
    const res = await fetch(`${sim.url}/login/oauth/authorize?${q.toString()}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('state')).toBe('abc');
    const code = loc.searchParams.get('code')!;
    const auth = await client.authorizePKCEGrant('wrapup-desk-pkce', verifier, code, redirectUri);
    expect(auth.accessToken).toBeTruthy();
    const me = await usersApi.getUsersMe();
    expect(me.email).toBe(SUPERVISOR);
  });
});
