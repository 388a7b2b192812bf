import type { Models } from '@/lib/genesys/sdk.ts';
import { ApiError } from '@/lib/genesys/api-error.ts';
import { attemptOutcome, planWrite, runWriteProbe, situationOf, type WriteProbeDeps, type WriteProbeTarget } from './write-probe.ts';

const NOW = Date.parse('2026-05-04T12:00:00Z');
const HOUR = 3_600_000;
const target: WriteProbeTarget = { media: 'calls', conversationId: 'c1', participantId: 'p1', communicationId: 'm1' };
const code = { id: 'w-sale', name: 'Sale' };

const refusal = (status: number, code_: string, message = 'no', extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
  new ApiError({ kind: 'http', status, code: code_, message, contextId: `ctx-${status}-${code_}`, method: 'POST', ...extra });
const timeout = () => new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'late', method: 'POST' });

function conversation(comm: Partial<Models.Call>): Models.Conversation {
  return {
    id: 'c1',
    participants: [
      { id: 'p0', purpose: 'customer', calls: [{ id: 'm0', state: 'disconnected' }] },
      { id: 'p1', purpose: 'agent', calls: [{ id: 'm1', state: 'disconnected', disconnectedTime: new Date(NOW - 3 * HOUR).toISOString(), ...comm }] },
    ],
  } as Models.Conversation;
}

type Answer = 'applied' | ApiError;

/** A fake platform: scripted answers for POST and PATCH, a wrap-up that a successful write sets. */
function fake(
  o: {
    post?: Answer;
    patch?: Answer;
    before?: Models.AssignedWrapupCode;
    comm?: Partial<Models.Call>;
    lostButApplied?: boolean;
    media?: WriteProbeTarget['media'];
  } = {},
) {
  const calls: string[] = [];
  let wrapup: Models.AssignedWrapupCode | undefined = o.before;
  const send = (method: string, a: Answer | undefined) => {
    calls.push(method);
    if (!a || a === 'applied') {
      wrapup = { code: code.id };
      return Promise.resolve({ contextId: `corr-${method}` });
    }
    if (o.lostButApplied) wrapup = { code: code.id };
    return Promise.reject(a);
  };
  const deps: WriteProbeDeps = {
    readWrapup: () => {
      calls.push('GET wrapup');
      return Promise.resolve(wrapup);
    },
    readParticipantWrapup: () => {
      calls.push('GET participant wrapup');
      return Promise.resolve(wrapup);
    },
    readConversation: () => {
      calls.push('GET conversation');
      return Promise.resolve(conversation(o.comm ?? { afterCallWork: { state: 'complete' } }));
    },
    post: () => send('POST', o.post),
    patch: () => send('PATCH', o.patch),
    hasPatch: (m) => ['calls', 'callbacks', 'emails', 'messages', 'cobrowsesessions'].includes(m),
    now: () => NOW,
    newId: () => 'probe-1',
  };
  return { deps, calls };
}

describe('runWriteProbe', () => {
  it('POST applied: no PATCH, read back, one applied attempt with the situation and the correlation id', async () => {
    const { deps, calls } = fake();
    const r = await runWriteProbe(deps, target, code);
    expect(calls).toEqual(['GET wrapup', 'GET conversation', 'POST', 'GET wrapup']);
    expect(r.stop).toBeNull();
    expect(r.attempts).toEqual([
      {
        probeId: 'probe-1',
        method: 'post',
        request: { method: 'POST', path: '/api/v2/conversations/calls/c1/participants/p1/communications/m1/wrapup', body: { code: 'w-sale' } },
        status: 202,
        code: null,
        message: null,
        contextId: 'corr-POST',
        outcome: 'applied',
        at: new Date(NOW).toISOString(),
        situation: { acwPending: false, endedAgoMs: 3 * HOUR },
        target,
      },
    ]);
    expect(r.readBack).toEqual({ code: 'w-sale', via: 'communication' });
  });

  it('POST refused by policy: the PATCH {wrapup} follows; at most one lands', async () => {
    const { deps, calls } = fake({ post: refusal(403, 'not.authorized') });
    const r = await runWriteProbe(deps, target, code);
    expect(calls).toEqual(['GET wrapup', 'GET conversation', 'POST', 'PATCH', 'GET wrapup']);
    expect(r.attempts.map((a) => [a.method, a.outcome, a.status, a.code, a.contextId])).toEqual([
      ['post', 'refused', 403, 'not.authorized', 'ctx-403-not.authorized'],
      ['patch', 'applied', 202, null, 'corr-PATCH'],
    ]);
    expect(r.attempts[1]?.request).toEqual({ method: 'PATCH', path: '/api/v2/conversations/calls/c1/participants/p1', body: { wrapup: { code: 'w-sale' } } });
    expect(r.stop).toBeNull();
  });

  it('both refused: two refused attempts, nothing landed', async () => {
    const during = refusal(400, 'conversation.participant.wrapup.not.allowed', 'only while after-call work is pending');
    const { deps, calls } = fake({ post: during, patch: during });
    const r = await runWriteProbe(deps, target, code);
    expect(calls).toEqual(['GET wrapup', 'GET conversation', 'POST', 'PATCH', 'GET wrapup', 'GET participant wrapup']);
    expect(r.attempts.map((a) => a.outcome)).toEqual(['refused', 'refused']);
    expect(r.readBack).toEqual({ code: null, via: 'participant' });
  });

  it('an unknown outcome stops: no PATCH (the POST may still land)', async () => {
    const { deps, calls } = fake({ post: timeout() });
    const r = await runWriteProbe(deps, target, code);
    expect(calls).toEqual(['GET wrapup', 'GET conversation', 'POST', 'GET wrapup']);
    expect(r.stop).toBe('unknown-outcome');
    expect(r.attempts.map((a) => [a.method, a.outcome, a.status])).toEqual([['post', 'unknown', 0]]);
  });

  it('a 5xx is an unknown outcome too, even with an error body', async () => {
    const { deps, calls } = fake({ post: refusal(503, 'service.unavailable') });
    const r = await runWriteProbe(deps, target, code);
    expect(calls).not.toContain('PATCH');
    expect(r.stop).toBe('unknown-outcome');
  });

  it('an unknown outcome whose read-back shows the code is recorded as applied', async () => {
    const { deps } = fake({ post: timeout(), lostButApplied: true });
    const r = await runWriteProbe(deps, target, code);
    expect(r.recovered).toBe(true);
    expect(r.stop).toBeNull();
    expect(r.attempts.map((a) => a.outcome)).toEqual(['applied']);
  });

  it('a refusal about the code: no PATCH, recorded as refused-code', async () => {
    const invalid = refusal(400, 'bad.request', 'Wrap-up code w-sale is not valid', { details: [{ fieldName: 'code', errorCode: 'invalid.wrapup.code' }] });
    const { deps, calls } = fake({ post: invalid });
    const r = await runWriteProbe(deps, target, code);
    expect(calls).not.toContain('PATCH');
    expect(r.stop).toBe('refused-code');
    expect(r.attempts.map((a) => a.outcome)).toEqual(['refused-code']);
  });

  it('401 and 429 say nothing about the rule: not recorded, no PATCH, nothing to read back', async () => {
    for (const e of [refusal(401, 'authentication.required'), refusal(429, 'too.many.requests')]) {
      const { deps, calls } = fake({ post: e });
      const r = await runWriteProbe(deps, target, code);
      expect(calls).toEqual(['GET wrapup', 'GET conversation', 'POST']);
      expect(r.stop).toBe('not-answered');
      expect(r.attempts).toEqual([]);
    }
  });

  it('a media without a participant PATCH stops after the refused POST', async () => {
    const { deps, calls } = fake({ post: refusal(403, 'not.authorized') });
    const r = await runWriteProbe(deps, { ...target, media: 'videos' }, code);
    expect(calls).toEqual(['GET wrapup', 'GET conversation', 'POST', 'GET wrapup']);
    expect(r.stop).toBe('no-patch');
  });

  it('never writes over a code, nor on a communication that has not ended', async () => {
    const coded = fake({ before: { code: 'other' } });
    const r1 = await runWriteProbe(coded.deps, target, code);
    expect(r1.stop).toBe('already-coded');
    expect(coded.calls).toEqual(['GET wrapup']);

    const live = fake({ comm: { state: 'connected', disconnectedTime: undefined } });
    const r2 = await runWriteProbe(live.deps, target, code);
    expect(r2.stop).toBe('not-ended');
    expect(live.calls).toEqual(['GET wrapup', 'GET conversation']);
  });

  it('unknown ids stop before writing', async () => {
    const { deps, calls } = fake();
    expect((await runWriteProbe(deps, { ...target, participantId: 'nope' }, code)).stop).toBe('participant-not-found');
    expect((await runWriteProbe(deps, { ...target, communicationId: 'nope' }, code)).stop).toBe('communication-not-found');
    expect(calls).not.toContain('POST');
  });

  it('a failed first read writes nothing', async () => {
    const { deps, calls } = fake();
    deps.readWrapup = () => Promise.reject(refusal(403, 'missing.permissions'));
    const r = await runWriteProbe(deps, target, code);
    expect(r.stop).toBe('read-failed');
    expect(r.error?.code).toBe('missing.permissions');
    expect(calls).toEqual([]);
  });
});

describe('attemptOutcome', () => {
  it('classifies platform answers', () => {
    expect(attemptOutcome(refusal(403, 'not.authorized'))).toBe('refused');
    expect(attemptOutcome(refusal(403, 'missing.permissions'))).toBe('refused');
    expect(attemptOutcome(refusal(400, 'bad.request', 'The wrap-up window has closed'))).toBe('refused');
    expect(attemptOutcome(refusal(400, 'bad.request', 'x', { details: [{ errorCode: 'invalid.wrapup.code' }] }))).toBe('refused-code');
    expect(attemptOutcome(refusal(400, 'bad.request', 'x', { details: [{ fieldName: 'notes', errorCode: 'size' }] }))).toBe('refused-code');
    expect(attemptOutcome(refusal(404, 'not.found'))).toBe('refused-code');
    expect(attemptOutcome(refusal(409, 'conflict'))).toBe('refused-code');
    expect(attemptOutcome(refusal(500, 'internal.server.error'))).toBe('unknown');
    expect(attemptOutcome(refusal(408, 'request.timeout'))).toBe('unknown');
    expect(attemptOutcome(timeout())).toBe('unknown');
    expect(attemptOutcome(new ApiError({ kind: 'network', status: 0, code: 'network', message: 'x', method: 'POST' }))).toBe('unknown');
    expect(attemptOutcome(refusal(401, 'bad.credentials'))).toBe('not-answered');
    expect(attemptOutcome(refusal(429, 'too.many.requests'))).toBe('not-answered');
    expect(attemptOutcome(new ApiError({ kind: 'usage', status: 0, code: 'usage', message: 'x', sent: false }))).toBe('not-answered');
  });
});

describe('situationOf', () => {
  it('after-call work pending from its state, or required and not reported', () => {
    expect(situationOf(conversation({ afterCallWork: { state: 'pending' } }), 'p1', 'm1', NOW)).toMatchObject({
      ok: true,
      situation: { acwPending: true, endedAgoMs: 3 * HOUR },
    });
    expect(situationOf(conversation({ afterCallWork: { state: 'skipped' } }), 'p1', 'm1', NOW)).toMatchObject({ situation: { acwPending: false } });
    expect(situationOf(conversation({ afterCallWorkRequired: true }), 'p1', 'm1', NOW)).toMatchObject({ situation: { acwPending: true } });
    expect(situationOf(conversation({ afterCallWorkRequired: true, wrapup: { code: 'x' } }), 'p1', 'm1', NOW)).toMatchObject({
      situation: { acwPending: false },
    });
  });

  it('an unreadable end time leaves the age unknown', () => {
    expect(situationOf(conversation({ disconnectedTime: undefined }), 'p1', 'm1', NOW)).toMatchObject({
      ok: true,
      ended: true,
      situation: { endedAgoMs: null },
    });
  });
});

describe('planWrite', () => {
  it('shows exactly what will be sent', () => {
    expect(planWrite(target, code, 'post', true)).toEqual({
      method: 'POST',
      path: '/api/v2/conversations/calls/c1/participants/p1/communications/m1/wrapup',
      body: { code: 'w-sale' },
    });
    expect(planWrite(target, code, 'patch', true)).toEqual({
      method: 'PATCH',
      path: '/api/v2/conversations/calls/c1/participants/p1',
      body: { wrapup: { code: 'w-sale' } },
    });
    expect(planWrite(target, code, 'patch', false)).toBeNull();
  });
});
