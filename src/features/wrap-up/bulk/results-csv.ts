/**
 * Results export (issue 7 item 6): one row per item with its outcome, the platform's message and
 * `contextId`. Formula-safe through `toCsv` (checklist #9): platform text never runs as a formula.
 */
import { toCsv, type CsvCell } from '@/lib/csv.ts';
import type { BulkItem, BulkJob } from './model.ts';

export const RESULTS_CSV_HEADER = [
  'conversationId',
  'participantId',
  'communicationId',
  'mediaType',
  'queueId',
  'userId',
  'outcome',
  'reason',
  'message',
  'httpStatus',
  'errorCode',
  'contextId',
  'attempts',
  'unknownOutcome',
  'codeId',
  'codeName',
  'updatedAt',
  'mayHaveReplacedCode',
] as const;

export function resultsCsv(job: Pick<BulkJob, 'code'>, items: readonly BulkItem[]): string {
  const rows = [...items]
    .sort((a, b) => a.seq - b.seq)
    .map((it): CsvCell[] => [
      it.conversationId,
      it.participantId,
      it.communicationId,
      it.mediaType,
      it.queueId,
      it.userId,
      it.status,
      it.reason,
      it.message,
      it.lastError && it.lastError.status > 0 ? it.lastError.status : null,
      it.lastError?.code ?? null,
      it.lastError?.contextId ?? null,
      it.attempts,
      it.unknownOutcome,
      job.code.id,
      job.code.name,
      new Date(it.updatedAt).toISOString(),
      it.mayHaveReplaced?.code ?? null,
    ]);
  return toCsv(RESULTS_CSV_HEADER, rows);
}
