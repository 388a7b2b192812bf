/**
 * The only file that imports SDK *values*. Everything else in the app uses the typed functions of
 * this folder; files here import SDK *types* from 'purecloud-platform-client-v2' (erased at build).
 *
 * Deep imports keep the bundle to the SDK files we use (see sdk-modules.d.ts). Default
 * imports only: `import * as` type-checks but yields a namespace object at run time.
 */
import ApiClient from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/ApiClient.js';
import DefaultHttpClient from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/DefaultHttpClient.js';
import PureCloudRegionHosts from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/PureCloudRegionHosts.js';
import ConversationsApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/ConversationsApi.js';
import RoutingApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/RoutingApi.js';
import UsersApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/UsersApi.js';
import TokensApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/TokensApi.js';
import NotificationsApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/NotificationsApi.js';
import ChatApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/ChatApi.js';

export { ApiClient, DefaultHttpClient, PureCloudRegionHosts, ConversationsApi, RoutingApi, UsersApi, TokensApi, NotificationsApi, ChatApi };
export type { Models } from 'purecloud-platform-client-v2';
