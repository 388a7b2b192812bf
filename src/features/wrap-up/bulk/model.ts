/**
 * The bulk wrap-up job model (issue 7): what a job and its items are, their states, and the
 * pure rules that every part (planner, runner, journal, export) shares.
 *
 * One item = one agent participant's communication: the unit the platform writes a wrap-up on.
 * Item states: `pending → in-flight → (applied | already-coded | skipped | failed)`; an item may go
 * back from in-flight to pending (retry after backoff, 401, 429). The four terminal states are
 * final: applied + already-coded + skipped + failed = selected once the job has ended
 * (reliability-checklist #21).
 */
import type { WrapupMediaPath } from '@/lib/genesys/media.ts';
import { ACW_GRACE_MS, isSystemCode } from '@/lib/genesys/wrapup-rules.ts';
import type { RefusalRule, WriteMethod, WriteSituation } from '@/lib/platform-verdict.ts';
import type { WriteErrorClass } from '@/lib/genesys/write-outcome.ts';
import { mayWriteOnto } from '../overwrite-rule.ts';

export type ItemStatus = 'pending' | 'in-flight' | 'applied' | 'already-coded' | 'skipped' | 'failed';
export type TerminalStatus = 'applied' | 'already-coded' | 'skipped' | 'failed';

export const TERMINAL_STATUSES: readonly TerminalStatus[] = ['applied', 'already-coded', 'skipped', 'failed'];

export function isTerminal(status: ItemStatus): status is TerminalStatus {
  return status === 'applied' || status === 'already-coded' || status === 'skipped' || status === 'failed';
}

/**
 * What the planner (or a later re-check) saw on the platform for this communication: the states of
 * `@/lib/genesys/wrapup-rules.ts` (`classifySession`), with `not-writable` named `no-write-path`.
 */
export type CurrentStatus =
  /** Ended, no wrap-up code: the job writes it. */
  | 'missing'
  /** An agent (or anyone) coded it. */
  | 'coded'
  /** A system code (`ININ-WRAP-UP-TIMEOUT`, `ININ-OUTBOUND-*`): the user decides. */
  | 'system-coded'
  /**
   * Still connected, or the agent began after-call work less than `ACW_GRACE_MS` ago (they are
   * probably choosing a code right now): never written by a bulk job.
   */
  | 'active'
  /** Ended without ever being taken (alerted or dialed only): no wrap-up is expected, never written. */
  | 'unanswered'
  /** Chat or another media without a wrap-up endpoint, and no code. */
  | 'no-write-path';

export interface Observation {
  status: CurrentStatus;
  /** The wrap-up code id seen, or null. */
  codeId: string | null;
  /** Epoch ms of the request that saw it (analytics may lag behind this by seconds [M]). */
  at: number;
  /**
   * Epoch ms when after-call work began, when it is still open (pending) and no code is set. Such
   * an item is "missing" once the grace period has passed, but an agent could still code it, so
   * the runner writes it only while the notification watch covers it or after a live read.
   */
  acwSince?: number;
  /** Seen live (a read of the communication, our write's answer, or a notification), not through analytics. */
  live?: boolean;
}

/**
 * After-call work that began less than this long ago counts as "active" (the one constant lives in
 * `@/lib/genesys/wrapup-rules.ts`): the agent is probably still choosing a code [L: a product
 * choice]. Older pending ACW is an abandoned wrap-up: "missing", in the worklist as here.
 */
export { ACW_GRACE_MS };

/** Why an item ended where it did (a stable code for the UI; `message` carries the words). */
export type ItemReason =
  | 'active'
  | 'unanswered'
  | 'chat-removed'
  | 'no-write-path'
  | 'code-not-allowed'
  | 'system-coded'
  | 'coded'
  | 'same-code'
  | 'coded-during-run'
  | 'refused'
  | 'attempts-exhausted'
  | 'unverified'
  | 'stopped'
  /** The platform check learned that the platform refuses items in this situation. */
  | 'platform-refuses'
  /** Skipped by the user's choice after the job paused on refusals ("Skip the items like these"). */
  | 'like-refused';

export interface ItemError {
  /** HTTP status; 0 when no response was seen. */
  status: number;
  code: string;
  message: string;
  contextId: string | null;
  /** What a failed write means (`@/lib/genesys/write-outcome.ts`); absent in journals from before it. */
  class?: WriteErrorClass;
}

export interface BulkItem {
  /** `${conversationId}/${participantId}/${communicationId}`: unique within a job. */
  key: string;
  /** Position in the plan: items are worked on and exported in this order. */
  seq: number;
  conversationId: string;
  participantId: string;
  /** Analytics `sessionId`, which is the communication id the write needs [M]. */
  communicationId: string;
  /** Analytics `mediaType` as seen (e.g. `voice`, `chat`). */
  mediaType: string;
  /** Wrap-up path segment, or null when this media cannot be written. */
  media: WrapupMediaPath | null;
  queueId: string | null;
  userId: string | null;
  /** Epoch ms the agent's communication ended (analytics), when known: its situation for the platform's rules. */
  endedAt?: number | null;
  /** The latest observation of the platform (planner, batched re-check or live re-read). */
  observed: Observation;
  /**
   * The code the preview showed (null: none). "Replace" applies to THAT wrap-up only: a different
   * code that appears during the run was set by someone meanwhile and is kept.
   */
  plannedCode: string | null;
  status: ItemStatus;
  reason: ItemReason | null;
  message: string | null;
  /** Writes sent that the platform may have processed (401, 429 and never-sent ones are not counted). */
  attempts: number;
  /** Every write request sent, including 401/429 refusals (a safety cap, see runner). */
  sends: number;
  /** Consecutive failed reads while checking this item. */
  readFailures: number;
  /** The last write's outcome is unknown: re-read before anything else (checklist #16). */
  unknownOutcome: boolean;
  /** The platform said the item already has a wrap-up (e.g. 409): re-read live before writing. */
  recheck: boolean;
  lastError: ItemError | null;
  /** Not before this epoch ms (backoff). */
  notBefore: number;
  updatedAt: number;
  /**
   * Someone else (an agent, another user) set this code within the race window of our applied
   * write (their event arrived while ours was in flight or just after): ours may have replaced it.
   * The results offer to restore it. Absent: no such event.
   */
  mayHaveReplaced?: { code: string; at: number };
  /**
   * Who and where, by name, as known when the job was created (issue 16 item 3): the results, their
   * CSV and the audit log say who was coded. Absent in journals from before (and where a listing
   * failed): the ids are shown instead.
   */
  names?: ItemNames;
  /** Epoch ms the conversation started (analytics), when known; absent in older journals. */
  conversationStart?: number | null;
}

/** Names of an item's agent and queue (each absent when unknown). */
export interface ItemNames {
  agentName?: string;
  agentEmail?: string;
  queueName?: string;
}

export interface JobOptions {
  /** Overwrite wrap-ups that agents (or anyone) already set. Default false (checklist #22). */
  replaceExisting: boolean;
  /** Write over system codes such as `ININ-WRAP-UP-TIMEOUT`. */
  includeSystemCoded: boolean;
  /**
   * How the runner makes sure an item is still uncoded right before writing (DESIGN.md):
   * `batched` (default): batched analytics re-checks, about 1.01 requests per item;
   * `per-item`: a live read of the communication before each write, about 2 requests per item.
   */
  verify: 'batched' | 'per-item';
  /**
   * The write: the POST on the communication (default) or the participant PATCH, as the platform
   * check's verdict says this org takes (`@/lib/platform-verdict.ts`). Jobs stored before it: POST.
   */
  method?: WriteMethod;
  /**
   * Items the platform check learned the platform refuses (e.g. after-call work ended) are skipped
   * unless the user chose "try anyway". Null: nothing learned.
   */
  refusal?: RefusalRule | null;
  /** The user's "try anyway" for those items. */
  tryRefused?: boolean;
  /**
   * The job pauses itself when this many write attempts in a row were refused by the platform with
   * the same code and none succeeded in between (issue 15). Default `REFUSAL_STREAK_LIMIT`.
   */
  refusalStreak?: number;
}

export const DEFAULT_JOB_OPTIONS: JobOptions = { replaceExisting: false, includeSystemCoded: false, verify: 'batched' };

/** K of the stop rule: five refusals in a row with one code are a rule of the org, not bad luck. */
export const REFUSAL_STREAK_LIMIT = 5;

export type JobState = 'ready' | 'running' | 'paused' | 'stopping' | 'stopped' | 'done';

export type PauseReason =
  | { kind: 'user' }
  /** 401: the token expired or was revoked; resumes on its own after signing in again. */
  | { kind: 'session' }
  /** Signed out on purpose: the user resumes. */
  | { kind: 'signed-out' }
  /** The platform asked to wait longer than the runner waits on its own (checklist #14). */
  | { kind: 'rate-limited'; until: number }
  /** The journal could not be written: without it the never-twice promise cannot survive a reload. */
  | { kind: 'storage'; message: string }
  /**
   * The last `count` write attempts were all refused by the platform with this `code` (issue 15):
   * a rule of the org, not an item's problem. Nothing is sent until the user chooses.
   */
  | { kind: 'refusals'; code: string; status: number; message: string; contextIds: string[]; count: number; situations: SituationKind[] };

/** The part of an item's situation the platform's write rules are known to depend on. */
export type SituationKind = 'acw-pending' | 'acw-ended';

export function situationOf(item: Pick<BulkItem, 'observed' | 'endedAt'>, now: number): WriteSituation {
  return {
    acwPending: item.observed.acwSince !== undefined,
    endedAgoMs: item.endedAt === undefined || item.endedAt === null ? null : Math.max(0, now - item.endedAt),
  };
}

export function situationKind(s: WriteSituation): SituationKind {
  return s.acwPending ? 'acw-pending' : 'acw-ended';
}

export interface BulkCounts {
  selected: number;
  pending: number;
  inFlight: number;
  applied: number;
  alreadyCoded: number;
  skipped: number;
  failed: number;
}

export interface BulkJob {
  id: string;
  createdAt: number;
  code: { id: string; name: string };
  /** Empty: no notes are sent. */
  notes: string;
  options: JobOptions;
  state: JobState;
  pause: PauseReason | null;
  counts: BulkCounts;
  updatedAt: number;
  /** Set on a "retry failed items" job: the job whose failed items it retries (UI addition). */
  retryOf?: string;
  /** Set on a "continue" job: the stopped job whose unwritten items it writes (issue 16 item 2). */
  continueOf?: string;
}

export function itemKey(conversationId: string, participantId: string, communicationId: string): string {
  return `${conversationId}/${participantId}/${communicationId}`;
}

export function countItems(items: Iterable<Pick<BulkItem, 'status'>>): BulkCounts {
  const c: BulkCounts = { selected: 0, pending: 0, inFlight: 0, applied: 0, alreadyCoded: 0, skipped: 0, failed: 0 };
  for (const it of items) {
    c.selected += 1;
    switch (it.status) {
      case 'pending':
        c.pending += 1;
        break;
      case 'in-flight':
        c.inFlight += 1;
        break;
      case 'applied':
        c.applied += 1;
        break;
      case 'already-coded':
        c.alreadyCoded += 1;
        break;
      case 'skipped':
        c.skipped += 1;
        break;
      case 'failed':
        c.failed += 1;
        break;
    }
  }
  return c;
}

export { isSystemCode };

/**
 * The one no-overwrite rule (checklist #22) for the preview: may a wrap-up with code `current` be written over?
 * `null` (nothing there) always; a system code only with `includeSystemCoded` (its own switch:
 * "replace" is about codes people chose); anything else only with `replaceExisting`. A wrap-up that already carries the job's code is never written again.
 */
export function mayWriteOver(current: string | null, jobCodeId: string, options: Pick<JobOptions, 'replaceExisting' | 'includeSystemCoded'>): boolean {
  if (current === null) return true;
  if (current === jobCodeId) return false;
  if (isSystemCode(current)) return options.includeSystemCoded;
  return options.replaceExisting;
}

/**
 * The same rule during the run (pre-write re-check, re-read after an unknown outcome): the shared
 * rule of `../overwrite-rule.ts` (also used by the single-write form), with the wrap-up the preview
 * showed (`plannedCode`) as the one the user agreed to replace, and never onto the job's own code
 * ("never twice": after a lost response, our code there means our write landed).
 */
export function mayWriteNow(
  current: string | null,
  item: Pick<BulkItem, 'plannedCode'>,
  jobCodeId: string,
  options: Pick<JobOptions, 'replaceExisting' | 'includeSystemCoded'>,
): boolean {
  if (current === jobCodeId) return false;
  return mayWriteOnto(current, item.plannedCode, { replace: options.replaceExisting, includeSystemCoded: options.includeSystemCoded });
}
