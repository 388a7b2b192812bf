/**
 * The planner: the preview before any write (issue 7 item 2).
 *
 * From the selection (conversation ids, optionally one participant each) to one item per agent
 * participant communication, each classified from analytics by the one rule of
 * `@/lib/genesys/wrapup-rules.ts` (the worklist's too): missing / coded / system-coded / active /
 * unanswered / no write path. Then, for the code the user picks: which items will be written, which
 * are skipped and why, and for each code how many items allow it.
 *
 * Requests (the job's budget is the token's budget, shared with the whole app):
 * - analytics details, batched: one request per 100 conversations (`getDetails`);
 * - allowed codes, one listing per QUEUE, not per participant (`listQueueCodes`, cached per plan).
 *   [M] assumption: the participant's allowed list (`.../participants/{pid}/wrapupcodes`, the
 *   authority [H]) equals the codes of the queue the participant was routed through. Trade-off:
 *   a 1,000-item job over 5 queues costs 5 requests instead of 1,000. If the assumption is wrong
 *   for an item, the platform refuses the write with 400 (final, never retried, shown per item
 *   with its message and contextId), so a wrong guess costs one refused request, never a wrong
 *   wrap-up. Items without a queue (direct calls) fall back to the participant's own list.
 * Nothing is written here.
 */
import { DETAILS_BATCH_SIZE } from '@/lib/genesys/api.ts';
import { isUnauthorized, toApiError, type ApiError } from '@/lib/genesys/api-error.ts';
import { mediaPathFromAnalytics, type WrapupMediaPath } from '@/lib/genesys/media.ts';
import { classifySession, codeState, type WrapupState } from '@/lib/genesys/wrapup-rules.ts';
import {
  DEFAULT_JOB_OPTIONS,
  countItems,
  itemKey,
  mayWriteOver,
  type BulkItem,
  type BulkJob,
  type ItemNames,
  type ItemReason,
  type ItemStatus,
  type JobOptions,
  type Observation,
  situationOf,
} from './model.ts';
import { isRefusedBy } from '@/lib/platform-verdict.ts';
import type { BulkPlatform, CodeRef, DetailsConversation, DetailsSession } from './platform-port.ts';
import { namesOf, type Directory } from './item-names.ts';

export interface SelectionEntry {
  conversationId: string;
  /** Only this participant (must be an agent participant of the conversation). */
  participantId?: string;
  /**
   * With `participantId`: only this communication of it (analytics `sessionId`; the worklist knows
   * which one lacks a code). It is still read from analytics: the preview shows its state now.
   */
  communicationId?: string;
  /** Only this agent's participant(s), by the user's email address (an import may name agents so). */
  agentEmail?: string;
}

export interface PlannedItem {
  key: string;
  seq: number;
  conversationId: string;
  participantId: string;
  communicationId: string;
  mediaType: string;
  media: WrapupMediaPath | null;
  queueId: string | null;
  userId: string | null;
  observed: Observation;
  /** Epoch ms the agent's communication ended, or null (open, unknown). */
  endedAt: number | null;
  /** Why the media cannot be written (chat, unknown media), when `media` is null. */
  mediaReason: { code: 'chat-removed' | 'no-write-path'; message: string } | null;
  /** Code ids allowed for this item; null when unknown (not needed, or the listing failed). */
  allowedCodeIds: string[] | null;
  /** Epoch ms the conversation started, when analytics said. */
  conversationStart?: number | null;
  /** The agent's and queue's names, when the directory could be read (`deps.directory`). */
  names?: ItemNames;
}

export interface CodeAvailability {
  id: string;
  name: string;
  /** How many writable candidates (not active, with a write path) allow this code. */
  allowedFor: number;
}

export interface BulkPlan {
  createdAt: number;
  items: PlannedItem[];
  /** Selected conversations analytics did not return. */
  notFound: string[];
  /** Selected participants (or agent emails) that are not agent participants of their conversation. */
  participantsNotFound: SelectionEntry[];
  /** Agent emails that match no user of the org. */
  unknownEmails: string[];
  /** Codes allowed for at least one candidate, most widely allowed first. */
  codes: CodeAvailability[];
  /** Candidates whose allowed list could not be read (the platform decides at write time). */
  codeListErrors: { what: string; error: ApiError }[];
  /** Requests this plan cost. */
  requests: number;
}

export interface PlanDeps {
  platform: Pick<BulkPlatform, 'getDetails' | 'listQueueCodes' | 'participantCodes' | 'listUsers'>;
  /** Conversations read so far, of all selected (analytics batches finish in any order). */
  onProgress?: (read: number, total: number) => void;
  now?: () => number;
  /**
   * The org's users and queues by id, for names in the preview, the job's items and the audit log
   * (issue 16 item 3). Optional: without it (or when it fails) items carry ids only.
   */
  directory?: () => Promise<Directory>;
}

// ---------------------------------------------------------------------------------------------
// Reading analytics

/** The rule's states under the job's names (`not-writable` is `no-write-path`, as journaled). */
const STATUS_OF: Record<WrapupState, Observation['status']> = {
  missing: 'missing',
  'not-writable': 'no-write-path',
  'system-coded': 'system-coded',
  coded: 'coded',
  active: 'active',
  unanswered: 'unanswered',
};

/**
 * What a session's segments say at `at`: `classifySession` of `@/lib/genesys/wrapup-rules.ts`, the
 * same rule as the worklist's. Used by the planner and by the runner's batched re-check. Pending
 * after-call work (an open `wrapup` segment, no code) carries `acwSince`: active below
 * `ACW_GRACE_MS`, missing above it, and then the runner writes it only while an agent's code would be
 * seen (notification watch, or a live read just before the write). The conversation's own end does
 * not matter: the agent's communication may be over while the customer talks to someone else.
 */
export function observeSession(_conversation: DetailsConversation, session: DetailsSession, at: number): Observation {
  const c = classifySession(session, at);
  const o: Observation = { status: STATUS_OF[c.state], codeId: c.code, at };
  if (c.acwSince !== null) o.acwSince = c.acwSince;
  return o;
}

/** A live read of the wrap-up alone (no segments): a code, or missing. */
export function observeCode(code: string | null, at: number): Observation {
  return { status: codeState(code), codeId: code, at, live: true };
}

function queueOf(session: DetailsSession): string | null {
  let q: string | null = null;
  for (const s of session.segments ?? []) if (s.queueId) q = s.queueId;
  return q;
}

/**
 * The conversations, 100 per request, each with the time its request was made: an observation is
 * no newer than that (a request may wait for the rate limit first, which only makes it older).
 * Stamping them all with the end of the last batch would make early batches look fresher.
 */
async function detailsInBatches(
  platform: PlanDeps['platform'],
  ids: readonly string[],
  now: () => number,
  onProgress?: PlanDeps['onProgress'],
): Promise<{ conversations: { conv: DetailsConversation; readAt: number }[]; requests: number }> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += DETAILS_BATCH_SIZE) batches.push(ids.slice(i, i + DETAILS_BATCH_SIZE));
  let read = 0;
  onProgress?.(0, ids.length);
  const results = await Promise.all(
    batches.map(async (b) => {
      const readAt = now();
      const r = await platform.getDetails(b);
      read += b.length;
      onProgress?.(read, ids.length);
      return r.map((conv) => ({ conv, readAt }));
    }),
  );
  return { conversations: results.flat(), requests: batches.length };
}

// ---------------------------------------------------------------------------------------------
// Planning

export async function planBulk(selection: readonly SelectionEntry[], deps: PlanDeps): Promise<BulkPlan> {
  const now = deps.now ?? Date.now;
  const createdAt = now();
  // Agent emails → user ids: one listing of the org's users, only when an entry names an agent.
  const emails = [...new Set(selection.flatMap((s) => (s.agentEmail ? [s.agentEmail.trim().toLowerCase()] : [])))];
  const userByEmail = new Map<string, string>();
  let userRequests = 0;
  if (emails.length > 0) {
    userRequests = 1;
    for (const u of await deps.platform.listUsers()) userByEmail.set(u.email.trim().toLowerCase(), u.id);
  }
  const unknownEmails = emails.filter((e) => !userByEmail.has(e));

  interface Want {
    /** A line named the conversation alone: every agent participant. */
    all: boolean;
    pids: Set<string>;
    /** userId → the email it came from (for the report). */
    users: Map<string, string>;
    /** Named participants whose lines all named communications: only those (participantId → ids). */
    only: Map<string, Set<string>>;
  }
  // Named participants are kept (and checked) even when another line takes the whole conversation:
  // an unknown one is reported, not swallowed by the whole-conversation line (issue 16 item 4).
  const wanted = new Map<string, Want>();
  for (const s of selection) {
    const cid = s.conversationId.trim();
    if (!cid) continue;
    const want = wanted.get(cid) ?? { all: false, pids: new Set<string>(), users: new Map<string, string>(), only: new Map<string, Set<string>>() };
    wanted.set(cid, want);
    if (!s.participantId && !s.agentEmail) want.all = true;
    else if (s.participantId) {
      const pid = s.participantId;
      // A line naming the participant alone takes all of its communications.
      const only = want.pids.has(pid) ? want.only.get(pid) : new Set<string>();
      if (only && s.communicationId) want.only.set(pid, only.add(s.communicationId));
      else want.only.delete(pid);
      want.pids.add(pid);
    } else if (s.agentEmail) {
      const email = s.agentEmail.trim().toLowerCase();
      const uid = userByEmail.get(email);
      if (uid) want.users.set(uid, email);
    }
  }
  const ids = [...wanted.keys()];
  const { conversations, requests: detailRequests } = await detailsInBatches(deps.platform, ids, now, deps.onProgress);
  const byId = new Map(conversations.filter((c) => c.conv.conversationId).map((c) => [c.conv.conversationId!, c]));

  const items: PlannedItem[] = [];
  const seen = new Set<string>();
  const notFound: string[] = [];
  const participantsNotFound: SelectionEntry[] = [];
  for (const cid of ids) {
    const found = byId.get(cid);
    if (!found) {
      notFound.push(cid);
      continue;
    }
    const { conv, readAt } = found;
    const want = wanted.get(cid)!;
    const agents = (conv.participants ?? []).filter((p) => p.purpose === 'agent' && p.participantId);
    for (const pid of want.pids) if (!agents.some((p) => p.participantId === pid)) participantsNotFound.push({ conversationId: cid, participantId: pid });
    for (const [uid, email] of want.users) if (!agents.some((p) => p.userId === uid)) participantsNotFound.push({ conversationId: cid, agentEmail: email });
    for (const p of agents) {
      const pid = p.participantId!;
      if (!want.all && !want.pids.has(pid) && !(p.userId && want.users.has(p.userId))) continue;
      const only = want.all || (p.userId && want.users.has(p.userId)) ? undefined : want.only.get(pid);
      for (const session of p.sessions ?? []) {
        if (!session.sessionId || (only && !only.has(session.sessionId))) continue;
        const key = itemKey(cid, pid, session.sessionId);
        if (seen.has(key)) continue;
        seen.add(key);
        const resolved = mediaPathFromAnalytics(session.mediaType);
        const observed = observeSession(conv, session, readAt);
        const endedAt = classifySession(session, readAt).endedAt;
        const started = conv.conversationStart ? Date.parse(conv.conversationStart) : Number.NaN;
        items.push({
          key,
          seq: items.length,
          conversationId: cid,
          participantId: pid,
          communicationId: session.sessionId,
          mediaType: session.mediaType ?? 'unknown',
          media: resolved.writable ? resolved.path : null,
          queueId: queueOf(session),
          userId: p.userId ?? null,
          observed,
          endedAt,
          mediaReason: resolved.writable ? null : { code: resolved.code, message: resolved.reason },
          allowedCodeIds: null,
          conversationStart: Number.isNaN(started) ? null : started,
        });
      }
    }
  }

  // Names: read alongside the code listings; a failed read leaves ids (names are for people, not for the write).
  const directory =
    items.length > 0 && deps.directory
      ? deps.directory().catch((e: unknown) => {
          if (isUnauthorized(toApiError(e))) throw e;
          return null;
        })
      : Promise.resolve(null);

  // Allowed codes: one listing per queue; the participant's own list for queue-less candidates.
  const candidates = items.filter(isCandidate);
  const names = new Map<string, string>();
  const codeListErrors: BulkPlan['codeListErrors'] = [];
  let codeRequests = 0;
  const record = (codes: CodeRef[]) => {
    for (const c of codes) names.set(c.id, c.name);
    return codes.map((c) => c.id);
  };
  const guard = async (what: string, load: () => Promise<CodeRef[]>): Promise<string[] | null> => {
    codeRequests += 1;
    try {
      return record(await load());
    } catch (e) {
      const error = toApiError(e);
      if (isUnauthorized(error)) throw error; // sign in again, then preview again
      codeListErrors.push({ what, error });
      return null;
    }
  };
  const queues = [...new Set(candidates.flatMap((i) => (i.queueId ? [i.queueId] : [])))];
  const participants = [...new Map(candidates.filter((i) => !i.queueId).map((i) => [`${i.conversationId}/${i.participantId}`, i])).values()];
  const [queueLists, participantLists] = await Promise.all([
    Promise.all(queues.map((q) => guard(`queue ${q}`, () => deps.platform.listQueueCodes(q)))),
    Promise.all(
      participants.map((i) => guard(`participant ${i.participantId}`, () => deps.platform.participantCodes(i.media, i.conversationId, i.participantId))),
    ),
  ]);
  const byQueue = new Map(queues.map((q, n) => [q, queueLists[n] ?? null]));
  const byParticipant = new Map(participants.map((i, n) => [`${i.conversationId}/${i.participantId}`, participantLists[n] ?? null]));
  for (const item of candidates) {
    item.allowedCodeIds = item.queueId ? (byQueue.get(item.queueId) ?? null) : (byParticipant.get(`${item.conversationId}/${item.participantId}`) ?? null);
  }

  const dir = await directory;
  if (dir) for (const item of items) item.names = namesOf(dir, item.userId, item.queueId);

  const counts = new Map<string, number>();
  for (const item of candidates) for (const id of new Set(item.allowedCodeIds ?? [])) counts.set(id, (counts.get(id) ?? 0) + 1);
  const codes = [...counts]
    .map(([id, allowedFor]) => ({ id, name: names.get(id) ?? id, allowedFor }))
    .sort((a, b) => b.allowedFor - a.allowedFor || a.name.localeCompare(b.name));

  return { createdAt, items, notFound, participantsNotFound, unknownEmails, codes, codeListErrors, requests: userRequests + detailRequests + codeRequests };
}

/** Items a code could be written on at all (whatever the choice): ended, taken, with a write path. */
function isCandidate(item: PlannedItem): boolean {
  const s = item.observed.status;
  return item.media !== null && s !== 'active' && s !== 'unanswered' && s !== 'no-write-path';
}

// ---------------------------------------------------------------------------------------------
// The user's choice → the job

export interface JobChoice {
  code: CodeRef;
  notes: string;
  options?: Partial<JobOptions>;
}

export interface Decision {
  status: Extract<ItemStatus, 'pending' | 'already-coded' | 'skipped'>;
  reason: ItemReason | null;
  message: string | null;
}

export const ACTIVE_MESSAGE = 'The interaction is still going on, or the agent is in after-call work.';
export const UNANSWERED_MESSAGE = 'The agent never took this interaction (alerted or dialed only): no wrap-up is expected.';

/** What the job will do with one planned item (pure; the preview shows it, the job starts from it). */
export function decide(item: PlannedItem, code: CodeRef, options: JobOptions, now: number = Date.now()): Decision {
  if (item.media === null) {
    const m = item.mediaReason ?? { code: 'no-write-path' as const, message: `Media type "${item.mediaType}" has no wrap-up endpoint.` };
    return { status: 'skipped', reason: m.code, message: m.message };
  }
  const { status, codeId } = item.observed;
  if (status === 'active') return { status: 'skipped', reason: 'active', message: ACTIVE_MESSAGE };
  if (status === 'unanswered') return { status: 'skipped', reason: 'unanswered', message: UNANSWERED_MESSAGE };
  if (item.allowedCodeIds && !item.allowedCodeIds.includes(code.id))
    return { status: 'skipped', reason: 'code-not-allowed', message: `"${code.name}" is not allowed for this participant's queue.` };
  if (codeId === code.id) return { status: 'already-coded', reason: 'same-code', message: `Already has "${code.name}".` };
  if (mayWriteOver(codeId, code.id, options)) {
    // A write the platform check learned the platform refuses: skipped unless the user tries anyway.
    if (!options.tryRefused && isRefusedBy(options.refusal ?? null, situationOf(item, now))) {
      return {
        status: 'skipped',
        reason: 'platform-refuses',
        message: `The platform refuses these (learned on ${options.refusal?.learnedAt.slice(0, 10) ?? '?'}).`,
      };
    }
    return { status: 'pending', reason: null, message: null };
  }
  if (status === 'system-coded') return { status: 'skipped', reason: 'system-coded', message: `System code ${codeId ?? ''}; not included.` };
  return { status: 'already-coded', reason: 'coded', message: 'Already has a wrap-up code.' };
}

export type PreviewSummary = Record<
  'write' | 'replace' | 'alreadyCoded' | 'systemCoded' | 'active' | 'unanswered' | 'noWritePath' | 'codeNotAllowed' | 'platformRefuses',
  number
>;

export type PreviewClass = keyof PreviewSummary;

/** Which line of the preview's summary an item counts in (its planned action), from its decision. */
export function previewClass(item: Pick<PlannedItem, 'observed'>, d: Decision): PreviewClass {
  if (d.status === 'pending') return item.observed.codeId === null ? 'write' : 'replace';
  if (d.status === 'already-coded') return 'alreadyCoded';
  if (d.reason === 'system-coded') return 'systemCoded';
  if (d.reason === 'active') return 'active';
  if (d.reason === 'unanswered') return 'unanswered';
  if (d.reason === 'code-not-allowed') return 'codeNotAllowed';
  if (d.reason === 'platform-refuses') return 'platformRefuses';
  return 'noWritePath';
}

/** Each item's planned action, in plan order (the preview's item list filters and pages these). */
export function previewClasses(plan: Pick<BulkPlan, 'items'>, choice: JobChoice, now: number = Date.now()): PreviewClass[] {
  const options = { ...DEFAULT_JOB_OPTIONS, ...choice.options };
  return plan.items.map((item) => previewClass(item, decide(item, choice.code, options, now)));
}

/** The summary's counts from the items' planned actions. */
export function countClasses(classes: readonly PreviewClass[]): PreviewSummary {
  const s: PreviewSummary = {
    write: 0,
    replace: 0,
    alreadyCoded: 0,
    systemCoded: 0,
    active: 0,
    unanswered: 0,
    noWritePath: 0,
    codeNotAllowed: 0,
    platformRefuses: 0,
  };
  for (const k of classes) s[k] += 1;
  return s;
}

export function previewSummary(plan: Pick<BulkPlan, 'items'>, choice: JobChoice, now: number = Date.now()): PreviewSummary {
  return countClasses(previewClasses(plan, choice, now));
}

export function createJob(plan: BulkPlan, choice: JobChoice, meta: { id: string; now: number }): { job: BulkJob; items: BulkItem[] } {
  const options = { ...DEFAULT_JOB_OPTIONS, ...choice.options };
  const items: BulkItem[] = plan.items.map((p) => {
    const d = decide(p, choice.code, options, meta.now);
    return {
      key: p.key,
      seq: p.seq,
      conversationId: p.conversationId,
      participantId: p.participantId,
      communicationId: p.communicationId,
      mediaType: p.mediaType,
      media: p.media,
      queueId: p.queueId,
      userId: p.userId,
      endedAt: p.endedAt,
      ...(p.names ? { names: p.names } : {}),
      ...(p.conversationStart !== undefined ? { conversationStart: p.conversationStart } : {}),
      observed: p.observed,
      plannedCode: p.observed.codeId,
      status: d.status,
      reason: d.reason,
      message: d.message,
      attempts: 0,
      sends: 0,
      readFailures: 0,
      unknownOutcome: false,
      recheck: false,
      lastError: null,
      notBefore: 0,
      updatedAt: meta.now,
    };
  });
  const job: BulkJob = {
    id: meta.id,
    createdAt: meta.now,
    code: { id: choice.code.id, name: choice.code.name },
    notes: choice.notes,
    options,
    state: 'ready',
    pause: null,
    counts: countItems(items),
    updatedAt: meta.now,
  };
  return { job, items };
}
