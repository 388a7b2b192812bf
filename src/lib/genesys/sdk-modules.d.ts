/**
 * Typings for the SDK's deep ES modules (genesys-platform.md §6).
 *
 * The package's `browser` entry is a browserify bundle Vite cannot import, and its root module
 * pulls in all ~90 API classes. We import only the files we use, straight from
 * `src/purecloud-platform-client-v2/`, and re-use the real types that `index.d.ts` declares.
 * Every one of these files has a single `export default` (checked in the v262 source).
 */
declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/ApiClient.js' {
  import type { ApiClientClass } from 'purecloud-platform-client-v2';
  const ApiClient: typeof ApiClientClass;
  export default ApiClient;
}

declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/DefaultHttpClient.js' {
  import type { DefaultHttpClient } from 'purecloud-platform-client-v2';
  const DefaultHttpClientClass: typeof DefaultHttpClient;
  export default DefaultHttpClientClass;
}

declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/PureCloudRegionHosts.js' {
  const PureCloudRegionHosts: Readonly<Record<string, string>>;
  export default PureCloudRegionHosts;
}

declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/ConversationsApi.js' {
  import type { ConversationsApi } from 'purecloud-platform-client-v2';
  const ConversationsApiClass: typeof ConversationsApi;
  export default ConversationsApiClass;
}

declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/RoutingApi.js' {
  import type { RoutingApi } from 'purecloud-platform-client-v2';
  const RoutingApiClass: typeof RoutingApi;
  export default RoutingApiClass;
}

declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/UsersApi.js' {
  import type { UsersApi } from 'purecloud-platform-client-v2';
  const UsersApiClass: typeof UsersApi;
  export default UsersApiClass;
}

declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/TokensApi.js' {
  import type { TokensApi } from 'purecloud-platform-client-v2';
  const TokensApiClass: typeof TokensApi;
  export default TokensApiClass;
}

declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/NotificationsApi.js' {
  import type { NotificationsApi } from 'purecloud-platform-client-v2';
  const NotificationsApiClass: typeof NotificationsApi;
  export default NotificationsApiClass;
}

declare module 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/ChatApi.js' {
  import type { ChatApi } from 'purecloud-platform-client-v2';
  const ChatApiClass: typeof ChatApi;
  export default ChatApiClass;
}
