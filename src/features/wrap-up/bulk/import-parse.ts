/**
 * Import of a job's targets (issue 7 item 1, checklist #10): pasted text or an uploaded CSV of
 * conversation ids, optionally with a participant id per line. Pure: it only reads the text and
 * reports every bad line before anything else happens (no request, no write).
 *
 * Accepted lines: `conversationId`, `conversationId,participantId` or `conversationId,agent email`
 * (comma, semicolon or tab), an optional first line naming the columns (words only, e.g.
 * `conversationId,participantId`), blank lines ignored. Every other line is either used or reported
 * with its number and reason (issue 16 item 4: no line is dropped silently). Per-line problems:
 * - `malformed`: not a conversation id (or a second column that is not a participant id), or more
 *   than two columns; a first line that is not a plain header counts as data;
 * - `duplicate`: the same target as an earlier line;
 * After the preview has read the platform, `notFoundReport` adds:
 * - `not-found`: the platform has no such conversation (in analytics);
 * - `unknown`: the participant (or the agent named by email) is not an agent participant of that
 *   conversation, also when another line takes the whole conversation;
 * - `unknown-agent`: no user of the org has that email address;
 * - `nothing-to-write`: the conversation (or the named participant) has no agent communication
 *   at all, e.g. a call that ended in the IVR or the queue.
 */
import type { SelectionEntry } from './planner.ts';

export type ImportProblemKind = 'malformed' | 'duplicate' | 'not-found' | 'unknown' | 'unknown-agent' | 'nothing-to-write';
export type MalformedReason = 'conversation-id' | 'participant-id' | 'too-many-columns';

export interface ImportProblem {
  /** 1-based line number in the input. */
  line: number;
  kind: ImportProblemKind;
  reason?: MalformedReason;
  /** The line as given, cut to 200 characters (shown as text, never as markup). */
  text: string;
}

export interface ImportResult {
  entries: (SelectionEntry & { line: number })[];
  /** The first `IMPORT_MAX_REPORTED` lines with problems, in line order. */
  problems: ImportProblem[];
  /** Every line with a problem, also those past `IMPORT_MAX_REPORTED` (counted, not listed). */
  problemCount: number;
  /** Non-blank lines read (header excluded): entries + problemCount. */
  lines: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Bigger inputs are refused as a whole (10 MB of noise must not freeze the tab). */
export const IMPORT_MAX_CHARS = 12_000_000;
/**
 * Lines with problems kept for the report; the rest are counted. Every line is read (the size
 * limit bounds them): a long list is never cut silently, and noise cannot fill the memory.
 */
export const IMPORT_MAX_REPORTED = 10_000;

function unquote(cell: string): string {
  const c = cell.trim();
  return c.length >= 2 && c.startsWith('"') && c.endsWith('"') ? c.slice(1, -1).replace(/""/g, '"').trim() : c;
}

/**
 * A header names columns: one or two cells of words only, one of them about the conversation. A
 * first line with digits or other text (`Conversation export 2025-03-01`) is data, so it is
 * reported instead of being skipped unseen.
 */
function looksLikeHeader(cells: string[]): boolean {
  return cells.length <= 2 && cells.some((c) => /conversation/i.test(c)) && cells.every((c) => /^[\p{L} _.-]*$/u.test(c));
}

export function parseImport(text: string): ImportResult {
  const entries: ImportResult['entries'] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let lines = 0;
  let problemCount = 0;
  const report = (p: ImportProblem) => {
    problemCount += 1;
    if (problems.length < IMPORT_MAX_REPORTED) problems.push(p);
  };
  for (let i = 0; i < raw.length; i++) {
    const lineText = raw[i]!;
    if (lineText.trim() === '') continue;
    const cells = lineText.split(/[,;\t]/).map(unquote);
    while (cells.length > 1 && cells[cells.length - 1] === '') cells.pop();
    if (lines === 0 && looksLikeHeader(cells)) continue;
    lines += 1;
    const line = i + 1;
    const shown = lineText.length > 200 ? `${lineText.slice(0, 200)}…` : lineText;
    const bad = (reason: MalformedReason) => report({ line, kind: 'malformed', reason, text: shown });
    if (cells.length > 2) {
      bad('too-many-columns');
      continue;
    }
    const [cid = '', second = ''] = cells;
    if (!UUID.test(cid)) {
      bad('conversation-id');
      continue;
    }
    const isEmail = EMAIL.test(second);
    if (second !== '' && !UUID.test(second) && !isEmail) {
      bad('participant-id');
      continue;
    }
    const conversationId = cid.toLowerCase();
    const other = second === '' ? undefined : second.toLowerCase();
    const key = `${conversationId}/${other ?? '*'}`;
    if (seen.has(key)) {
      report({ line, kind: 'duplicate', text: shown });
      continue;
    }
    seen.set(key, line);
    if (other === undefined) entries.push({ conversationId, line });
    else entries.push(isEmail ? { conversationId, agentEmail: other, line } : { conversationId, participantId: other, line });
  }
  return { entries, problems, problemCount, lines };
}

/**
 * The lines the platform did not know, from the plan's `notFound`, `participantsNotFound` and
 * `unknownEmails`; with the plan's `items`, also the lines that name something real but give
 * nothing to write (`nothing-to-write`).
 */
export function notFoundReport(
  entries: ImportResult['entries'],
  notFound: readonly string[],
  participantsNotFound: readonly SelectionEntry[],
  unknownEmails: readonly string[] = [],
  planned?: readonly { conversationId: string; participantId: string }[],
): ImportProblem[] {
  const missing = new Set(notFound.map((c) => c.toLowerCase()));
  const targetOf = (p: SelectionEntry) => `${p.conversationId.toLowerCase()}/${(p.participantId ?? p.agentEmail ?? '').toLowerCase()}`;
  const badParticipants = new Set(participantsNotFound.map(targetOf));
  const noSuchUser = new Set(unknownEmails.map((e) => e.toLowerCase()));
  const withItems = new Set<string>();
  for (const i of planned ?? []) {
    withItems.add(i.conversationId.toLowerCase());
    withItems.add(`${i.conversationId.toLowerCase()}/${i.participantId.toLowerCase()}`);
  }
  // A line by email names a user, not a participant: covered by `participantsNotFound`.
  const yieldsNothing = (e: SelectionEntry) =>
    planned !== undefined &&
    !e.agentEmail &&
    !withItems.has(e.participantId ? `${e.conversationId.toLowerCase()}/${e.participantId.toLowerCase()}` : e.conversationId.toLowerCase());
  const out: ImportProblem[] = [];
  for (const e of entries) {
    const other = e.participantId ?? e.agentEmail;
    const text = other ? `${e.conversationId},${other}` : e.conversationId;
    if (e.agentEmail && noSuchUser.has(e.agentEmail)) out.push({ line: e.line, kind: 'unknown-agent', text });
    else if (missing.has(e.conversationId.toLowerCase())) out.push({ line: e.line, kind: 'not-found', text });
    else if (other && badParticipants.has(targetOf(e))) out.push({ line: e.line, kind: 'unknown', text });
    else if (yieldsNothing(e)) out.push({ line: e.line, kind: 'nothing-to-write', text });
  }
  return out;
}
