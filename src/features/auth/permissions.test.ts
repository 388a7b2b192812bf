import { featureAccess, grants, hasPermission } from './permissions.ts';

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
