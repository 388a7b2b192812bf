/**
 * The SDK-backed client (client.ts, with the SDK and axios) is loaded on first use: the sign-in
 * page needs none of it until the user presses "Sign in" (or a sign-in callback / resume arrives).
 * Everything outside this folder reaches it through the async calls of api.ts (via call.ts) or,
 * for the auth flow, through `loadClient()`.
 */
import type * as Client from './client.ts';

type ClientModule = typeof Client;

let loading: Promise<ClientModule> | undefined;
let loaded: ClientModule | undefined;
let announce: (m: ClientModule) => void = () => undefined;
const whenLoaded = new Promise<ClientModule>((resolve) => (announce = resolve));

/** Loads client.ts (once); later calls get the same module. */
export function loadClient(): Promise<ClientModule> {
  loading ??= import('./client.ts').then(
    (m) => {
      loaded = m;
      announce(m);
      return m;
    },
    (e: unknown) => {
      loading = undefined; // a failed chunk fetch may be retried
      throw e;
    },
  );
  return loading;
}

/** client.ts if something has loaded it already, without loading it. */
export function loadedClient(): ClientModule | undefined {
  return loaded;
}

/**
 * Every 401 from an API call, once the client exists (there is no call before). Does not load the
 * client. Returns an unsubscribe.
 */
export function onUnauthorized(listener: Parameters<ClientModule['onUnauthorized']>[0]): () => void {
  if (loaded) return loaded.onUnauthorized(listener);
  let active = true;
  let off: (() => void) | undefined;
  void whenLoaded.then((m) => {
    if (active) off = m.onUnauthorized(listener);
  });
  return () => {
    active = false;
    off?.();
  };
}
