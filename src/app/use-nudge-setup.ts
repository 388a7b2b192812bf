/**
 * What the worklist's "Nudge" needs (issue 18 item 3), composed here from auth (who signed in, what
 * they may do) and the platform check's verdict (features do not import each other): which of
 * "fix it yourself" and "ask the agent" comes first, whether a chat message may be sent, and the
 * link to the agent's own list.
 */
import { useMemo } from 'react';
import { useMe } from '@/features/auth/auth-queries.ts';
import { hasPermission } from '@/features/auth/permissions.ts';
import type { NudgeSetup } from '@/features/conversations/nudge.ts';
import { CHAT_MESSAGE_PERMISSIONS } from '@/lib/genesys/chat.ts';
import type { PlatformFacts } from './use-platform-verdict.ts';

/** The agent's "My missing wrap-ups" page of this app, absolute (it goes into a chat message). */
export function myWrapupsLink(origin: string = window.location.origin, base: string = import.meta.env.BASE_URL): string {
  return new URL(`${base.endsWith('/') ? base : `${base}/`}my`, origin).href;
}

/**
 * `suggestFirst` is `nudge` when the verdict learned that the platform refuses the supervisor's
 * writes (a refusal rule, at any age), or when the user may not write wrap-ups at all; otherwise
 * `fix` (the default with no verdict: nothing says the supervisor cannot fix it).
 */
export function nudgeSuggestion(refusal: PlatformFacts['refusal'] | undefined, canWrite: boolean | undefined): Pick<NudgeSetup, 'suggestFirst' | 'reason'> {
  if (refusal) return { suggestFirst: 'nudge', reason: { kind: 'refused', learnedAt: refusal.learnedAt } };
  if (canWrite === false) return { suggestFirst: 'nudge', reason: { kind: 'no-write' } };
  return { suggestFirst: 'fix', reason: null };
}

export function useNudgeSetup(platform: PlatformFacts | undefined, canWrite: boolean | undefined): NudgeSetup | undefined {
  const me = useMe();
  const orgId = me.data?.organization?.id ?? '';
  const userId = me.data?.id ?? '';
  const permissions = me.data?.authorization?.permissions;
  const refusal = platform?.refusal;
  return useMemo(() => {
    if (!orgId || !userId) return undefined;
    return {
      ...nudgeSuggestion(refusal, canWrite),
      canSend: permissions ? CHAT_MESSAGE_PERMISSIONS.some((p) => hasPermission(permissions, p)) : undefined,
      sendPermissions: CHAT_MESSAGE_PERMISSIONS,
      owner: { orgId, userId },
      appLink: myWrapupsLink(),
    };
  }, [orgId, userId, permissions, refusal, canWrite]);
}
