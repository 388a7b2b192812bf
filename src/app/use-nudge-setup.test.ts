import { myWrapupsLink, nudgeSuggestion } from './use-nudge-setup.ts';

describe('which of "fix it yourself" and "ask the agent" the worklist suggests first (issue 18 item 3)', () => {
  const refusal = { afterAcw: true, minAgeMs: null, learnedAt: '2026-12-03T10:00:00.000Z', code: 'not.authorized', message: 'no' };

  it("the verdict refuses the supervisor's writes: ask the agent first", () => {
    expect(nudgeSuggestion(refusal, true)).toEqual({ suggestFirst: 'nudge', reason: { kind: 'refused', learnedAt: refusal.learnedAt } });
  });
  it('the user may not write: ask the agent first', () => {
    expect(nudgeSuggestion(null, false)).toEqual({ suggestFirst: 'nudge', reason: { kind: 'no-write' } });
  });
  it('nothing refused (or no verdict yet): fix it yourself first', () => {
    expect(nudgeSuggestion(null, true)).toEqual({ suggestFirst: 'fix', reason: null });
    expect(nudgeSuggestion(undefined, undefined)).toEqual({ suggestFirst: 'fix', reason: null });
  });
  it("the link into the app is the agent's own list, under the app's base path", () => {
    expect(myWrapupsLink('https://desk.example', '/wrapup/')).toBe('https://desk.example/wrapup/my');
    expect(myWrapupsLink('http://127.0.0.1:5173', '/')).toBe('http://127.0.0.1:5173/my');
  });
});
