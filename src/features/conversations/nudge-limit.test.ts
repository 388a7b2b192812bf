import { NUDGE_INTERVAL_MS, nextNudgeAt, nudgeStorageKey, readNudgeLog, recordNudge } from './nudge-limit.ts';

describe('the nudge rate limit (issue 18 item 3): one per agent per hour, per org and user', () => {
  beforeEach(() => localStorage.clear());

  it('the next nudge is allowed an hour after the last one', () => {
    const t = 1_000_000;
    expect(nextNudgeAt(undefined, t)).toBeNull();
    expect(nextNudgeAt(t, t + 1)).toBe(t + NUDGE_INTERVAL_MS);
    expect(nextNudgeAt(t, t + NUDGE_INTERVAL_MS - 1)).toBe(t + NUDGE_INTERVAL_MS);
    expect(nextNudgeAt(t, t + NUDGE_INTERVAL_MS)).toBeNull();
  });

  it('is kept per org and signed-in user: another user on the same browser has their own', () => {
    const sam = nudgeStorageKey({ orgId: 'o1', userId: 'sam' })!;
    const tess = nudgeStorageKey({ orgId: 'o1', userId: 'tess' })!;
    const otherOrg = nudgeStorageKey({ orgId: 'o2', userId: 'sam' })!;
    recordNudge(sam, 'agent-1', 5_000);
    expect(readNudgeLog(sam)).toEqual({ 'agent-1': 5_000 });
    expect(readNudgeLog(tess)).toEqual({});
    expect(readNudgeLog(otherOrg)).toEqual({});
  });

  it('without a signed-in user nothing is remembered', () => {
    expect(nudgeStorageKey({ orgId: '', userId: 'x' })).toBeNull();
    expect(readNudgeLog(null)).toEqual({});
  });

  it('drops entries whose hour has passed when recording, and survives garbage in storage', () => {
    const key = nudgeStorageKey({ orgId: 'o', userId: 'u' })!;
    recordNudge(key, 'old', 0);
    recordNudge(key, 'new', NUDGE_INTERVAL_MS + 1);
    expect(readNudgeLog(key)).toEqual({ new: NUDGE_INTERVAL_MS + 1 });
    localStorage.setItem(key, '{"a": "yesterday", "b": 7}');
    expect(readNudgeLog(key)).toEqual({ b: 7 });
    localStorage.setItem(key, 'not json');
    expect(readNudgeLog(key)).toEqual({});
  });
});
