import { create } from 'zustand';

export type Grant = 'pkce' | 'implicit';

/** Where and how to sign in. `region` is a region host, or 'sim' for the simulated org. */
export interface SignInSettings {
  region: string;
  clientId: string;
  grant: Grant;
}

export type AuthProblem =
  | { kind: 'refused'; reason: 'missing' | 'unexpected' | 'mismatch' | 'expired' }
  | { kind: 'platform'; error: string; description?: string }
  | { kind: 'network' | 'popupBlocked' | 'popupClosed' | 'token' | 'storage' | 'unknown'; detail?: string };

export type SessionStatus = 'signedOut' | 'signingIn' | 'signedIn' | 'expired';

interface SessionState {
  status: SessionStatus;
  settings: SignInSettings | null;
  /** Epoch ms from the platform's `expires_in`; the token itself lives only in the SDK client's memory. */
  expiresAt: number | null;
  /** Bumped at every successful sign-in, so queries keyed on it refetch with the new token. */
  generation: number;
  problem: AuthProblem | null;
  signInStarted: (settings: SignInSettings) => void;
  signedIn: (settings: SignInSettings, expiresAt: number | null) => void;
  signInFailed: (problem: AuthProblem) => void;
  sessionExpired: () => void;
  signedOut: () => void;
}

export const useSessionStore = create<SessionState>()((set) => ({
  status: 'signedOut',
  settings: null,
  expiresAt: null,
  generation: 0,
  problem: null,
  signInStarted: (settings) => set({ status: 'signingIn', settings, problem: null }),
  signedIn: (settings, expiresAt) => set((s) => ({ status: 'signedIn', settings, expiresAt, problem: null, generation: s.generation + 1 })),
  signInFailed: (problem) => set((s) => ({ problem, status: s.status === 'expired' || s.status === 'signedIn' ? 'expired' : 'signedOut' })),
  sessionExpired: () => set((s) => (s.status === 'signedIn' ? { status: 'expired' } : s)),
  signedOut: () => set({ status: 'signedOut', expiresAt: null, problem: null }),
}));

export const useSessionStatus = () => useSessionStore((s) => s.status);
export const useSessionProblem = () => useSessionStore((s) => s.problem);
export const useSessionExpiry = () => useSessionStore((s) => s.expiresAt);
export const useSessionGeneration = () => useSessionStore((s) => s.generation);

export type SessionEvent = 'expired' | 'restored' | 'signedOut';

/**
 * For plain-TypeScript subscribers such as the bulk runner: "signed out / expired" and "signed in again".
 * Returns the unsubscribe function.
 */
export function onSessionEvent(listener: (e: SessionEvent) => void): () => void {
  return useSessionStore.subscribe((next, prev) => {
    if (next.status === prev.status) return;
    if (next.status === 'expired') listener('expired');
    else if (next.status === 'signedIn' && prev.status === 'expired') listener('restored');
    else if (next.status === 'signedOut' && prev.status !== 'signingIn') listener('signedOut');
  });
}
