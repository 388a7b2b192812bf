/**
 * What each feature needs from the signed-in user's permissions (GET /api/v2/users/me?expand=authorization).
 * Permission strings are `domain:entity:action`; the platform's lists may contain `*` wildcards in any part.
 */
export const FEATURE_PERMISSIONS = {
  worklist: ['analytics:conversationDetail:view'],
  details: ['conversation:communication:view'],
  codes: ['routing:wrapupCode:view'],
  write: ['conversation:participant:wrapup'],
} as const;

export type Feature = keyof typeof FEATURE_PERMISSIONS;
export const FEATURES = Object.keys(FEATURE_PERMISSIONS) as Feature[];

export function grants(held: string, needed: string): boolean {
  const h = held.split(':');
  const n = needed.split(':');
  if (h.length === 1 && h[0] === '*') return true;
  if (h.length !== n.length) return false;
  return h.every((part, i) => part === '*' || part === n[i]);
}

export function hasPermission(held: readonly string[], needed: string): boolean {
  return held.some((p) => grants(p, needed));
}

export interface FeatureAccess {
  feature: Feature;
  allowed: boolean;
  missing: string[];
}

export function featureAccess(held: readonly string[]): Record<Feature, FeatureAccess> {
  const out = {} as Record<Feature, FeatureAccess>;
  for (const feature of FEATURES) {
    const missing = FEATURE_PERMISSIONS[feature].filter((p) => !hasPermission(held, p));
    out[feature] = { feature, allowed: missing.length === 0, missing };
  }
  return out;
}
