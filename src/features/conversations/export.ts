/**
 * The worklist as CSV: one line per agent participant (in the filter's queue/agent scope) of the
 * rows shown, in the order shown. Cells go through `toCsv`, which defuses formulas (checklist #9):
 * agent names and code names come from the platform and may start with `=`, `+`, `-` or `@`.
 */
import { toCsv, type CsvCell } from '@/lib/csv.ts';
import { agentsInScope, type AgentScope, type ConversationRow, type ParticipantState } from './wrapup-status.ts';

export const CSV_COLUMNS = [
  'conversationId',
  'start',
  'durationSeconds',
  'media',
  'direction',
  'queue',
  'participantId',
  'agent',
  'userId',
  'status',
  'wrapupCode',
  'wrapupCodeId',
  'communicationId',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface CsvFormat {
  header(column: CsvColumn): string;
  queue(id: string): string;
  status(p: ParticipantState): string;
  code(id: string): string;
}

export function worklistCsv(rows: readonly ConversationRow[], scope: AgentScope, fmt: CsvFormat): string {
  const lines: CsvCell[][] = [];
  for (const r of rows)
    for (const a of agentsInScope(r, scope)) {
      const w = a.wrapup;
      lines.push([
        r.id,
        new Date(r.start).toISOString(),
        r.durationMs === null ? null : Math.round(r.durationMs / 1000),
        r.media,
        r.direction,
        a.queueId ? fmt.queue(a.queueId) : null,
        a.participantId,
        a.name,
        a.userId ?? null,
        fmt.status(a),
        w?.code ? fmt.code(w.code) : null,
        w?.code ?? null,
        w?.communicationId ?? a.sessions[a.sessions.length - 1]?.sessionId ?? null,
      ]);
    }
  return toCsv(
    CSV_COLUMNS.map((c) => fmt.header(c)),
    lines,
  );
}

export function csvFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `wrapup-worklist-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.csv`;
}
