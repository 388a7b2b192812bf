import { featureAccess, grants, hasPermission, roleOf } from './permissions.ts';

describe('permission check', () => {
  it('matches exact permissions and wildcards', () => {
    expect(grants('conversation:participant:wrapup', 'conversation:participant:wrapup')).toBe(true);
    expect(grants('conversation:participant:*', 'conversation:participant:wrapup')).toBe(true);
    expect(grants('conversation:*:*', 'conversation:participant:wrapup')).toBe(true);
    expect(grants('*', 'routing:wrapupCode:view')).toBe(true);
    expect(grants('conversation:participant:view', 'conversation:participant:wrapup')).toBe(false);
    expect(grants('routing:wrapupCode', 'routing:wrapupCode:view')).toBe(false);
    expect(hasPermission([], 'routing:wrapupCode:view')).toBe(false);
  });

  it('maps each feature to what is missing', () => {
    const viewer = ['analytics:conversationDetail:view', 'conversation:communication:view', 'routing:wrapupCode:view'];
    const access = featureAccess(viewer);
    expect(access.worklist.allowed).toBe(true);
    expect(access.details.allowed).toBe(true);
    expect(access.codes.allowed).toBe(true);
    expect(access.write).toEqual({ feature: 'write', allowed: false, missing: ['conversation:participant:wrapup'] });
    expect(Object.values(featureAccess([])).every((a) => !a.allowed)).toBe(true);
    expect(Object.values(featureAccess(['*'])).every((a) => a.allowed)).toBe(true);
  });
});

describe('who signed in (issue 18)', () => {
  it('a supervisor holds the org-wide analytics permission; anyone else is an agent, with or without agent-scoped analytics', () => {
    expect(roleOf(['analytics:conversationDetail:view', 'conversation:participant:wrapup'])).toEqual({ kind: 'supervisor' });
    expect(roleOf(['analytics:*:view'])).toEqual({ kind: 'supervisor' });
    expect(roleOf(['analytics:agentConversationDetail:view', 'conversation:participant:wrapup'])).toEqual({ kind: 'agent', ownAnalytics: true });
    expect(roleOf(['conversation:participant:wrapup', 'routing:wrapupCode:view'])).toEqual({ kind: 'agent', ownAnalytics: false });
    expect(roleOf([])).toEqual({ kind: 'agent', ownAnalytics: false });
  });
});
