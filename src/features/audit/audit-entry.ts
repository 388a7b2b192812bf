/**
 * One line of the audit log: a write attempt as the supervisor made it. Never a token: entries are
 * rebuilt field by field from a fixed list, so nothing else a caller passes is stored.
 */
export const AUDIT_OUTCOMES = ['applied', 'already-coded', 'refused', 'failed', 'not-applied', 'unknown'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntryInput {
  /** ISO time of the attempt. */
  time: string;
  supervisorId: string;
  supervisorName: string;
  conversationId: string;
  participantId: string;
  communicationId: string;
  /** Wrap-up media path (calls, emails, ...). */
  media: string;
  codeId: string;
  codeName: string;
  notes: string;
  replace: boolean;
  outcome: AuditOutcome;
  status: number | null;
  errorCode: string | null;
  message: string | null;
  contextId: string | null;
}

export interface AuditEntry extends AuditEntryInput {
  /** Order of appending (IndexedDB key). */
  seq: number;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function sanitizeEntry(input: AuditEntryInput): AuditEntryInput {
  const outcome = (AUDIT_OUTCOMES as readonly string[]).includes(input.outcome) ? input.outcome : 'unknown';
  const time = Number.isNaN(Date.parse(input.time)) ? new Date().toISOString() : input.time;
  return {
    time,
    supervisorId: text(input.supervisorId),
    supervisorName: text(input.supervisorName),
    conversationId: text(input.conversationId),
    participantId: text(input.participantId),
    communicationId: text(input.communicationId),
    media: text(input.media),
    codeId: text(input.codeId),
    codeName: text(input.codeName),
    notes: text(input.notes),
    replace: input.replace === true,
    outcome,
    status: typeof input.status === 'number' && Number.isFinite(input.status) ? input.status : null,
    errorCode: textOrNull(input.errorCode),
    message: textOrNull(input.message),
    contextId: textOrNull(input.contextId),
  };
}
