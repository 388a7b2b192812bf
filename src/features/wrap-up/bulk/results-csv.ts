/**
 * Results export (issue 7 item 6): one row per item with its outcome, the platform's message and
 * `contextId`. Formula-safe through `toCsv` (checklist #9): platform text never runs as a formula.
 *
 * Column names and the `outcome` and `reason` columns are stable machine values (for scripts and
 * spreadsheets); `text` is what the page says about the item, in the UI's language (`item-text.ts`);
 * `platformMessage` is the platform's own words, as it sent them (English). The agent's name and
 * email, the queue's name and the conversation's start come with the ids (issue 16 item 3).
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
  'text',
  'platformMessage',
  'httpStatus',
  'errorCode',
  'contextId',
  'attempts',
  'unknownOutcome',
  'codeId',
  'codeName',
  'updatedAt',
  'mayHaveReplacedCode',
  // Who and where by name (issue 16 item 3), as known when the job was created; empty in older
  // journals (the id columns above still say who). Added at the end: scripts reading by position keep working.
  'agentName',
  'agentEmail',
  'queueName',
  'conversationStart',
] as const;

/** `describe`: the item's sentence in the UI's language (`itemText(t, item, …).text`). */
export function resultsCsv(job: Pick<BulkJob, 'code'>, items: readonly BulkItem[], describe: (item: BulkItem) => string): string {
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
      describe(it),
      it.lastError?.message ?? null,
      it.lastError && it.lastError.status > 0 ? it.lastError.status : null,
      it.lastError?.code ?? null,
      it.lastError?.contextId ?? null,
      it.attempts,
      it.unknownOutcome,
      job.code.id,
      job.code.name,
      new Date(it.updatedAt).toISOString(),
      it.mayHaveReplaced?.code ?? null,
      it.names?.agentName ?? null,
      it.names?.agentEmail ?? null,
      it.names?.queueName ?? null,
      typeof it.conversationStart === 'number' ? new Date(it.conversationStart).toISOString() : null,
    ]);
  return toCsv(RESULTS_CSV_HEADER, rows);
}
