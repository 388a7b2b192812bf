import { IDBFactory } from 'fake-indexeddb';
import { deleteVerdict, loadVerdict, type PlatformVerdict, type ProbeRecord, type WriteAttempt } from '@/lib/platform-verdict.ts';
import { contextIds, reportJson, reportMarkdown } from './report.ts';
import { ageParts, formatAge, summarizeVerdict } from './verdict-summary.ts';
import { updateVerdict, withAttempts, withProbes } from './verdict-store.ts';

const HOUR = 3_600_000;
const owner = { orgId: 'org-1', userId: 'u-1' };

let n = 0;
function attempt(
  method: 'post' | 'patch',
  outcome: WriteAttempt['outcome'],
  situation: Partial<WriteAttempt['situation']> = {},
  probeId = `p${n}`,
): WriteAttempt {
  n += 1;
  return {
    probeId,
    method,
    request: { method: method === 'post' ? 'POST' : 'PATCH', path: `/api/v2/conversations/calls/c${n}/participants/p`, body: { code: 'w' } },
    status: outcome === 'applied' ? 202 : outcome === 'unknown' ? 0 : 403,
    code: outcome === 'applied' ? null : outcome === 'refused-code' ? 'bad.request' : 'not.authorized',
    message: outcome === 'applied' ? null : "Only the participant's own user may set its wrap-up.",
    contextId: `ctx-${n}`,
    outcome,
    at: new Date(Date.parse('2026-05-04T10:00:00Z') + n * 1000).toISOString(),
    situation: { acwPending: false, endedAgoMs: 3 * HOUR, ...situation },
    target: { media: 'calls', conversationId: `c${n}`, participantId: 'p', communicationId: 'm' },
  };
}

const verdict = (attempts: WriteAttempt[], probes: ProbeRecord[] = []): PlatformVerdict => ({
  version: 1,
  ...owner,
  checkedAt: '2026-05-04T10:05:00.000Z',
  probes,
  attempts,
});

describe('summarizeVerdict', () => {
  it('nothing yet: not tested, POST', () => {
    expect(summarizeVerdict(null)).toMatchObject({ conclusion: 'not-tested', method: 'post', rule: null });
    expect(summarizeVerdict(null).matrix.every((c) => c.answer === 'unknown')).toBe(true);
  });

  it('POST applied after ACW: yes, with the age', () => {
    const s = summarizeVerdict(verdict([attempt('post', 'applied', { endedAgoMs: 3 * HOUR })]));
    expect(s.conclusion).toBe('post');
    expect(s.matrix.find((c) => c.method === 'post' && c.phase === 'after')).toMatchObject({ answer: 'yes', appliedAtMs: 3 * HOUR });
  });

  it('POST refused, PATCH applied: the app writes by PATCH', () => {
    const s = summarizeVerdict(verdict([attempt('post', 'refused', {}, 'x'), attempt('patch', 'applied', {}, 'x')]));
    expect(s).toMatchObject({ conclusion: 'patch', method: 'patch', rule: null });
    expect(s.matrix.find((c) => c.method === 'post' && c.phase === 'after')).toMatchObject({ answer: 'no', refusalCode: 'not.authorized' });
  });

  it('both refused after ACW: refused after after-call work; then applied during ACW: only during after-call work', () => {
    const refused = [attempt('post', 'refused', {}, 'a'), attempt('patch', 'refused', {}, 'a')];
    expect(summarizeVerdict(verdict(refused))).toMatchObject({
      conclusion: 'refused-after-acw',
      rule: { afterAcw: true, minAgeMs: null, code: 'not.authorized' },
    });
    const pendingOk = attempt('post', 'applied', { acwPending: true, endedAgoMs: 10 * 60_000 }, 'b');
    const s = summarizeVerdict(verdict([...refused, pendingOk]));
    expect(s.conclusion).toBe('only-during-acw');
    expect(s.matrix.find((c) => c.method === 'post' && c.phase === 'during')?.answer).toBe('yes');
  });

  it('applied young, refused old: refused past an age', () => {
    const s = summarizeVerdict(
      verdict([
        attempt('post', 'applied', { endedAgoMs: 2 * HOUR }, 'a'),
        attempt('post', 'refused', { endedAgoMs: 30 * HOUR }, 'b'),
        attempt('patch', 'refused', { endedAgoMs: 30 * HOUR }, 'b'),
      ]),
    );
    expect(s).toMatchObject({ conclusion: 'refused-past-age', rule: { minAgeMs: 30 * HOUR } });
  });

  it('only unknown or code refusals: inconclusive', () => {
    expect(summarizeVerdict(verdict([attempt('post', 'unknown'), attempt('post', 'refused-code')])).conclusion).toBe('inconclusive');
  });

  it('refused only while ACW was pending: refused', () => {
    expect(summarizeVerdict(verdict([attempt('post', 'refused', { acwPending: true })])).conclusion).toBe('refused');
  });
});

describe('ages', () => {
  it('picks a readable unit', () => {
    expect(ageParts(45 * 60_000)).toEqual({ value: 45, unit: 'minute' });
    expect(ageParts(3 * HOUR)).toEqual({ value: 3, unit: 'hour' });
    expect(ageParts(72 * HOUR)).toEqual({ value: 3, unit: 'day' });
    expect(formatAge('en', 3 * HOUR)).toBe('3 hours');
    expect(formatAge('de', 3 * HOUR)).toBe('3 Stunden');
  });
});

describe('report', () => {
  const probes: ProbeRecord[] = [
    {
      id: 'page-size',
      ok: true,
      sent: 'POST /api/v2/analytics/conversations/details/query {"paging":{"pageSize":200}}',
      received: 'HTTP 200 · conversations: 3',
      contextId: 'probe-ctx',
      facts: { accepted: true },
    },
    { id: 'rate-headers', ok: false, sent: '(the 6 responses of this check)', received: 'readable: none', contextId: null, facts: { readable: false } },
  ];
  const v = verdict([attempt('post', 'refused', {}, 'z'), attempt('patch', 'applied', {}, 'z')], probes);
  const ctx = { appVersion: '1.2.3', platform: 'Genesys Cloud mypurecloud.ie', orgName: 'Acme', userName: 'Sam', generatedAt: '2026-05-04T11:00:00.000Z' };

  it('Markdown: the verdict, every attempt and probe, every contextId', () => {
    const md = reportMarkdown(v, ctx);
    expect(md).toContain('POST refused, PATCH applied: the app writes by PATCH.');
    expect(md).toContain('| PATCH | yes (up to 3 hours after the end) | not tested yet |');
    for (const id of contextIds(v)) expect(md).toContain(id);
    expect(contextIds(v)).toEqual(expect.arrayContaining(['probe-ctx', v.attempts[0]!.contextId!, v.attempts[1]!.contextId!]));
    expect(md).toContain("Only the participant's own user may set its wrap-up.");
  });

  it('JSON: rebuilt field by field (nothing else the verdict carries), every contextId', () => {
    const withExtra = { ...v, token: 'SECRET-TOKEN', attempts: v.attempts.map((a) => ({ ...a, authorization: 'Bearer SECRET-TOKEN' })) } as PlatformVerdict;
    const json = reportJson(withExtra, ctx);
    expect(json).not.toContain('SECRET-TOKEN');
    const parsed = JSON.parse(json) as {
      summary: { conclusion: string; writeMethod: string };
      attempts: { contextId: string }[];
      probes: { contextId: string | null }[];
    };
    expect(parsed.summary).toMatchObject({ conclusion: 'patch', writeMethod: 'patch' });
    expect([...parsed.attempts.map((a) => a.contextId), ...parsed.probes.map((p) => p.contextId)].filter(Boolean).sort()).toEqual(contextIds(v).sort());
  });
});

describe('verdict store', () => {
  it('probe runs replace the probes, write probes append attempts, one update at a time', async () => {
    const factory = new IDBFactory();
    const a1 = attempt('post', 'refused', {}, 'q');
    const a2 = attempt('patch', 'applied', {}, 'q');
    const probe: ProbeRecord = { id: 'page-size', ok: true, sent: 's', received: 'r', contextId: null, facts: {} };
    await Promise.all([
      updateVerdict(owner, (cur) => withAttempts(cur, owner, [a1], '2026-05-04T10:00:00.000Z'), factory),
      updateVerdict(owner, (cur) => withProbes(cur, owner, [probe], '2026-05-04T10:01:00.000Z'), factory),
      updateVerdict(owner, (cur) => withAttempts(cur, owner, [a2], '2026-05-04T10:02:00.000Z'), factory),
    ]);
    const stored = await loadVerdict(owner.orgId, owner.userId, factory);
    expect(stored).toMatchObject({ version: 1, orgId: 'org-1', userId: 'u-1', checkedAt: '2026-05-04T10:02:00.000Z', probes: [probe] });
    expect(stored?.attempts).toEqual([a1, a2]);
    // Per org and user: another user of the same org has none.
    await expect(loadVerdict('org-1', 'u-2', factory)).resolves.toBeNull();
    await deleteVerdict(owner.orgId, owner.userId, factory);
    await expect(loadVerdict(owner.orgId, owner.userId, factory)).resolves.toBeNull();
  });
});
