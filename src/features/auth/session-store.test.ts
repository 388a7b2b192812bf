import { onSessionEvent, useSessionStore } from './session-store.ts';

const settings = { region: 'sim', clientId: 'c', grant: 'pkce' as const };

describe('session store', () => {
  beforeEach(() => useSessionStore.setState({ status: 'signedOut', generation: 0, expiresAt: null, problem: null }));

  it('tells subscribers about expiry and the return, in order', () => {
    const events: string[] = [];
    const off = onSessionEvent((e) => events.push(e));
    const s = useSessionStore.getState();
    s.signInStarted(settings);
    s.signedIn(settings, 1000);
    s.sessionExpired();
    s.sessionExpired();
    useSessionStore.getState().signedIn(settings, 2000);
    useSessionStore.getState().signedOut();
    off();
    useSessionStore.getState().signedIn(settings, 3000);
    expect(events).toEqual(['expired', 'restored', 'signedOut']);
    expect(useSessionStore.getState().generation).toBe(3);
  });

  it('a failed re-sign-in keeps the session expired (work is kept), a failed first sign-in stays signed out', () => {
    const s = useSessionStore.getState();
    s.signedIn(settings, 1);
    s.sessionExpired();
    useSessionStore.getState().signInFailed({ kind: 'popupBlocked' });
    expect(useSessionStore.getState()).toMatchObject({ status: 'expired', problem: { kind: 'popupBlocked' } });
    useSessionStore.getState().signedOut();
    useSessionStore.getState().signInFailed({ kind: 'network' });
    expect(useSessionStore.getState().status).toBe('signedOut');
  });
});
