/**
 * What the bulk planner and runner need from the platform: a narrow port, so that the runner is
 * tested against an in-memory fake, and in production every call goes through `src/lib/genesys`
 * (the one door: shared RateLimiter, 429 pauses, read retries, one ApiError type).
 *
 * Every method rejects with `ApiError` only. Reads are retried by the HTTP client; the write never.
 */
import {
  getCommunicationWrapup,
  getConversationDetailsBatch,
  getParticipantWrapupCodes,
  listQueueWrapupCodes,
  listUsers,
  writeWrapup,
  type WrapupWriteMethod,
} from '@/lib/genesys/api.ts';
import { toApiError } from '@/lib/genesys/api-error.ts';
import type { WrapupMediaPath } from '@/lib/genesys/media.ts';
import { WRITE_TIMEOUT_MS } from '../late-apply.ts';
import { wrapupInputOf } from '../apply-wrapup.ts';

/** The parts of an analytics conversation the planner reads (structurally a subset of the SDK's type). */
export interface DetailsSegment {
  segmentType?: string;
  segmentStart?: string;
  segmentEnd?: string;
  queueId?: string;
  wrapUpCode?: string;
  wrapUpNote?: string;
  disconnectType?: string;
}

export interface DetailsSession {
  sessionId?: string;
  mediaType?: string;
  /** The agent skipped after-call work (then an open wrap-up segment is not "pending"). */
  acwSkipped?: boolean;
  segments?: DetailsSegment[];
}

export interface DetailsParticipant {
  participantId?: string;
  purpose?: string;
  userId?: string;
  sessions?: DetailsSession[];
}

export interface DetailsConversation {
  conversationId?: string;
  /** ISO time the conversation started (shown with the item, issue 16). */
  conversationStart?: string;
  conversationEnd?: string;
  participants?: DetailsParticipant[];
}

export interface UserRef {
  id: string;
  email: string;
}

export interface CodeRef {
  id: string;
  name: string;
}

export interface WrapupRead {
  /** The code id (`AssignedWrapupCode.code`). */
  code: string;
}

export interface WriteInput {
  code: CodeRef;
  /** Empty: no notes are sent. */
  notes: string;
  /** POST (default) or the participant PATCH (the platform check's verdict). */
  method?: WrapupWriteMethod;
}

/** Properties, not methods: implementations are plain functions (no `this`). */
export interface BulkPlatform {
  /** Batched analytics details; callers pass at most `DETAILS_BATCH_SIZE` (100) ids = one request. */
  getDetails: (conversationIds: readonly string[]) => Promise<DetailsConversation[]>;
  /** The codes assigned to a queue (cached per queue by the planner). */
  listQueueCodes: (queueId: string) => Promise<CodeRef[]>;
  /** The participant's own allowed list (the authority [H]); used for items without a queue. */
  participantCodes: (media: WrapupMediaPath | null, conversationId: string, participantId: string) => Promise<CodeRef[]>;
  /** The communication's wrap-up now (live, no analytics lag); undefined when none. */
  readWrapup: (media: WrapupMediaPath, conversationId: string, participantId: string, communicationId: string) => Promise<WrapupRead | undefined>;
  /** The write (not idempotent, never retried below this point). */
  writeWrapup: (media: WrapupMediaPath, conversationId: string, participantId: string, communicationId: string, input: WriteInput) => Promise<void>;
  /** The org's users (all states) with their email addresses: resolves agent emails of an import. */
  listUsers: () => Promise<UserRef[]>;
}

function codeRefs(codes: readonly { id?: string; name?: string }[]): CodeRef[] {
  return codes.flatMap((c) => (c.id ? [{ id: c.id, name: c.name ?? c.id }] : []));
}

async function apiErrors<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw toApiError(e);
  }
}

/** The production port over `src/lib/genesys/api.ts`. */
export const genesysBulkPlatform: BulkPlatform = {
  listUsers: () => apiErrors(listUsers({ state: 'any' })).then((users) => users.flatMap((u) => (u.id && u.email ? [{ id: u.id, email: u.email }] : []))),
  getDetails: (ids) => apiErrors(getConversationDetailsBatch(ids)),
  listQueueCodes: (queueId) => apiErrors(listQueueWrapupCodes(queueId)).then(codeRefs),
  participantCodes: (media, cid, pid) => apiErrors(getParticipantWrapupCodes(media, cid, pid)).then(codeRefs),
  readWrapup: (media, cid, pid, mid) => apiErrors(getCommunicationWrapup(media, cid, pid, mid)).then((w) => (w?.code ? { code: w.code } : undefined)),
  writeWrapup: (media, cid, pid, mid, input) => {
    // The same WrapupInput the single-write path sends (apply-wrapup.ts).
    const target = { media, conversationId: cid, participantId: pid, communicationId: mid };
    const body = wrapupInputOf({ target, code: input.code, notes: input.notes, replace: false });
    return apiErrors(writeWrapup(input.method ?? 'post', target, body, { timeoutMs: WRITE_TIMEOUT_MS }));
  },
};
