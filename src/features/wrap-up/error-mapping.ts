/**
 * From an ApiError to what the supervisor reads (issue 6 item 5). The platform's own message is
 * always shown too (as text), with status, code and contextId for Genesys support; this adds the
 * plain explanation. Message matching is a best effort [L: exact platform messages are unknown],
 * so every 400 falls back to a hint naming both usual causes.
 */
import type { ApiError } from '@/lib/genesys/api-error.ts';

export type FailureReason =
  | 'codeNotAllowed'
  | 'notDisconnected'
  | 'windowClosed'
  | 'notesTooLong'
  | 'notAgent'
  | 'badRequest'
  | 'missingPermission'
  | 'supervisorRefused'
  | 'conversationGone'
  | 'conflict'
  | 'signedOut'
  | 'rateLimited'
  | 'platformError'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'unexpected';

export interface FailureExplanation {
  reason: FailureReason;
  /** For `missingPermission`: the permission the platform named, or the one the write needs. */
  permission?: string;
}

export const WRAPUP_PERMISSION = 'conversation:participant:wrapup';

function permissionFrom(err: ApiError): string {
  const params = err.body?.messageParams;
  const fromParams = params && typeof params === 'object' ? Object.values(params).find((v) => typeof v === 'string' && v.includes(':')) : undefined;
  if (typeof fromParams === 'string') return fromParams;
  const m = /\[([^\]]+)\]/.exec(err.message);
  return m?.[1]?.trim() || WRAPUP_PERMISSION;
}

function badRequestReason(err: ApiError): FailureReason {
  const details = err.details ?? err.body?.details ?? [];
  if (details.some((d) => d.errorCode === 'invalid.wrapup.code')) return 'codeNotAllowed';
  if (details.some((d) => d.fieldName === 'notes')) return 'notesTooLong';
  const msg = err.message.toLowerCase();
  if (/wrap-?up code .*not (valid|allowed)|code .*not (valid|allowed)|invalid .*code/.test(msg)) return 'codeNotAllowed';
  if (/not disconnected|still active|interaction ends|not in a state|state/.test(msg)) return 'notDisconnected';
  if (/window/.test(msg)) return 'windowClosed';
  if (/notes/.test(msg)) return 'notesTooLong';
  if (/not an agent/.test(msg)) return 'notAgent';
  return 'badRequest';
}

export function explainFailure(err: ApiError): FailureExplanation {
  switch (err.kind) {
    case 'network':
      return { reason: 'network' };
    case 'timeout':
      return { reason: 'timeout' };
    case 'aborted':
      return { reason: 'cancelled' };
    case 'usage':
      return { reason: 'unexpected' };
    case 'http':
      break;
  }
  const s = err.status;
  if (s === 400 || s === 422) return { reason: badRequestReason(err) };
  if (s === 401) return { reason: 'signedOut' };
  if (s === 403) {
    return err.code === 'missing.permissions' ? { reason: 'missingPermission', permission: permissionFrom(err) } : { reason: 'supervisorRefused' };
  }
  if (s === 404) return { reason: 'conversationGone' };
  if (s === 409) return { reason: 'conflict' };
  if (s === 429) return { reason: 'rateLimited' };
  if (s >= 500 || s === 0) return { reason: 'platformError' };
  return { reason: 'unexpected' };
}
