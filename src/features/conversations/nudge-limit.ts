/**
 * The nudge's rate limit (issue 18 item 3): one nudge per agent per hour, remembered per org and
 * signed-in user in this browser's localStorage (every tab sees it, a reload keeps it). An hour
 * because a nudge asks for work the agent does between interactions: a second one sooner reads as
 * nagging before they could act on the first. Per supervisor rather than per org because the
 * browser knows only its own nudges; the platform keeps no count of them that the app could read.
 *
 * A nudge whose answer was lost (timeout, dropped connection) counts as sent: the message may have
 * arrived, and the limit is there to keep a second one away.
 */
import { useCallback, useSyncExternalStore } from 'react';

export const NUDGE_INTERVAL_MS = 60 * 60_000;

/** Whose nudges: one org and one signed-in user. Empty ids: nothing is remembered or allowed. */
export interface NudgeOwner {
  orgId: string;
  userId: string;
}

type NudgeLog = Record<string, number>;

const PREFIX = 'wud.nudges.';

export function nudgeStorageKey(owner: NudgeOwner): string | null {
  return owner.orgId && owner.userId ? `${PREFIX}${owner.orgId}/${owner.userId}` : null;
}

/** When the next nudge to an agent last nudged at `sentAt` may go; null: now. */
export function nextNudgeAt(sentAt: number | undefined, now: number): number | null {
  if (sentAt === undefined) return null;
  const next = sentAt + NUDGE_INTERVAL_MS;
  return next > now ? next : null;
}

function parseLog(text: string | null): NudgeLog {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    const out: NudgeLog = {};
    for (const [k, t] of Object.entries(v)) if (typeof t === 'number' && Number.isFinite(t)) out[k] = t;
    return out;
  } catch {
    return {};
  }
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Memory fallback where storage is blocked: the limit still holds for this page's life. */
const memory = new Map<string, string>();
const listeners = new Set<() => void>();

function readRaw(key: string): string | null {
  try {
    return storage()?.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

export function readNudgeLog(key: string | null): NudgeLog {
  return key ? parseLog(readRaw(key)) : {};
}

/** Records a nudge to `agentId` at `at`; entries older than the interval are dropped on the way. */
export function recordNudge(key: string, agentId: string, at: number): void {
  const log = readNudgeLog(key);
  const kept: NudgeLog = {};
  for (const [k, t] of Object.entries(log)) if (t + NUDGE_INTERVAL_MS > at) kept[k] = t;
  kept[agentId] = at;
  const text = JSON.stringify(kept);
  memory.set(key, text);
  try {
    storage()?.setItem(key, text);
  } catch {
    // Full or blocked: the memory copy keeps the limit for this page.
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Other tabs' nudges arrive as storage events.
  const onStorage = (e: StorageEvent) => {
    if (e.key?.startsWith(PREFIX)) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** When each agent was last nudged (raw text as the snapshot: stable between changes). */
export function useNudgeLog(key: string | null): { log: NudgeLog; record: (agentId: string, at: number) => void } {
  const raw = useSyncExternalStore(subscribe, () => (key ? readRaw(key) : null));
  const record = useCallback(
    (agentId: string, at: number) => {
      if (key) recordNudge(key, agentId, at);
    },
    [key],
  );
  return { log: parseLog(raw), record };
}
