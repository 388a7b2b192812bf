import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Models } from '@/lib/genesys/sdk.ts';
import type { ApiError } from '@/lib/genesys/api-error.ts';
import { applyWrapup, attemptOf, verifyAfterUnknown, type ApplyRequest, type ApplyResult, type WriteAttempt } from './apply-wrapup.ts';
import { wrapupQueries } from './wrapup-queries.ts';
import type { WrapupWriteMethod } from '@/lib/genesys/api.ts';

export interface ApplyCallbacks {
  /** After a write the platform accepted: the route refreshes other features' queries. */
  onApplied?: (req: ApplyRequest, result: Extract<ApplyResult, { outcome: 'applied' }>) => unknown;
  /** Every attempt, for the audit log (the route records it; this feature does not know the audit feature). */
  onAttempt?: (attempt: WriteAttempt) => unknown;
  /**
   * Resolves when an attempt can be recorded (the route: the audit log opens). A rejection refuses
   * the write before anything is sent: every write attempt is logged, as bulk jobs require too.
   */
  ensureRecordable?: () => Promise<unknown>;
  /** POST (default) or PATCH: the platform check's verdict for this org (the route hands it in). */
  method?: WrapupWriteMethod;
}

/** The write was refused before anything was sent: its attempt could not have been recorded. */
export class NotRecordableError extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'NotRecordableError';
  }
}

type Action =
  { kind: 'apply'; req: ApplyRequest } | { kind: 'verify'; req: ApplyRequest; before: Models.AssignedWrapupCode | undefined; error: ApiError; sentAt: number };

/**
 * One mutation for "apply" and "check again" (re-read only). No optimistic update: the result is
 * what the platform says; afterwards this feature's queries for the conversation are invalidated.
 */
export function useApplyWrapup({ onApplied, onAttempt, ensureRecordable, method = 'post' }: ApplyCallbacks) {
  const queryClient = useQueryClient();
  // Every write of this form goes by the org's method; the audit entry says which.
  const withMethod = (req: ApplyRequest): ApplyRequest => (req.method ? req : { ...req, method });
  return useMutation<ApplyResult, Error, Action>({
    mutationFn: async (action) => {
      if (action.kind === 'verify') return verifyAfterUnknown(withMethod(action.req), action.before, action.error, action.sentAt);
      try {
        await ensureRecordable?.();
      } catch (e) {
        throw new NotRecordableError(e);
      }
      return applyWrapup(withMethod(action.req));
    },
    onSuccess: async (result, action) => {
      try {
        await onAttempt?.(attemptOf(withMethod(action.req), result, new Date()));
      } catch {
        // Recording is the route's job and it reports its own failures; the write's result stands.
      }
      await queryClient.invalidateQueries({ queryKey: wrapupQueries.conversationKey(action.req.target.conversationId) });
      if (result.outcome === 'applied') await onApplied?.(action.req, result);
    },
  });
}
