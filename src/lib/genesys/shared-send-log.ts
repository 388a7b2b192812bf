/**
 * The rate limiter's shared window in localStorage (see `SharedSendLog`): every tab of the app, and
 * the page after a reload, counts the same requests against the token's budget (checklist #12).
 */
import type { SharedSendLog } from './rate-limiter.ts';

const KEY = 'wud.ratelimit.v1';
/** Older entries can never matter: the platform's window is one minute. */
const KEEP_MS = 61_000;

interface Stored {
  sends: number[];
  pausedUntil: number;
}

export function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}

export function storageSendLog(storage: Pick<Storage, 'getItem' | 'setItem'>, now: () => number = Date.now, key = KEY): SharedSendLog {
  const read = (): Stored => {
    try {
      const v = JSON.parse(storage.getItem(key) ?? 'null') as Partial<Stored> | null;
      const sends = Array.isArray(v?.sends) ? v.sends.filter((t): t is number => typeof t === 'number') : [];
      return { sends, pausedUntil: typeof v?.pausedUntil === 'number' ? v.pausedUntil : 0 };
    } catch {
      return { sends: [], pausedUntil: 0 };
    }
  };
  /** False when storage is full or blocked: the limiter then keeps its own window (see `record`). */
  const write = (s: Stored): boolean => {
    try {
      storage.setItem(key, JSON.stringify(s));
      return true;
    } catch {
      return false;
    }
  };
  return {
    sends: (since) =>
      read()
        .sends.filter((t) => t > since)
        .sort((a, b) => a - b),
    record: (at) => {
      const s = read();
      const cutoff = now() - KEEP_MS;
      return write({ sends: [...s.sends.filter((t) => t > cutoff), at], pausedUntil: s.pausedUntil });
    },
    pausedUntil: () => read().pausedUntil,
    recordPause: (until) => {
      const s = read();
      return until > s.pausedUntil ? write({ ...s, pausedUntil: until }) : true;
    },
  };
}

/** The browser's: localStorage, woken by other tabs' writes. Falls back to memory where storage is blocked. */
export function browserSendLog(): SharedSendLog {
  let storage: Pick<Storage, 'getItem' | 'setItem'>;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch {
    storage = memoryStorage();
  }
  const log = storageSendLog(storage);
  return {
    ...log,
    subscribe: (listener) => {
      const onStorage = (e: StorageEvent) => {
        if (e.key === KEY) listener();
      };
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
  };
}
