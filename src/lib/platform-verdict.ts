/**
 * What the platform check (issue 15) learned about the user's own org, and what the rest of the
 * app does with it: the write method (POST or PATCH) and which items the platform refuses.
 *
 * The verdict is kept per org and user in IndexedDB with its date. It is a record of what was
 * SEEN (each write attempt with its status, code, message and contextId, and the item's situation
 * at the time); the rules below derive the app's behaviour from those attempts, so a later probe
 * that sees more refines the verdict instead of replacing it with a guess.
 *
 * The rules (docs/genesys-platform.md §4, §8 row 1: nobody has published them, hence a probe):
 * - write method: PATCH only when a PATCH was applied and no POST ever was; POST otherwise (the
 *   documented path, and the default without a verdict);
 * - "refused after after-call work": a policy refusal of every method tried on an item whose
 *   after-call work was no longer pending. Without any write applied after ACW, every such item is
 *   marked; with one applied at age A, only items older than the youngest refusal older than A.
 */
import { idbDone, idbRequest } from '@/lib/idb.ts';

export type WriteMethod = 'post' | 'patch';

/** The item's situation when an attempt was made: what the platform's rule may depend on. */
export interface WriteSituation {
  /** After-call work was still pending (no code yet, the agent could still choose one). */
  acwPending: boolean;
  /** Milliseconds since the communication ended; null when not known. */
  endedAgoMs: number | null;
}

export interface WriteAttempt {
  /** One write probe = one item, at most two attempts (POST, then PATCH only if POST was refused). */
  probeId: string;
  method: WriteMethod;
  /** What was sent, as shown before sending: `PATCH /api/v2/conversations/calls/…` and the body. */
  request: { method: 'POST' | 'PATCH'; path: string; body: unknown };
  /** HTTP status; 0 when no answer came back. */
  status: number;
  /** The platform's error code (`not.authorized`, …); null on success. */
  code: string | null;
  message: string | null;
  contextId: string | null;
  /**
   * applied: 2xx; refused: a 4xx about the write itself; unknown: no answer (timeout, 5xx);
   * `refused-code`: refused because of the code or the body (says nothing about the policy).
   */
  outcome: 'applied' | 'refused' | 'refused-code' | 'unknown';
  /** ISO time the request left. */
  at: string;
  situation: WriteSituation;
  target: { media: string; conversationId: string; participantId: string; communicationId: string };
}

/** One read-only probe's record (the platform check page shows them; the report carries them). */
export interface ProbeRecord {
  id: string;
  /** true: fine for this app; false: a problem; null: could not tell. */
  ok: boolean | null;
  /** What was sent (method, path, body summary). */
  sent: string;
  /** What came back (status, the relevant part). */
  received: string;
  contextId: string | null;
  /** Values the page words its meaning from (translated there). */
  facts: Record<string, string | number | boolean | null>;
}

export interface PlatformVerdict {
  version: 1;
  orgId: string;
  userId: string;
  /** ISO time of the latest probe run or write probe. */
  checkedAt: string;
  probes: ProbeRecord[];
  /** Every write attempt of every write probe, oldest first. */
  attempts: WriteAttempt[];
}

// ---------------------------------------------------------------------------------------------
// Rules

/** The write method the app uses: PATCH only when the org was seen to take PATCH and not POST. */
export function writeMethodOf(verdict: PlatformVerdict | null | undefined): WriteMethod {
  if (!verdict) return 'post';
  const applied = (m: WriteMethod) => verdict.attempts.some((a) => a.method === m && a.outcome === 'applied');
  return !applied('post') && applied('patch') ? 'patch' : 'post';
}

/** Was `method` seen to be applied, refused (by policy), or never decided? */
export function methodAnswer(verdict: PlatformVerdict | null | undefined, method: WriteMethod, acwPending?: boolean): 'yes' | 'no' | 'unknown' {
  const mine = (verdict?.attempts ?? []).filter((a) => a.method === method && (acwPending === undefined || a.situation.acwPending === acwPending));
  if (mine.some((a) => a.outcome === 'applied')) return 'yes';
  if (mine.some((a) => a.outcome === 'refused')) return 'no';
  return 'unknown';
}

export interface RefusalRule {
  /** Items whose after-call work is no longer pending are refused (from `minAgeMs` on, when set). */
  afterAcw: boolean;
  /** Refused only when older than this (ms since the end); null: at any age. */
  minAgeMs: number | null;
  /** When it was learned (the refusing attempt's time). */
  learnedAt: string;
  /** The platform's own code and message of that refusal. */
  code: string | null;
  message: string | null;
}

/**
 * What the platform refuses, learned from attempts where every method tried on one item was
 * refused by policy. Null when nothing is known to be refused.
 */
export function refusalRule(verdict: PlatformVerdict | null | undefined): RefusalRule | null {
  if (!verdict) return null;
  const byItem = new Map<string, WriteAttempt[]>();
  for (const a of verdict.attempts) {
    byItem.set(a.probeId, [...(byItem.get(a.probeId) ?? []), a]);
  }
  // A probe on one item: refused when no attempt on it was applied and at least one was refused by policy.
  const refusedAfterAcw: WriteAttempt[] = [];
  for (const attempts of byItem.values()) {
    if (attempts.some((a) => a.outcome === 'applied')) continue;
    const refusal = attempts.find((a) => a.outcome === 'refused' && !a.situation.acwPending);
    if (refusal) refusedAfterAcw.push(refusal);
  }
  if (refusedAfterAcw.length === 0) return null;
  const appliedAfterAcw = verdict.attempts.filter((a) => a.outcome === 'applied' && !a.situation.acwPending);
  const latest = refusedAfterAcw[refusedAfterAcw.length - 1]!;
  if (appliedAfterAcw.length === 0) {
    return { afterAcw: true, minAgeMs: null, learnedAt: latest.at, code: latest.code, message: latest.message };
  }
  // Written after ACW at some ages and refused at others: the limit lies between them.
  const oldestApplied = Math.max(...appliedAfterAcw.map((a) => a.situation.endedAgoMs ?? 0));
  const olderRefusals = refusedAfterAcw.filter((a) => a.situation.endedAgoMs !== null && a.situation.endedAgoMs > oldestApplied);
  if (olderRefusals.length === 0) return null;
  const youngest = olderRefusals.reduce((m, a) => ((a.situation.endedAgoMs ?? 0) < (m.situation.endedAgoMs ?? 0) ? a : m));
  return { afterAcw: true, minAgeMs: youngest.situation.endedAgoMs, learnedAt: youngest.at, code: youngest.code, message: youngest.message };
}

/** Does the learned rule refuse an item in this situation? */
export function isRefusedBy(rule: RefusalRule | null, situation: WriteSituation): boolean {
  if (!rule || situation.acwPending || !rule.afterAcw) return false;
  if (rule.minAgeMs === null) return true;
  return situation.endedAgoMs !== null && situation.endedAgoMs >= rule.minAgeMs;
}

// ---------------------------------------------------------------------------------------------
// Storage: one record per org and user

export const VERDICT_DB_NAME = 'wrapup-desk-platform';
const STORE = 'verdicts';

function keyOf(orgId: string, userId: string): string {
  return `${orgId}/${userId}`;
}

async function openDb(factory: IDBFactory): Promise<IDBDatabase> {
  const open = factory.open(VERDICT_DB_NAME, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  return idbRequest(open);
}

function isVerdict(v: unknown): v is PlatformVerdict {
  return typeof v === 'object' && v !== null && (v as { version?: unknown }).version === 1 && Array.isArray((v as { attempts?: unknown }).attempts);
}

/** The stored verdict, or null (none yet, or IndexedDB unavailable: the defaults apply). */
export async function loadVerdict(orgId: string, userId: string, factory: IDBFactory | undefined = globalThis.indexedDB): Promise<PlatformVerdict | null> {
  if (!factory) return null;
  try {
    const db = await openDb(factory);
    try {
      const tx = db.transaction(STORE, 'readonly');
      const v: unknown = await idbRequest(tx.objectStore(STORE).get(keyOf(orgId, userId)));
      return isVerdict(v) ? v : null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Stores the verdict; rejects when it cannot (the page says so: the app would not remember it). */
export async function saveVerdict(verdict: PlatformVerdict, factory: IDBFactory | undefined = globalThis.indexedDB): Promise<void> {
  if (!factory) throw new Error('IndexedDB is not available in this browser.');
  const db = await openDb(factory);
  try {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(verdict, keyOf(verdict.orgId, verdict.userId));
    await idbDone(tx);
  } finally {
    db.close();
  }
}

/** TanStack Query key of the signed-in user's verdict (invalidate after saving). */
export function verdictQueryKey(orgId: string, userId: string): readonly unknown[] {
  return ['platform-verdict', orgId, userId];
}

/** Forgets the stored verdict of this org and user (the platform check's "Forget this verdict"); the defaults apply again. */
export async function deleteVerdict(orgId: string, userId: string, factory: IDBFactory | undefined = globalThis.indexedDB): Promise<void> {
  if (!factory) return;
  const db = await openDb(factory);
  try {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(keyOf(orgId, userId));
    await idbDone(tx);
  } finally {
    db.close();
  }
}
