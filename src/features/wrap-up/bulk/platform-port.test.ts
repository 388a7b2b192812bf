import { http, HttpResponse } from 'msw';
import { RateLimiter } from '@/lib/genesys/rate-limiter.ts';
import { signedInToSim, SIM } from '@/lib/genesys/test-support.ts';
import { genesysBulkPlatform } from './platform-port.ts';
import { VirtualClock } from './test-support.ts';

const { server, seen } = signedInToSim();

const API = `${SIM}/api/v2`;

describe('genesysBulkPlatform (the production port over src/lib/genesys)', () => {
  it('writes the same WrapupInput as the single-write path, once, to the communication endpoint', async () => {
    server.use(http.post(`${API}/conversations/emails/c1/participants/p1/communications/m1/wrapup`, () => new HttpResponse(null, { status: 202 })));
    await genesysBulkPlatform.writeWrapup('emails', 'c1', 'p1', 'm1', { code: { id: 'w1', name: 'Sale' }, notes: ' ' });
    await vi.waitFor(() => expect(seen[0]?.body).toEqual({ code: 'w1', name: 'Sale' }));
    expect(seen).toHaveLength(1);
  });

  it('writes by the participant PATCH with only {wrapup} when the job says so (the platform check)', async () => {
    server.use(http.patch(`${API}/conversations/calls/c1/participants/p1`, () => new HttpResponse(null, { status: 202 })));
    await genesysBulkPlatform.writeWrapup('calls', 'c1', 'p1', 'm1', { code: { id: 'w1', name: 'Sale' }, notes: 'n', method: 'patch' });
    await vi.waitFor(() => expect(seen[0]?.body).toEqual({ wrapup: { code: 'w1', name: 'Sale', notes: 'n' } }));
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /api/v2/conversations/calls/c1/participants/p1']);
  });

  it('a 503 on the write is not retried and comes back as an ApiError with an unknown outcome', async () => {
    server.use(http.post(`${API}/conversations/calls/c1/participants/p1/communications/m1/wrapup`, () => new HttpResponse(null, { status: 503 })));
    await expect(genesysBulkPlatform.writeWrapup('calls', 'c1', 'p1', 'm1', { code: { id: 'w1', name: 'Sale' }, notes: 'n' })).rejects.toMatchObject({
      name: 'ApiError',
      status: 503,
    });
    expect(seen).toHaveLength(1);
  });

  it('reads the communication wrap-up (code id or undefined), batched details and queue codes', async () => {
    server.use(
      http.get(`${API}/conversations/calls/c1/participants/p1/communications/m1/wrapup`, () => HttpResponse.json({ code: 'w1', notes: 'x' })),
      http.get(`${API}/conversations/calls/c2/participants/p1/communications/m1/wrapup`, () => new HttpResponse(null, { status: 204 })),
      http.get(`${API}/analytics/conversations/details`, ({ request }) => {
        const ids = new URL(request.url).searchParams.get('id')!.split(',');
        return HttpResponse.json({ conversations: ids.map((conversationId) => ({ conversationId })) });
      }),
      http.get(`${API}/routing/queues/q1/wrapupcodes`, () => HttpResponse.json({ entities: [{ id: 'w1', name: 'Sale' }, { name: 'no id' }], pageCount: 1 })),
    );
    await expect(genesysBulkPlatform.readWrapup('calls', 'c1', 'p1', 'm1')).resolves.toEqual({ code: 'w1' });
    await expect(genesysBulkPlatform.readWrapup('calls', 'c2', 'p1', 'm1')).resolves.toBeUndefined();
    await expect(genesysBulkPlatform.getDetails(['a', 'b'])).resolves.toEqual([{ conversationId: 'a' }, { conversationId: 'b' }]);
    await expect(genesysBulkPlatform.listQueueCodes('q1')).resolves.toEqual([{ id: 'w1', name: 'Sale' }]);
  });
});

describe('RateLimiter.readyAt (added for the runner)', () => {
  it('is now when a request would pass at once, the window slot or the pause end otherwise', async () => {
    const clock = new VirtualClock();
    const l = new RateLimiter({ budgetPerMinute: 2, maxConcurrent: 10, clock });
    const t0 = clock.now();
    expect(l.readyAt()).toBe(t0);
    (await l.acquire())();
    await clock.advanceBy(1_000);
    (await l.acquire())();
    expect(l.readyAt()).toBe(t0 + 60_000);
    l.pauseUntil(t0 + 90_000);
    expect(l.readyAt()).toBe(t0 + 90_000);
    await clock.advanceBy(120_000);
    expect(l.readyAt()).toBe(clock.now());
  });
});
