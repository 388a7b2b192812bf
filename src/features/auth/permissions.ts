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

/** `analytics:conversationDetail:view`: every agent's conversations, what the worklist needs. */
export const SUPERVISOR_ANALYTICS = 'analytics:conversationDetail:view';
/** `analytics:agentConversationDetail:view`: the agent-scoped analytics permission (issue 18). */
export const AGENT_ANALYTICS = 'analytics:agentConversationDetail:view';

/**
 * Who signed in, for what the app shows first (issue 18):
 * - `supervisor`: holds `analytics:conversationDetail:view`: the worklist of every agent.
 * - `agent`: does not: "My missing wrap-ups", their own conversations only. `ownAnalytics` says
 *   whether the analytics details query is open to them (either analytics permission: the query
 *   accepts both [H]); without it only their voice calls can be listed (`calls/history`).
 * An agent granted Conversation Detail > View with the condition "User equals Current User" (what
 * Genesys documents for agents' own interactions) holds the supervisor permission by name and is
 * taken for a supervisor: the worklist then shows what the platform lets them see.
 */
export type UserRole = { kind: 'supervisor' } | { kind: 'agent'; ownAnalytics: boolean };

export function roleOf(held: readonly string[]): UserRole {
  if (hasPermission(held, SUPERVISOR_ANALYTICS)) return { kind: 'supervisor' };
  return { kind: 'agent', ownAnalytics: hasPermission(held, AGENT_ANALYTICS) };
}

/** Features an agent does not use: their missing notice would only alarm them. */
export const SUPERVISOR_ONLY_FEATURES: readonly Feature[] = ['worklist', 'details'];
