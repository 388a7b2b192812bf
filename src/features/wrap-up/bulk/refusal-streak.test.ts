import type { ItemError } from './model.ts';
import { RefusalStreak } from './refusal-streak.ts';

const refusal = (code: string, n: number): ItemError => ({
  status: 403,
  code,
  message: `Only the participant's own user may set its wrap-up. (${n})`,
  contextId: `ctx-${n}`,
});

describe('RefusalStreak', () => {
  it('pauses on the K-th refusal in a row with one code, with the code, message, context ids and situations', () => {
    const s = new RefusalStreak(5);
    for (let n = 1; n <= 4; n += 1) expect(s.refused(refusal('not.authorized', n), n % 2 ? 'acw-ended' : 'acw-pending')).toBeNull();
    expect(s.refused(refusal('not.authorized', 5), 'acw-ended')).toEqual({
      kind: 'refusals',
      code: 'not.authorized',
      status: 403,
      message: "Only the participant's own user may set its wrap-up. (5)",
      contextIds: ['ctx-1', 'ctx-2', 'ctx-3', 'ctx-4', 'ctx-5'],
      count: 5,
      situations: ['acw-ended', 'acw-pending'],
    });
  });

  it('a success in between starts the count again', () => {
    const s = new RefusalStreak(3);
    s.refused(refusal('not.authorized', 1), 'acw-ended');
    s.refused(refusal('not.authorized', 2), 'acw-ended');
    s.success();
    expect(s.refused(refusal('not.authorized', 3), 'acw-ended')).toBeNull();
    expect(s.refused(refusal('not.authorized', 4), 'acw-ended')).toBeNull();
    expect(s.refused(refusal('not.authorized', 5), 'acw-ended')?.contextIds).toEqual(['ctx-3', 'ctx-4', 'ctx-5']);
  });

  it('a refusal with another code starts the count again: mixed refusals are items, not a rule', () => {
    const s = new RefusalStreak(3);
    s.refused(refusal('not.authorized', 1), 'acw-ended');
    s.refused(refusal('not.authorized', 2), 'acw-ended');
    expect(s.refused(refusal('bad.request', 3), 'acw-ended')).toBeNull();
    expect(s.refused(refusal('bad.request', 4), 'acw-ended')).toBeNull();
    expect(s.refused(refusal('bad.request', 5), 'acw-ended')?.code).toBe('bad.request');
  });

  it('"continue anyway" with a code: that code no longer pauses, another one still does', () => {
    const s = new RefusalStreak(2);
    s.refused(refusal('not.authorized', 1), 'acw-ended');
    expect(s.refused(refusal('not.authorized', 2), 'acw-ended')).not.toBeNull();
    s.accept('not.authorized');
    for (let n = 3; n < 10; n += 1) expect(s.refused(refusal('not.authorized', n), 'acw-ended')).toBeNull();
    s.refused(refusal('wrapup.not.allowed', 10), 'acw-ended');
    expect(s.refused(refusal('wrapup.not.allowed', 11), 'acw-ended')?.code).toBe('wrapup.not.allowed');
  });

  it('keeps at most 20 context ids', () => {
    const s = new RefusalStreak(30);
    let last = null;
    for (let n = 1; n <= 30; n += 1) last = s.refused(refusal('not.authorized', n), 'acw-ended');
    expect(last?.contextIds).toHaveLength(20);
    expect(last?.count).toBe(30);
  });
});
