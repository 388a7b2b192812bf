import { delay, http, HttpResponse } from 'msw';
import {
  DETAILS_BATCH_SIZE,
  getCommunicationWrapup,
  getConversationDetailsBatch,
  getConversationDetailsJobResults,
  getMe,
  getParticipantWrapup,
  getParticipantWrapupCodes,
  getWrapupCodeDivisionViews,
  listUsers,
  listWrapupCodes,
  hasParticipantPatch,
  patchParticipantWrapup,
  postCommunicationWrapup,
  queryConversationDetails,
  revokeToken,
} from './api.ts';
import { WRAPUP_MEDIA_PATHS } from './media.ts';
import { signedInToSim, SIM } from './test-support.ts';

const { server, seen } = signedInToSim();

const API = `${SIM}/api/v2`;

describe('postCommunicationWrapup', () => {
  it.each(WRAPUP_MEDIA_PATHS)('POSTs WrapupInput to /conversations/%s/{cid}/participants/{pid}/communications/{commId}/wrapup', async (media) => {
    server.use(http.post(`${API}/conversations/${media}/c1/participants/p1/communications/m1/wrapup`, () => new HttpResponse(null, { status: 202 })));
    await expect(postCommunicationWrapup(media, 'c1', 'p1', 'm1', { code: 'w-id', notes: 'n' })).resolves.toBeUndefined();
    await vi.waitFor(() => expect(seen[0]?.body).toEqual({ code: 'w-id', notes: 'n' }));
    expect(seen).toHaveLength(1);
  });

  it('refuses a body without a code id, or a media without endpoint, before any request', async () => {
    await expect(postCommunicationWrapup('calls', 'c', 'p', 'm', { notes: 'x' })).rejects.toMatchObject({ kind: 'usage', sent: false });
    await expect(postCommunicationWrapup('chats' as never, 'c', 'p', 'm', { code: 'w' })).rejects.toMatchObject({ kind: 'usage' });
    expect(seen).toHaveLength(0);
  });
});

describe('write timeout', () => {
  // The write's timeout is chosen on purpose (late-apply.ts), not the client's default: both paths pass it on.
  it('gives up a POST after the timeout the caller set, with an outcome that is unknown', async () => {
    server.use(
      http.post(`${API}/conversations/calls/c1/participants/p1/communications/m1/wrapup`, async () => {
        await delay(400);
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await expect(postCommunicationWrapup('calls', 'c1', 'p1', 'm1', { code: 'w' }, { timeoutMs: 60 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(seen).toHaveLength(1);
  });

  it('gives up a PATCH after the timeout the caller set', async () => {
    server.use(
      http.patch(`${API}/conversations/calls/c1/participants/p1`, async () => {
        await delay(400);
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await expect(patchParticipantWrapup('calls', 'c1', 'p1', { code: 'w' }, { timeoutMs: 60 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(seen).toHaveLength(1);
  });
});

describe('patchParticipantWrapup', () => {
  it.each(['calls', 'callbacks', 'emails', 'messages', 'cobrowsesessions'] as const)(
    'PATCHes only {wrapup} to /conversations/%s/{cid}/participants/{pid}',
    async (media) => {
      server.use(http.patch(`${API}/conversations/${media}/c1/participants/p1`, () => new HttpResponse(null, { status: 202 })));
      expect(hasParticipantPatch(media)).toBe(true);
      await expect(patchParticipantWrapup(media, 'c1', 'p1', { code: 'w-id', notes: 'n' })).resolves.toBeUndefined();
      await vi.waitFor(() => expect(seen[0]?.body).toEqual({ wrapup: { code: 'w-id', notes: 'n' } }));
      expect(seen).toHaveLength(1);
      expect(seen[0]?.method).toBe('PATCH');
    },
  );

  it('refuses media without a participant PATCH, and a body without code, before any request', async () => {
    expect(hasParticipantPatch('videos')).toBe(false);
    await expect(patchParticipantWrapup('videos', 'c', 'p', { code: 'w' })).rejects.toMatchObject({ kind: 'usage', sent: false });
    await expect(patchParticipantWrapup('calls', 'c', 'p', { notes: 'x' })).rejects.toMatchObject({ kind: 'usage', sent: false });
    expect(seen).toHaveLength(0);
  });

  it('is never retried: a 503 is one request', async () => {
    server.use(
      http.patch(`${API}/conversations/emails/c1/participants/p1`, () =>
        HttpResponse.json({ status: 503, code: 'service.unavailable', message: 'x' }, { status: 503 }),
      ),
    );
    await expect(patchParticipantWrapup('emails', 'c1', 'p1', { code: 'w' })).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
  });
});

describe('wrap-up reads', () => {
  it('uses the media-specific participant endpoints where they exist, the generic ones otherwise', async () => {
    server.use(
      http.get(`${API}/conversations/calls/c1/participants/p1/wrapupcodes`, () => HttpResponse.json([{ id: 'w1', name: 'Sale' }])),
      http.get(`${API}/conversations/c1/participants/p1/wrapupcodes`, () => HttpResponse.json([{ id: 'w2', name: 'Other' }])),
    );
    await expect(getParticipantWrapupCodes('calls', 'c1', 'p1')).resolves.toEqual([{ id: 'w1', name: 'Sale' }]);
    await expect(getParticipantWrapupCodes('videos', 'c1', 'p1')).resolves.toEqual([{ id: 'w2', name: 'Other' }]);
    await expect(getParticipantWrapupCodes(null, 'c1', 'p1')).resolves.toEqual([{ id: 'w2', name: 'Other' }]);
  });

  it('reads an existing participant wrap-up, and an empty body as none', async () => {
    server.use(
      http.get(`${API}/conversations/emails/c1/participants/p1/wrapup`, () => HttpResponse.json({ code: 'w1', notes: 'x' })),
      http.get(`${API}/conversations/c1/participants/p2/wrapup`, () => new HttpResponse(null, { status: 200 })),
    );
    await expect(getParticipantWrapup('emails', 'c1', 'p1')).resolves.toEqual({ code: 'w1', notes: 'x' });
    await expect(getParticipantWrapup('screenshares', 'c1', 'p2')).resolves.toBeUndefined();
  });

  it('reads a communication wrap-up with the provisional flag', async () => {
    server.use(http.get(`${API}/conversations/socials/c1/participants/p1/communications/m1/wrapup`, () => HttpResponse.json({ code: 'w9' })));
    await expect(getCommunicationWrapup('socials', 'c1', 'p1', 'm1', { provisional: true })).resolves.toEqual({ code: 'w9' });
    expect(seen[0]?.search).toBe('?provisional=true');
  });
});

describe('directory listings', () => {
  it('fetches every page of wrap-up codes', async () => {
    server.use(
      http.get(`${API}/routing/wrapupcodes`, ({ request }) => {
        const n = Number(new URL(request.url).searchParams.get('pageNumber'));
        return HttpResponse.json({ entities: [{ id: `w${n}`, name: `Code ${n}` }], pageCount: 3, pageNumber: n });
      }),
    );
    await expect(listWrapupCodes()).resolves.toEqual([
      { id: 'w1', name: 'Code 1' },
      { id: 'w2', name: 'Code 2' },
      { id: 'w3', name: 'Code 3' },
    ]);
    expect(seen.every((s) => s.search.includes('pageSize=100'))).toBe(true);
  });

  it('asks the division views for active and deleted codes', async () => {
    server.use(http.get(`${API}/routing/wrapupcodes/divisionviews`, () => HttpResponse.json({ entities: [{ id: 'old', name: 'Gone' }], pageCount: 1 })));
    await expect(getWrapupCodeDivisionViews()).resolves.toEqual([{ id: 'old', name: 'Gone' }]);
    expect(seen[0]?.search).toContain('includeState=ActiveAndDeleted');
  });

  it('lists users with an optional state', async () => {
    server.use(http.get(`${API}/users`, () => HttpResponse.json({ entities: [{ id: 'u1', name: 'Ann' }], pageCount: 1 })));
    await expect(listUsers({ state: 'any' })).resolves.toEqual([{ id: 'u1', name: 'Ann' }]);
    expect(seen[0]?.search).toContain('state=any');
  });

  it('expands me with authorization and organization', async () => {
    server.use(http.get(`${API}/users/me`, () => HttpResponse.json({ id: 'me' })));
    await getMe();
    expect(new URLSearchParams(seen[0]?.search).get('expand')).toBe('authorization,organization');
  });

  it('revokes the token with DELETE /tokens/me', async () => {
    server.use(http.delete(`${API}/tokens/me`, () => new HttpResponse(null, { status: 204 })));
    await revokeToken();
    expect(seen[0]).toMatchObject({ method: 'DELETE', path: '/api/v2/tokens/me' });
  });
});

describe('analytics', () => {
  it('returns {} for an empty query result', async () => {
    server.use(http.post(`${API}/analytics/conversations/details/query`, () => HttpResponse.json({})));
    await expect(queryConversationDetails({ interval: '2026-03-01T00:00:00Z/2026-03-02T00:00:00Z' })).resolves.toEqual({});
  });

  it('re-reads conversations by id in batches', async () => {
    server.use(
      http.get(`${API}/analytics/conversations/details`, ({ request }) => {
        const ids = (new URL(request.url).searchParams.get('id') ?? '').split(',');
        return HttpResponse.json({ conversations: ids.map((conversationId) => ({ conversationId })) });
      }),
    );
    const ids = Array.from({ length: 250 }, (_, i) => `c${i}`);
    const got = await getConversationDetailsBatch([...ids, 'c0']);
    expect(got.map((c) => c.conversationId)).toEqual(ids);
    expect(seen).toHaveLength(Math.ceil(250 / DETAILS_BATCH_SIZE));
  });

  it('pages job results by cursor', async () => {
    server.use(http.get(`${API}/analytics/conversations/details/jobs/j1/results`, () => HttpResponse.json({ conversations: [], cursor: 'next' })));
    await expect(getConversationDetailsJobResults('j1', { cursor: 'abc' })).resolves.toEqual({ conversations: [], cursor: 'next' });
    expect(seen[0]?.search).toBe('?cursor=abc');
  });
});
