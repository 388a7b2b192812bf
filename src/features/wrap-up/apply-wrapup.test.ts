import type { Models } from '@/lib/genesys/sdk.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import { applyWrapup, attemptOf, verifyAfterUnknown, wrapupInputOf, type ApplyDeps, type ApplyRequest } from './apply-wrapup.ts';

vi.mock('@/lib/genesys/api.ts', () => ({
  getCommunicationWrapup: vi.fn(() => Promise.resolve(undefined)),
  getParticipantWrapup: vi.fn(() => Promise.resolve(undefined)),
  writeWrapup: vi.fn(() => Promise.resolve()),
}));

const req = (over: Partial<ApplyRequest> = {}): ApplyRequest => ({
  target: { media: 'emails', conversationId: 'c1', participantId: 'p1', communicationId: 'm1' },
  code: { id: 'w1', name: 'Sale' },
  notes: 'called back',
  replace: false,
  ...over,
});

/** A fake platform: one communication's wrap-up, a write log, and scripted failures. */
function fakePlatform(initial?: Models.AssignedWrapupCode) {
  let current = initial;
  const writes: Models.WrapupInput[] = [];
  const reads: number[] = [];
  let postFault: ((body: Models.WrapupInput) => never | void) | undefined;
  let readFaults: ApiError[] = [];
  const deps: ApplyDeps = {
    readWrapup: async () => {
      await Promise.resolve();
      reads.push(writes.length);
      const f = readFaults.shift();
      if (f) throw f;
      return current;
    },
    sendWrapup: async (_t, body) => {
      await Promise.resolve();
      writes.push(body);
      postFault?.(body);
      current = { code: body.code, ...(body.notes ? { notes: body.notes } : {}), endTime: `t${writes.length}` };
    },
  };
  return {
    deps,
    writes,
    reads,
    set: (w: Models.AssignedWrapupCode | undefined) => (current = w),
    failPost: (f: (body: Models.WrapupInput) => never | void) => (postFault = f),
    failReads: (...errors: ApiError[]) => (readFaults = errors),
  };
}

const lost = () => new ApiError({ kind: 'network', status: 0, code: 'network', message: 'socket hang up', method: 'POST' });
const refused400 = () =>
  new ApiError({ kind: 'http', status: 400, code: 'bad.request', message: 'Wrap-up code w1 is not valid', contextId: 'ctx-400', method: 'POST' });

describe('applyWrapup', () => {
  it('reads, writes once with the code id, reads back and confirms', async () => {
    const p = fakePlatform();
    const r = await applyWrapup(req(), p.deps);
    expect(r).toMatchObject({ outcome: 'applied', confirmed: true, recovered: false, wrapup: { code: 'w1' } });
    expect(p.writes).toEqual([{ code: 'w1', name: 'Sale', notes: 'called back' }]);
    expect(p.reads).toEqual([0, 1]); // one read before the write, one after
  });

  it('sends no notes when they are blank', () => {
    expect(wrapupInputOf(req({ notes: '   ' }))).toEqual({ code: 'w1', name: 'Sale' });
  });

  it('writes nothing when a wrap-up exists and replace was not chosen', async () => {
    const p = fakePlatform({ code: 'w0', notes: 'agent' });
    const r = await applyWrapup(req(), p.deps);
    expect(r).toEqual({ outcome: 'already-coded', existing: { code: 'w0', notes: 'agent' } });
    expect(p.writes).toEqual([]);
  });

  it('replaces an existing wrap-up only when chosen', async () => {
    const p = fakePlatform({ code: 'w0', endTime: 't0' });
    const r = await applyWrapup(req({ replace: true, seenCode: 'w0' }), p.deps);
    expect(r).toMatchObject({ outcome: 'applied', confirmed: true });
    expect(p.writes).toHaveLength(1);
  });

  it('"replace" covers only the code the form showed: another code found before writing is kept', async () => {
    const p = fakePlatform({ code: 'w9', notes: 'agent, meanwhile' });
    const r = await applyWrapup(req({ replace: true, seenCode: 'w0' }), p.deps);
    expect(r).toEqual({ outcome: 'already-coded', existing: { code: 'w9', notes: 'agent, meanwhile' } });
    expect(p.writes).toEqual([]);
    // A system code (e.g. the ACW timeout) may be replaced when the user chose to replace.
    const s = fakePlatform({ code: 'ININ-WRAP-UP-TIMEOUT' });
    expect(await applyWrapup(req({ replace: true, seenCode: 'ININ-WRAP-UP-TIMEOUT' }), s.deps)).toMatchObject({ outcome: 'applied' });
  });

  it('a lost response whose write landed ends as applied after one re-read, with exactly one write', async () => {
    const p = fakePlatform();
    // The platform applies the write, then the answer is lost.
    p.failPost(() => undefined);
    const realPost = p.deps.sendWrapup;
    p.deps.sendWrapup = async (t, b, m) => {
      await realPost(t, b, m);
      throw lost();
    };
    const r = await applyWrapup(req(), p.deps);
    expect(r).toMatchObject({ outcome: 'applied', recovered: true, confirmed: true });
    expect(p.writes).toHaveLength(1);
  });

  it('a lost response whose write did not land → not-applied (retry is safe), nothing written twice', async () => {
    const p = fakePlatform();
    p.failPost(() => {
      throw lost();
    });
    // The failed POST must not count as stored: undo what the fake stored.
    const realPost = p.deps.sendWrapup;
    p.deps.sendWrapup = async (t, b, m) => {
      try {
        await realPost(t, b, m);
      } catch (e) {
        p.set(undefined);
        throw e;
      }
    };
    let now = 1_000;
    p.deps.now = () => now;
    const r = await applyWrapup(req(), p.deps);
    // No answer: the platform may still apply it for a minute. Not there yet is not "not applied".
    expect(r).toMatchObject({ outcome: 'unknown', rereadError: null, sentAt: 1_000, settlesAt: 61_000 });
    if (r.outcome !== 'unknown') return;
    now = 30_000;
    expect(await verifyAfterUnknown(req(), r.before, r.error, r.sentAt, p.deps)).toMatchObject({ outcome: 'unknown', settlesAt: 61_000 });
    now = 61_000;
    expect(await verifyAfterUnknown(req(), r.before, r.error, r.sentAt, p.deps)).toMatchObject({ outcome: 'not-applied', before: undefined });
    expect(p.writes).toHaveLength(1);
  });

  it("a slow write applied after the timeout (the sim's slow fault): unknown until it shows, never offered again", async () => {
    const p = fakePlatform();
    let now = 0;
    p.deps.now = () => now;
    const realPost = p.deps.sendWrapup;
    let land: (() => Promise<void>) | undefined;
    p.deps.sendWrapup = (t, b, m) => {
      land = () => realPost(t, b, m); // the platform applies it 20 s later
      return Promise.reject(new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'The platform did not answer in time.', method: 'POST' }));
    };
    now = 30_000; // our timeout
    const r = await applyWrapup(req(), p.deps);
    expect(r).toMatchObject({ outcome: 'unknown', rereadError: null });
    if (r.outcome !== 'unknown') return;
    await land!();
    now = 45_000;
    expect(await verifyAfterUnknown(req(), r.before, r.error, r.sentAt, p.deps)).toMatchObject({ outcome: 'applied', recovered: true });
    expect(p.writes).toHaveLength(1);
  });

  it('an answer that came (a 503 with a body) cannot be applied later: not-applied at once', async () => {
    const p = fakePlatform();
    p.failPost(() => {
      throw new ApiError({ kind: 'http', status: 503, code: 'service.unavailable', message: 'down', method: 'POST' });
    });
    const r = await applyWrapup(req(), p.deps);
    // Never "unknown until a time": the platform answered, so nothing of it is still to come.
    expect(['not-applied', 'failed']).toContain(r.outcome);
    expect(p.writes).toHaveLength(1);
  });

  it('a 503 WITH a platform error body may still have landed: the form re-reads, as the bulk runner does (one classification)', async () => {
    const p = fakePlatform();
    const realPost = p.deps.sendWrapup;
    p.deps.sendWrapup = async (t, b, m) => {
      await realPost(t, b, m); // applied…
      throw new ApiError({
        kind: 'http',
        status: 503,
        code: 'service.unavailable',
        message: 'down',
        method: 'POST',
        body: { status: 503, code: 'service.unavailable', message: 'down' },
      });
    };
    const r = await applyWrapup(req(), p.deps);
    expect(r).toMatchObject({ outcome: 'applied', recovered: true });
    expect(p.writes).toHaveLength(1);
    expect(p.reads).toEqual([0, 1]); // the read before, and the re-read that found it
  });

  it('a lost response and a failing re-read → unknown, and "check again" only reads', async () => {
    const p = fakePlatform();
    const realPost = p.deps.sendWrapup;
    p.deps.sendWrapup = async (t, b, m) => {
      await realPost(t, b, m);
      p.failReads(new ApiError({ kind: 'network', status: 0, code: 'network', message: 'offline', method: 'GET' }));
      throw lost();
    };
    const r = await applyWrapup(req(), p.deps);
    expect(r.outcome).toBe('unknown');
    if (r.outcome !== 'unknown') return;
    const again = await verifyAfterUnknown(req(), r.before, r.error, r.sentAt, p.deps);
    expect(again).toMatchObject({ outcome: 'applied', recovered: true });
    expect(p.writes).toHaveLength(1);
  });

  it('a replace whose answer was lost counts as applied only if the wrap-up changed', async () => {
    const before = { code: 'w1', notes: 'called back', endTime: 't0' };
    const late = Date.now() - 120_000; // sent long enough ago that it can no longer land
    expect(await verifyAfterUnknown(req({ replace: true }), before, lost(), late, fakePlatform(before).deps)).toMatchObject({ outcome: 'not-applied' });
    expect(await verifyAfterUnknown(req({ replace: true }), before, lost(), late, fakePlatform({ ...before, endTime: 't1' }).deps)).toMatchObject({
      outcome: 'applied',
    });
  });

  it('a refusal is final: nothing else is tried', async () => {
    const p = fakePlatform();
    p.failPost(() => {
      throw refused400();
    });
    const realPost = p.deps.sendWrapup;
    p.deps.sendWrapup = async (t, b, m) => {
      try {
        await realPost(t, b, m);
      } catch (e) {
        p.set(undefined);
        throw e;
      }
    };
    const r = await applyWrapup(req(), p.deps);
    expect(r).toMatchObject({ outcome: 'refused', stage: 'write', error: { status: 400, contextId: 'ctx-400' } });
    expect(p.reads).toEqual([0]); // no re-read after a known refusal
  });

  it('a failing read before the write writes nothing', async () => {
    const p = fakePlatform();
    p.failReads(new ApiError({ kind: 'http', status: 404, code: 'not.found', message: 'gone', contextId: 'ctx-404', method: 'GET' }));
    const r = await applyWrapup(req(), p.deps);
    expect(r).toMatchObject({ outcome: 'refused', stage: 'read', error: { status: 404 } });
    expect(p.writes).toEqual([]);
  });

  it('a 202 whose read-back fails is applied but unconfirmed', async () => {
    const p = fakePlatform();
    const realPost = p.deps.sendWrapup;
    p.deps.sendWrapup = async (t, b, m) => {
      await realPost(t, b, m);
      p.failReads(new ApiError({ kind: 'http', status: 503, code: 'service.unavailable', message: 'x', method: 'GET' }));
    };
    expect(await applyWrapup(req(), p.deps)).toMatchObject({ outcome: 'applied', confirmed: false });
  });
});

describe('platformDeps', () => {
  it('reads and writes through the media-specific functions of the platform layer', async () => {
    const api = await import('@/lib/genesys/api.ts');
    const r = await applyWrapup(req());
    expect(r.outcome).toBe('applied');
    expect(vi.mocked(api.getCommunicationWrapup)).toHaveBeenCalledWith('emails', 'c1', 'p1', 'm1');
    const target = { media: 'emails', conversationId: 'c1', participantId: 'p1', communicationId: 'm1' };
    expect(vi.mocked(api.writeWrapup)).toHaveBeenCalledWith('post', target, { code: 'w1', name: 'Sale', notes: 'called back' }, { timeoutMs: 30_000 });
  });

  it('writes by PATCH when the request says so (the verdict of the platform check)', async () => {
    const api = await import('@/lib/genesys/api.ts');
    vi.mocked(api.writeWrapup).mockClear();
    expect((await applyWrapup(req({ method: 'patch' }))).outcome).toBe('applied');
    expect(vi.mocked(api.writeWrapup).mock.calls[0]?.[0]).toBe('patch');
    expect(attemptOf(req({ method: 'patch' }), { outcome: 'applied', wrapup: undefined, confirmed: true, recovered: false }, new Date(0)).method).toBe('patch');
  });
});

describe('platformDeps without a communication id (an agent without analytics, issue 18)', () => {
  it("reads the participant's wrap-up before and after the PATCH", async () => {
    const api = await import('@/lib/genesys/api.ts');
    vi.mocked(api.getCommunicationWrapup).mockClear();
    vi.mocked(api.getParticipantWrapup).mockClear();
    const target = { media: 'calls' as const, conversationId: 'c1', participantId: 'p1', communicationId: '' };
    expect((await applyWrapup(req({ target, method: 'patch' }))).outcome).toBe('applied');
    expect(vi.mocked(api.getParticipantWrapup).mock.calls).toEqual([
      ['calls', 'c1', 'p1'],
      ['calls', 'c1', 'p1'],
    ]);
    expect(vi.mocked(api.getCommunicationWrapup)).not.toHaveBeenCalled();
  });
});

describe('attemptOf', () => {
  it('records the request and the failure evidence, never more', () => {
    const a = attemptOf(req(), { outcome: 'refused', stage: 'write', error: refused400() }, new Date('2026-01-02T03:04:05.000Z'));
    expect(a).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      conversationId: 'c1',
      participantId: 'p1',
      communicationId: 'm1',
      media: 'emails',
      codeId: 'w1',
      codeName: 'Sale',
      notes: 'called back',
      replace: false,
      method: 'post',
      outcome: 'refused',
      status: 400,
      errorCode: 'bad.request',
      message: 'Wrap-up code w1 is not valid',
      contextId: 'ctx-400',
    });
    expect(attemptOf(req(), { outcome: 'applied', wrapup: undefined, confirmed: true, recovered: false }, new Date(0))).toMatchObject({
      status: 202,
      errorCode: null,
      contextId: null,
    });
  });
});
