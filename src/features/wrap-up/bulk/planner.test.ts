import { ApiError } from '@/lib/genesys/api-error.ts';
import { createJob, decide, observeSession, planBulk, previewSummary } from './planner.ts';
import { ACW_GRACE_MS, DEFAULT_JOB_OPTIONS, mayWriteNow, mayWriteOver } from './model.ts';
import type { BulkPlatform, DetailsConversation } from './platform-port.ts';
import { directoryOf } from './item-names.ts';

const ended = '2026-03-01T10:05:00Z';

function conv(
  id: string,
  agents: { pid: string; media?: string; queue?: string | null; code?: string; open?: boolean; acw?: boolean }[],
  end = true,
): DetailsConversation {
  return {
    conversationId: id,
    ...(end ? { conversationEnd: ended } : {}),
    participants: [
      {
        participantId: `${id}-cust`,
        purpose: 'customer',
        sessions: [{ sessionId: `${id}-cs`, mediaType: 'voice', segments: [{ segmentType: 'interact', segmentEnd: ended }] }],
      },
      ...agents.map((a) => ({
        participantId: a.pid,
        purpose: 'agent',
        userId: `user-${a.pid}`,
        sessions: [
          {
            sessionId: `${a.pid}-s`,
            mediaType: a.media ?? 'voice',
            segments: [
              { segmentType: 'interact', ...(a.open ? {} : { segmentEnd: ended }), ...(a.queue === null ? {} : { queueId: a.queue ?? 'q1' }) },
              ...(a.code ? [{ segmentType: 'wrapup', segmentEnd: ended, wrapUpCode: a.code }] : a.acw ? [{ segmentType: 'wrapup' }] : []),
            ],
          },
        ],
      })),
    ],
  };
}

function fakePlatform(convs: DetailsConversation[], failQueue?: ApiError) {
  const calls: { method: string; arg: unknown }[] = [];
  const platform: Pick<BulkPlatform, 'getDetails' | 'listQueueCodes' | 'participantCodes' | 'listUsers'> = {
    listUsers: () => {
      calls.push({ method: 'listUsers', arg: null });
      // conv() gives participant `p` the user `user-p`.
      return Promise.resolve([
        { id: 'user-a', email: 'Ann@Example.com' },
        { id: 'user-b', email: 'bo@example.com' },
        { id: 'user-x', email: 'xavier@example.com' },
      ]);
    },
    getDetails: (ids) => {
      calls.push({ method: 'getDetails', arg: ids.length });
      return Promise.resolve(convs.filter((c) => ids.includes(c.conversationId!)));
    },
    listQueueCodes: (q) => {
      calls.push({ method: 'listQueueCodes', arg: q });
      if (failQueue && q === 'q-bad') return Promise.reject(failQueue);
      return Promise.resolve(
        q === 'q1'
          ? [
              { id: 'sale', name: 'Sale' },
              { id: 'other', name: 'Other' },
            ]
          : [{ id: 'other', name: 'Other' }],
      );
    },
    participantCodes: (_m, _c, pid) => {
      calls.push({ method: 'participantCodes', arg: pid });
      return Promise.resolve([{ id: 'sale', name: 'Sale' }]);
    },
  };
  return { platform, calls };
}

describe('observeSession', () => {
  it('computes missing, coded, system-coded and active (including open ACW)', () => {
    const c = conv('c', [{ pid: 'p' }]);
    const s = (segs: object[]) => ({ sessionId: 's', mediaType: 'voice', segments: segs });
    expect(observeSession(c, s([{ segmentType: 'interact', segmentEnd: ended }]), 1)).toEqual({ status: 'missing', codeId: null, at: 1 });
    expect(observeSession(c, s([{ segmentType: 'wrapup', segmentEnd: ended, wrapUpCode: 'x' }]), 1).status).toBe('coded');
    expect(observeSession(c, s([{ segmentType: 'wrapup', segmentEnd: ended, wrapUpCode: 'ININ-WRAP-UP-TIMEOUT' }]), 1).status).toBe('system-coded');
    expect(observeSession(c, s([{ segmentType: 'interact' }]), 1).status).toBe('active');
    // The agent's communication is over although the conversation goes on (e.g. after a transfer).
    expect(observeSession({ ...c, conversationEnd: undefined }, s([{ segmentType: 'interact', segmentEnd: ended }]), 1).status).toBe('missing');
  });

  it('treats pending after-call work as active during the grace period, then as missing with acwSince', () => {
    const c = conv('c', [{ pid: 'p' }]);
    const acwStart = Date.parse('2026-01-01T10:00:00Z');
    const s = {
      sessionId: 's',
      mediaType: 'voice',
      segments: [
        { segmentType: 'interact', segmentEnd: ended },
        { segmentType: 'wrapup', segmentStart: new Date(acwStart).toISOString() },
      ],
    };
    expect(observeSession(c, s, acwStart + ACW_GRACE_MS - 1)).toEqual({ status: 'active', codeId: null, at: acwStart + ACW_GRACE_MS - 1, acwSince: acwStart });
    expect(observeSession(c, s, acwStart + ACW_GRACE_MS)).toEqual({ status: 'missing', codeId: null, at: acwStart + ACW_GRACE_MS, acwSince: acwStart });
  });
});

describe('planBulk', () => {
  it('stamps each observation with the time its batch was asked for, not when the last batch came back', async () => {
    const convs = Array.from({ length: 150 }, (_, i) => conv(`c${i}`, [{ pid: `p${i}` }]));
    const { platform } = fakePlatform(convs);
    let t = 1_000;
    let calls = 0;
    const slow: typeof platform = {
      ...platform,
      // The second batch answers a minute later (the rate limit held it, or the platform was slow).
      getDetails: async (ids) => {
        const r = await platform.getDetails(ids);
        if (++calls === 2) t += 60_000;
        return r;
      },
    };
    const plan = await planBulk(
      convs.map((c) => ({ conversationId: c.conversationId! })),
      { platform: slow, now: () => t },
    );
    expect(new Set(plan.items.map((i) => i.observed.at))).toEqual(new Set([1_000]));
  });

  it('expands to agent communications, batches analytics per 100, lists codes once per queue, and counts codes', async () => {
    const convs = Array.from({ length: 250 }, (_, i) => conv(`c${i}`, [{ pid: `p${i}`, queue: i % 2 ? 'q1' : 'q2' }]));
    const { platform, calls } = fakePlatform(convs);
    const progress: [number, number][] = [];
    const plan = await planBulk([...convs.map((c) => ({ conversationId: c.conversationId! })), { conversationId: 'c1' }, { conversationId: 'missing' }], {
      platform,
      now: () => 5,
      onProgress: (read, total) => progress.push([read, total]),
    });
    // Progress per analytics batch, cumulative, ending with everything read.
    expect(progress).toEqual([
      [0, 251],
      [100, 251],
      [200, 251],
      [251, 251],
    ]);
    expect(plan.items).toHaveLength(250);
    expect(plan.notFound).toEqual(['missing']);
    expect(calls.filter((c) => c.method === 'getDetails').map((c) => c.arg)).toEqual([100, 100, 51]);
    expect(
      calls
        .filter((c) => c.method === 'listQueueCodes')
        .map((c) => c.arg)
        .sort(),
    ).toEqual(['q1', 'q2']);
    expect(plan.requests).toBe(5);
    expect(plan.codes).toEqual([
      { id: 'other', name: 'Other', allowedFor: 250 },
      { id: 'sale', name: 'Sale', allowedFor: 125 },
    ]);
    expect(plan.items[0]).toMatchObject({
      conversationId: 'c0',
      participantId: 'p0',
      communicationId: 'p0-s',
      media: 'calls',
      queueId: 'q2',
      userId: 'user-p0',
      observed: { status: 'missing', at: 5 },
    });
  });

  it('honours a participant filter, reports unknown participants, and uses the participant list for queue-less items', async () => {
    const { platform, calls } = fakePlatform([conv('c1', [{ pid: 'a' }, { pid: 'b', queue: null }])]);
    const plan = await planBulk(
      [
        { conversationId: 'c1', participantId: 'b' },
        { conversationId: 'c1', participantId: 'zz' },
      ],
      { platform },
    );
    expect(plan.items.map((i) => i.participantId)).toEqual(['b']);
    expect(plan.participantsNotFound).toEqual([{ conversationId: 'c1', participantId: 'zz' }]);
    expect(calls.filter((c) => c.method === 'participantCodes').map((c) => c.arg)).toEqual(['b']);
    expect(plan.items[0]!.allowedCodeIds).toEqual(['sale']);
  });

  it('names each item (agent name and email, queue name, conversation start) from the directory, and the job keeps them (issue 16 item 3)', async () => {
    const { platform } = fakePlatform([{ ...conv('c1', [{ pid: 'a' }, { pid: 'b', queue: null }]), conversationStart: '2026-03-01T09:58:00Z' }]);
    const directory = () => Promise.resolve(directoryOf([{ id: 'user-a', name: 'Ann Agent', email: 'ann@example.com' }], [{ id: 'q1', name: 'Billing' }]));
    const plan = await planBulk([{ conversationId: 'c1' }], { platform, directory });
    const [a, b] = plan.items;
    expect(a!.names).toEqual({ agentName: 'Ann Agent', agentEmail: 'ann@example.com', queueName: 'Billing' });
    expect(a!.conversationStart).toBe(Date.parse('2026-03-01T09:58:00Z'));
    // Not in the directory (or no queue): no names, the ids stay.
    expect(b!.names).toEqual({});
    expect(b!.userId).toBe('user-b');
    const { items } = createJob(plan, { code: { id: 'sale', name: 'Sale' }, notes: '' }, { id: 'j', now: 1 });
    expect(items[0]!.names).toEqual(a!.names);
    expect(items[0]!.conversationStart).toBe(a!.conversationStart);
  });

  it('a failing directory leaves ids only (the preview still opens); without one, items carry no names', async () => {
    const { platform } = fakePlatform([conv('c1', [{ pid: 'a' }])]);
    const failing = await planBulk([{ conversationId: 'c1' }], {
      platform,
      directory: () => Promise.reject(new ApiError({ kind: 'http', status: 500, code: 'x', message: 'down' })),
    });
    expect(failing.items[0]!.names).toBeUndefined();
    const none = await planBulk([{ conversationId: 'c1' }], { platform });
    expect(none.items[0]!.names).toBeUndefined();
    expect(none.items[0]!.conversationStart).toBeNull();
  });

  it('checks named participants and agents even when another line takes the whole conversation (issue 16 item 4)', async () => {
    const { platform } = fakePlatform([conv('c1', [{ pid: 'a' }, { pid: 'b' }])]);
    const plan = await planBulk(
      [
        { conversationId: 'c1', participantId: 'zz' },
        { conversationId: 'c1' },
        { conversationId: 'c1', participantId: 'a' },
        { conversationId: 'c1', agentEmail: 'xavier@example.com' },
      ],
      { platform },
    );
    // The whole conversation is planned; the unknown participant and the agent who was not in it are reported.
    expect(plan.items.map((i) => i.participantId)).toEqual(['a', 'b']);
    expect(plan.participantsNotFound).toEqual([
      { conversationId: 'c1', participantId: 'zz' },
      { conversationId: 'c1', agentEmail: 'xavier@example.com' },
    ]);
  });

  it('resolves agent emails (one user listing, case-insensitive) and reports unknown emails and agents not in the conversation', async () => {
    const { platform, calls } = fakePlatform([conv('c1', [{ pid: 'a' }, { pid: 'b' }]), conv('c2', [{ pid: 'b' }])]);
    const plan = await planBulk(
      [
        { conversationId: 'c1', agentEmail: 'ann@example.com' },
        { conversationId: 'c2', agentEmail: 'xavier@example.com' },
        { conversationId: 'c2', agentEmail: 'nobody@example.com' },
      ],
      { platform },
    );
    expect(plan.items.map((i) => [i.conversationId, i.participantId])).toEqual([['c1', 'a']]);
    expect(plan.participantsNotFound).toEqual([{ conversationId: 'c2', agentEmail: 'xavier@example.com' }]);
    expect(plan.unknownEmails).toEqual(['nobody@example.com']);
    expect(calls.filter((c) => c.method === 'listUsers')).toHaveLength(1);
    // Without emails the users are not listed at all.
    const again = fakePlatform([conv('c1', [{ pid: 'a' }])]);
    await planBulk([{ conversationId: 'c1' }], { platform: again.platform });
    expect(again.calls.filter((c) => c.method === 'listUsers')).toHaveLength(0);
  });

  it('a failing code list leaves the items unknown (the platform decides); a 401 aborts the preview', async () => {
    const { platform } = fakePlatform([conv('c1', [{ pid: 'a', queue: 'q-bad' }])], new ApiError({ kind: 'http', status: 500, code: 'x', message: 'boom' }));
    const plan = await planBulk([{ conversationId: 'c1' }], { platform });
    expect(plan.items[0]!.allowedCodeIds).toBeNull();
    expect(plan.codeListErrors).toHaveLength(1);
    const { platform: p401 } = fakePlatform(
      [conv('c1', [{ pid: 'a', queue: 'q-bad' }])],
      new ApiError({ kind: 'http', status: 401, code: 'x', message: 'no' }),
    );
    await expect(planBulk([{ conversationId: 'c1' }], { platform: p401 })).rejects.toMatchObject({ status: 401 });
  });

  it('classifies for the chosen code: write, already coded, system-coded, active, unanswered, chat, not allowed; nothing is written', async () => {
    const ringNoAnswer: DetailsConversation = {
      conversationId: 'c3',
      conversationEnd: ended,
      participants: [
        {
          participantId: 'rna',
          purpose: 'agent',
          userId: 'user-rna',
          sessions: [
            {
              sessionId: 'rna-s',
              mediaType: 'voice',
              segments: [{ segmentType: 'alert', segmentEnd: ended, queueId: 'q1', disconnectType: 'noAnswerTransfer' }],
            },
          ],
        },
      ],
    };
    const { platform, calls } = fakePlatform([
      conv('c1', [
        { pid: 'missing' },
        { pid: 'coded', code: 'other' },
        { pid: 'sys', code: 'ININ-WRAP-UP-TIMEOUT' },
        { pid: 'acw', acw: true },
        { pid: 'chat', media: 'chat' },
        { pid: 'q2', queue: 'q2' },
        { pid: 'same', code: 'sale' },
      ]),
      conv('c2', [{ pid: 'live', open: true }], false),
      ringNoAnswer,
    ]);
    const plan = await planBulk([{ conversationId: 'c1' }, { conversationId: 'c2' }, { conversationId: 'c3' }], { platform });
    const sale = { id: 'sale', name: 'Sale' };
    const row = (o = {}) =>
      plan.items.map((i) => [
        i.participantId,
        decide(i, sale, { ...DEFAULT_JOB_OPTIONS, ...o }).status,
        decide(i, sale, { ...DEFAULT_JOB_OPTIONS, ...o }).reason,
      ]);
    expect(row()).toEqual([
      ['missing', 'pending', null],
      ['coded', 'already-coded', 'coded'],
      ['sys', 'skipped', 'system-coded'],
      ['acw', 'skipped', 'active'],
      ['chat', 'skipped', 'chat-removed'],
      ['q2', 'skipped', 'code-not-allowed'],
      ['same', 'already-coded', 'same-code'],
      ['live', 'skipped', 'active'],
      ['rna', 'skipped', 'unanswered'],
    ]);
    expect(row({ replaceExisting: true, includeSystemCoded: true }).map((r) => r[1])).toEqual([
      'pending',
      'pending',
      'pending',
      'skipped',
      'skipped',
      'skipped',
      'already-coded',
      'skipped',
      'skipped',
    ]);
    expect(previewSummary(plan, { code: sale, notes: '' })).toEqual({
      write: 1,
      replace: 0,
      alreadyCoded: 2,
      systemCoded: 1,
      active: 2,
      unanswered: 1,
      noWritePath: 1,
      codeNotAllowed: 1,
      platformRefuses: 0,
    });
    const { job, items } = createJob(plan, { code: sale, notes: 'n', options: { replaceExisting: true } }, { id: 'j', now: 9 });
    expect(job).toMatchObject({
      id: 'j',
      state: 'ready',
      code: sale,
      notes: 'n',
      options: { replaceExisting: true, includeSystemCoded: false, verify: 'batched' },
    });
    expect(job.counts).toMatchObject({ selected: 9, pending: 2, alreadyCoded: 1, skipped: 6 });
    expect(items.find((i) => i.participantId === 'coded')).toMatchObject({ status: 'pending', plannedCode: 'other', attempts: 0 });
    expect(calls.every((c) => c.method !== 'write')).toBe(true);
  });
});

describe('the no-overwrite rules', () => {
  const opts = { replaceExisting: false, includeSystemCoded: false };
  it('items the platform check learned are refused are skipped ("the platform refuses these"), unless the user tries anyway', async () => {
    const t0 = Date.parse(ended);
    const abandonedAcw: DetailsConversation = {
      conversationId: 'c9',
      participants: [
        {
          participantId: 'acw-old',
          purpose: 'agent',
          userId: 'user-acw-old',
          sessions: [
            {
              sessionId: 'acw-old-s',
              mediaType: 'voice',
              segments: [
                { segmentType: 'interact', segmentStart: '2026-03-01T10:00:00Z', segmentEnd: ended, queueId: 'q1' },
                { segmentType: 'wrapup', segmentStart: ended },
              ],
            },
          ],
        },
      ],
    };
    const { platform } = fakePlatform([conv('c1', [{ pid: 'missing' }, { pid: 'coded', code: 'other' }]), abandonedAcw]);
    // Planned an hour after the end: the pending after-call work is past the grace period ("missing").
    const now = t0 + 3_600_000;
    const plan = await planBulk([{ conversationId: 'c1' }, { conversationId: 'c9' }], { platform, now: () => now });
    expect(plan.items.find((i) => i.participantId === 'missing')?.endedAt).toBe(t0);
    const sale = { id: 'sale', name: 'Sale' };
    const refusal = { afterAcw: true, minAgeMs: null, learnedAt: '2026-03-01T09:00:00Z', code: 'wrapup.not.allowed', message: 'only during ACW' };
    const decisions = (o: object) => plan.items.map((i) => [i.participantId, decide(i, sale, { ...DEFAULT_JOB_OPTIONS, ...o }, now).reason]);
    expect(decisions({ refusal })).toEqual([
      ['missing', 'platform-refuses'],
      ['coded', 'coded'], // a code is kept as before: the rule only says why a WRITE would fail
      ['acw-old', null], // after-call work still pending: the platform takes it
    ]);
    expect(decisions({ refusal, tryRefused: true }).map((d) => d[1])).toEqual([null, 'coded', null]);
    expect(previewSummary(plan, { code: sale, notes: '', options: { refusal } }, now)).toMatchObject({ write: 1, platformRefuses: 1 });
    // Only older than the learned age: an hour-old item is younger than a two-hour limit.
    expect(decide(plan.items[0]!, sale, { ...DEFAULT_JOB_OPTIONS, refusal: { ...refusal, minAgeMs: 7_200_000 } }, now).reason).toBeNull();
    expect(decide(plan.items[0]!, sale, { ...DEFAULT_JOB_OPTIONS, refusal: { ...refusal, minAgeMs: 1_800_000 } }, now).reason).toBe('platform-refuses');
    const { items } = createJob(plan, { code: sale, notes: '', options: { refusal } }, { id: 'j', now });
    expect(items.map((i) => [i.participantId, i.status, i.endedAt])).toEqual([
      ['missing', 'skipped', t0],
      ['coded', 'already-coded', t0],
      ['acw-old', 'pending', t0],
    ]);
  });

  it('preview: nothing, a system code with its switch, any code with replace; never the same code again', () => {
    expect(mayWriteOver(null, 'sale', opts)).toBe(true);
    expect(mayWriteOver('sale', 'sale', { replaceExisting: true, includeSystemCoded: true })).toBe(false);
    expect(mayWriteOver('other', 'sale', opts)).toBe(false);
    expect(mayWriteOver('other', 'sale', { ...opts, replaceExisting: true })).toBe(true);
    expect(mayWriteOver('ININ-WRAP-UP-TIMEOUT', 'sale', { ...opts, replaceExisting: true })).toBe(false);
    expect(mayWriteOver('ININ-WRAP-UP-TIMEOUT', 'sale', { ...opts, includeSystemCoded: true })).toBe(true);
  });
  it('run: "replace" covers only the wrap-up the preview showed; a code that appeared meanwhile is kept', () => {
    const r = { replaceExisting: true, includeSystemCoded: false };
    expect(mayWriteNow('other', { plannedCode: 'other' }, 'sale', r)).toBe(true);
    expect(mayWriteNow('agent-new', { plannedCode: 'other' }, 'sale', r)).toBe(false);
    expect(mayWriteNow('agent-new', { plannedCode: null }, 'sale', r)).toBe(false);
    expect(mayWriteNow(null, { plannedCode: 'other' }, 'sale', opts)).toBe(true);
  });
});
