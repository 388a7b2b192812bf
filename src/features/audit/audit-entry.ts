/**
 * One line of the audit log: a write attempt as the supervisor made it. Never a token: entries are
 * rebuilt field by field from a fixed list, so nothing else a caller passes is stored.
 *
 * An entry belongs to one person: the org and user who made the attempt (issue 16 item 5). A browser
 * shared by several people shows each of them only their own entries (`ownEntries`).
 */
export const AUDIT_OUTCOMES = ['applied', 'already-coded', 'refused', 'failed', 'not-applied', 'unknown'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntryInput {
  /** ISO time of the attempt. */
  time: string;
  /**
   * The org the attempt was made in. Entries from before per-user logs have none (read as ''):
   * they are shown to the user named in `supervisorId` (see `ownEntries`).
   */
  orgId: string;
  /** The signed-in user who made the attempt (the entry's owner). */
  supervisorId: string;
  supervisorName: string;
  conversationId: string;
  participantId: string;
  communicationId: string;
  /** Wrap-up media path (calls, emails, ...). */
  media: string;
  /**
   * Who and where by name, as known when the write was made (issue 16 item 3). Absent in entries
   * from before, and where the writer did not know them: the page shows the ids then.
   */
  agentId?: string;
  agentName?: string;
  agentEmail?: string;
  queueId?: string;
  queueName?: string;
  /** ISO time the conversation started. */
  conversationStart?: string;
  codeId: string;
  codeName: string;
  notes: string;
  replace: boolean;
  /** How it was written: the POST (default; entries from before the PATCH path) or the participant PATCH. */
  method?: 'post' | 'patch';
  outcome: AuditOutcome;
  status: number | null;
  errorCode: string | null;
  message: string | null;
  contextId: string | null;
  /**
   * One write request: entries with the same id are what was known about it at each step (e.g.
   * "unknown" when its answer was lost, then "applied" when a re-read found it). The log shows and
   * counts the latest (`latestPerWrite`), so a correction never counts a write twice (issue 14
   * finding 10). Absent: an entry of its own.
   */
  writeId?: string;
}

export interface AuditEntry extends AuditEntryInput {
  /** Order of appending (IndexedDB key). */
  seq: number;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

const OPTIONAL_TEXTS = ['agentId', 'agentName', 'agentEmail', 'queueId', 'queueName'] as const;

/** The optional names, each kept only when it is a non-empty string (capped: nothing else rides along). */
function optionalTexts(input: AuditEntryInput): Partial<Pick<AuditEntryInput, (typeof OPTIONAL_TEXTS)[number] | 'conversationStart'>> {
  const out: Partial<Record<(typeof OPTIONAL_TEXTS)[number] | 'conversationStart', string>> = {};
  for (const k of OPTIONAL_TEXTS) {
    const v = input[k];
    if (typeof v === 'string' && v !== '') out[k] = v.slice(0, 500);
  }
  if (typeof input.conversationStart === 'string' && !Number.isNaN(Date.parse(input.conversationStart))) out.conversationStart = input.conversationStart;
  return out;
}

export function sanitizeEntry(input: AuditEntryInput): AuditEntryInput {
  const outcome = (AUDIT_OUTCOMES as readonly string[]).includes(input.outcome) ? input.outcome : 'unknown';
  const time = Number.isNaN(Date.parse(input.time)) ? new Date().toISOString() : input.time;
  return {
    time,
    orgId: text(input.orgId),
    supervisorId: text(input.supervisorId),
    supervisorName: text(input.supervisorName),
    conversationId: text(input.conversationId),
    participantId: text(input.participantId),
    communicationId: text(input.communicationId),
    media: text(input.media),
    ...optionalTexts(input),
    codeId: text(input.codeId),
    codeName: text(input.codeName),
    notes: text(input.notes),
    replace: input.replace === true,
    method: input.method === 'patch' ? 'patch' : 'post',
    outcome,
    status: typeof input.status === 'number' && Number.isFinite(input.status) ? input.status : null,
    errorCode: textOrNull(input.errorCode),
    message: textOrNull(input.message),
    contextId: textOrNull(input.contextId),
    ...(typeof input.writeId === 'string' && input.writeId !== '' ? { writeId: input.writeId.slice(0, 300) } : {}),
  };
}

/** Whose audit log is shown: the signed-in user in their org. */
export interface AuditOwner {
  orgId: string;
  userId: string;
}

/**
 * The entries of one person, and how many entries name nobody. An entry is the owner's when it
 * carries their org and user id. Entries written before logs were per user carry no org: they are
 * the owner's when they name the owner's user id (a platform user id is unique across orgs, so no
 * one else's entry can carry it). Entries that name no user at all (written before the app knew who
 * was signed in) cannot be given to anyone: they stay in this browser, are counted, and are shown
 * to no one, since showing them to everybody is what let one person read another's notes.
 */
export function ownEntries(entries: readonly AuditEntry[], owner: AuditOwner): { entries: AuditEntry[]; unowned: number } {
  const mine: AuditEntry[] = [];
  let unowned = 0;
  if (!owner.userId) return { entries: mine, unowned };
  for (const raw of entries) {
    const e = raw.orgId === undefined ? { ...raw, orgId: '' } : raw;
    if (!e.supervisorId) unowned += 1;
    else if (e.supervisorId === owner.userId && (e.orgId === owner.orgId || e.orgId === '')) mine.push(e);
  }
  return { entries: mine, unowned };
}
