/**
 * TanStack Query for the platform check: the stored verdict, the read-only probe run (a query: it
 * runs when the page opens, "Run again" refetches it) and the write probe (a mutation). Every
 * platform call goes through `src/lib/genesys/api.ts`, so the shared rate limiter counts it.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createNotificationChannel,
  getCommunicationWrapup,
  getConversation,
  getConversationDetailsJobsAvailability,
  getMe,
  getParticipantWrapup,
  getParticipantWrapupCodes,
  hasParticipantPatch,
  patchParticipantWrapup,
  postCommunicationWrapup,
  queryConversationDetails,
} from '@/lib/genesys/api.ts';
import type { WrapupMediaPath } from '@/lib/genesys/media.ts';
import type { CallOptions, ResponseSeen } from '@/lib/genesys/http-client.ts';
import { deleteVerdict, loadVerdict, verdictQueryKey, type WriteAttempt } from '@/lib/platform-verdict.ts';
import { openSocketOnce, runReadOnlyProbes, type AccessCheck, type ProbeRun } from './probes.ts';
import { updateVerdict, withAttempts, withProbes, type VerdictOwner } from './verdict-store.ts';
import {
  PROBE_WRITE_TIMEOUT_MS,
  runWriteProbe,
  type WriteProbeCode,
  type WriteProbeDeps,
  type WriteProbeResult,
  type WriteProbeTarget,
} from './write-probe.ts';

export const platformCheckQueries = {
  all: () => ['platform-check'] as const,
  verdict: (owner: VerdictOwner) =>
    queryOptions({ queryKey: verdictQueryKey(owner.orgId, owner.userId), queryFn: () => loadVerdict(owner.orgId, owner.userId), staleTime: Infinity }),
  /** The participant's allowed codes (the authority on what may be written). */
  codes: (target: Pick<WriteProbeTarget, 'media' | 'conversationId' | 'participantId'>) =>
    queryOptions({
      queryKey: [...platformCheckQueries.all(), 'codes', target.media, target.conversationId, target.participantId] as const,
      queryFn: ({ signal }) => getParticipantWrapupCodes(target.media, target.conversationId, target.participantId, { signal }),
      staleTime: 60_000,
    }),
};

export interface ProbeRunResult extends ProbeRun {
  /** False when the results could not be stored (IndexedDB unavailable or full). */
  saved: boolean;
}

/**
 * The read-only probes: run on the page's first opening (kept for the session; "Run again" refetches),
 * stored in the verdict, the verdict query refreshed.
 */
export function useProbeRun(owner: VerdictOwner | null, access: AccessCheck) {
  const queryClient = useQueryClient();
  // `access` is the auth feature's fixed permission table (a function): not a key part.
  // eslint-disable-next-line @tanstack/query/exhaustive-deps
  return useQuery({
    queryKey: [...platformCheckQueries.all(), 'probes', owner] as const,
    enabled: owner !== null,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    queryFn: async (): Promise<ProbeRunResult> => {
      const run = await runReadOnlyProbes({
        getMe: (o) => getMe(o),
        queryDetails: (body, o) => queryConversationDetails(body, o),
        createChannel: (o) => createNotificationChannel(o),
        jobsAvailability: (o) => getConversationDetailsJobsAvailability(o),
        openSocket: (url, ms) => openSocketOnce(url, ms),
        access,
        now: Date.now,
      });
      let saved = false;
      if (owner) {
        try {
          await updateVerdict(owner, (v) => withProbes(v, owner, run.records, run.finishedAt));
          saved = true;
        } catch {
          saved = false;
        }
        await queryClient.invalidateQueries({ queryKey: verdictQueryKey(owner.orgId, owner.userId) });
      }
      return { ...run, saved };
    },
  });
}

/** A write's correlation id, read from its answer (the contextId of a success). */
function correlated(fn: (options: Omit<CallOptions, 'retry'>) => Promise<void>): Promise<{ contextId: string | null }> {
  let contextId: string | null = null;
  const onResponse = (s: ResponseSeen) => {
    contextId = s.headers['inin-correlation-id'] ?? contextId;
  };
  return fn({ timeoutMs: PROBE_WRITE_TIMEOUT_MS, onResponse }).then(() => ({ contextId }));
}

export const writeProbeDeps: WriteProbeDeps = {
  readWrapup: (t) => getCommunicationWrapup(t.media, t.conversationId, t.participantId, t.communicationId),
  readParticipantWrapup: (t) => getParticipantWrapup(t.media, t.conversationId, t.participantId),
  readConversation: (id) => getConversation(id),
  post: (t, body) => correlated((o) => postCommunicationWrapup(t.media, t.conversationId, t.participantId, t.communicationId, body, o)),
  patch: (t, body) => correlated((o) => patchParticipantWrapup(t.media, t.conversationId, t.participantId, body, o)),
  hasPatch: (media: WrapupMediaPath) => hasParticipantPatch(media),
  now: Date.now,
  newId: () => globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`,
};

export interface WriteProbeOutcome extends WriteProbeResult {
  /** False when the attempts could not be stored in the verdict. */
  saved: boolean;
}

/**
 * The write probe: runs the sequence, appends its attempts to the verdict, refreshes the verdict
 * query, and hands the attempts to `onAttempts` (the route records them in the audit log).
 */
export function useWriteProbe(
  owner: VerdictOwner | null,
  hooks: { ensureRecordable?: () => Promise<void>; onAttempts?: (attempts: WriteAttempt[], code: WriteProbeCode) => Promise<void> | void },
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ target, code }: { target: WriteProbeTarget; code: WriteProbeCode }): Promise<WriteProbeOutcome> => {
      if (!owner) throw new Error('No signed-in user.');
      await hooks.ensureRecordable?.();
      const result = await runWriteProbe(writeProbeDeps, target, code);
      let saved = true;
      if (result.attempts.length > 0) {
        try {
          await updateVerdict(owner, (v) => withAttempts(v, owner, result.attempts, new Date().toISOString()));
        } catch {
          saved = false;
        }
        await hooks.onAttempts?.(result.attempts, code);
      }
      return { ...result, saved };
    },
    onSettled: () => (owner ? queryClient.invalidateQueries({ queryKey: verdictQueryKey(owner.orgId, owner.userId) }) : undefined),
  });
}

export function useVerdict(owner: VerdictOwner | null) {
  return useQuery({ ...platformCheckQueries.verdict(owner ?? { orgId: '', userId: '' }), enabled: owner !== null });
}

export function useForgetVerdict(owner: VerdictOwner | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      if (owner) await deleteVerdict(owner.orgId, owner.userId);
    },
    onSettled: () => (owner ? queryClient.invalidateQueries({ queryKey: verdictQueryKey(owner.orgId, owner.userId) }) : undefined),
  });
}
