import { Suspense } from 'react';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
  stripSearchParams,
  type SearchSchemaInput,
} from '@tanstack/react-router';
import { AppShell } from '@/components/layout/app-shell.tsx';
import { PageLoading } from '@/components/layout/page-loading.tsx';
import { loadNamespaces, type Namespace } from '@/lib/i18n/i18n.ts';
import { AccountMenu } from '@/features/auth/account-menu.tsx';
import { SessionBanner } from '@/features/auth/session-banner.tsx';
import { RequireSession } from '@/features/auth/require-session.tsx';
import { PermissionNotice } from '@/features/auth/permission-notice.tsx';
import { useSessionStore } from '@/features/auth/session-store.ts';
import { useRole } from '@/features/auth/auth-queries.ts';
import { MY_DEFAULTS, parseMySearch, type MySearch } from '@/features/conversations/my-filters.ts';
import { parseWorklistSearch, WORKLIST_DEFAULTS, type WorklistSearch } from '@/features/conversations/filters.ts';
import { parseAuditSearch } from '@/features/audit/audit-search.ts';
import { AboutRoute } from './routes/about.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { parseBulkSearch, parsePlatformCheckSearch, parseWrapupSearch } from './routes/search.ts';

interface RouterContext {
  forcedRegion?: string;
}

/*
 * Every page that needs the platform loads its code on first use, once there is a session: the
 * sign-in page (what a signed-out visit to any of them shows) loads none of it. The URL schemas
 * stay here, small, because the router checks the URL before it fetches a page.
 */
const WorklistScreen = lazyRouteComponent(() => import('./routes/conversations.tsx'), 'ConversationsRoute');
const BulkScreen = lazyRouteComponent(() => import('./routes/bulk.tsx'), 'BulkRoute');
const AuditScreen = lazyRouteComponent(() => import('./routes/audit.tsx'), 'AuditRoute');
const WrapupScreen = lazyRouteComponent(() => import('./routes/wrap-up.tsx'), 'WrapupRouteScreen');
const PlatformCheckScreen = lazyRouteComponent(() => import('./routes/platform-check.tsx'), 'PlatformCheckRoute');
const MyScreen = lazyRouteComponent(() => import('./routes/my-wrapups.tsx'), 'MyWrapupsRoute');
type Screen = typeof WorklistScreen;

/** The shell with the navigation of who signed in: an agent's (My missing wrap-ups) or a supervisor's. */
function Shell() {
  const role = useRole();
  return (
    <AppShell account={<AccountMenu />} banner={<SessionBanner />} nav={role?.kind === 'agent' ? 'agent' : 'supervisor'}>
      <Outlet />
    </AppShell>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Shell,
  notFoundComponent: NotFoundRoute,
});

/** Pages that need the platform: sign-in first, then the permission notice above the page. */
function Signed({ screen: Page }: { screen: Screen }) {
  const { forcedRegion } = rootRoute.useRouteContext();
  return (
    <RequireSession forcedRegion={forcedRegion}>
      <PermissionNotice />
      <Suspense fallback={<PageLoading />}>
        <Page />
      </Suspense>
    </RequireSession>
  );
}

/**
 * The route's loader: with a session, fetch the page's code and its catalogues. A navigation waits
 * for them (the current page stays until the next one is ready; links preload it on hover). The
 * first load of the document does not: the shell and its permission query start at once, and the
 * Suspense in `Signed` shows the loading line until the page is there. Without a session nothing
 * loads: the sign-in page is shown (after a popup sign-in, that Suspense loads the page).
 */
let firstLoad = true;

function pageCode(screen: Screen, namespaces: Namespace[]) {
  return async () => {
    const wait = !firstLoad;
    firstLoad = false;
    const { status } = useSessionStore.getState();
    if (status !== 'signedIn' && status !== 'expired') return;
    const loading = Promise.all([screen.preload?.(), loadNamespaces(namespaces)]);
    if (wait) await loading;
  };
}

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/conversations' });
  },
});

const conversationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/conversations',
  // Every key may be left out of a link (the defaults fill in): the input type says so.
  validateSearch: (search: Partial<WorklistSearch> & SearchSchemaInput) => parseWorklistSearch(search),
  search: { middlewares: [stripSearchParams(WORKLIST_DEFAULTS)] },
  loader: pageCode(WorklistScreen, ['conversations']),
  component: () => <Signed screen={WorklistScreen} />,
});
const bulkRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/bulk',
  validateSearch: parseBulkSearch,
  loader: pageCode(BulkScreen, ['bulk', 'wrapup']),
  component: () => <Signed screen={BulkScreen} />,
});
const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  validateSearch: parseAuditSearch,
  loader: pageCode(AuditScreen, ['audit']),
  component: () => <Signed screen={AuditScreen} />,
});
/** Apply a wrap-up to one participant: `/conversations/<cid>/wrap-up?participant=<pid>`. */
const wrapupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/conversations/$conversationId/wrap-up',
  validateSearch: parseWrapupSearch,
  loader: pageCode(WrapupScreen, ['wrapup', 'audit']),
  component: () => <Signed screen={WrapupScreen} />,
});
/** What the org allows (issue 15): `/platform-check?conversationId=&participantId=&communicationId=&media=` offers a write probe. */
const platformCheckRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/platform-check',
  validateSearch: parsePlatformCheckSearch,
  loader: pageCode(PlatformCheckScreen, ['platformCheck', 'audit']),
  component: () => <Signed screen={PlatformCheckScreen} />,
});
/** An agent's own missing wrap-ups (issue 18): `/my?range=&status=`; agents land here from the worklist. */
const myRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/my',
  // Every key may be left out of a link (the defaults fill in).
  validateSearch: (search: Partial<MySearch> & SearchSchemaInput) => parseMySearch(search),
  search: { middlewares: [stripSearchParams(MY_DEFAULTS)] },
  loader: pageCode(MyScreen, ['my', 'conversations']),
  component: () => <Signed screen={MyScreen} />,
});
const aboutRoute = createRoute({ getParentRoute: () => rootRoute, path: '/about', component: AboutRoute });

const routeTree = rootRoute.addChildren([indexRoute, conversationsRoute, bulkRoute, auditRoute, wrapupRoute, platformCheckRoute, myRoute, aboutRoute]);

/** History routing: the URL fragment belongs to the OAuth implicit redirect. */
export function createAppRouter(context: RouterContext) {
  return createRouter({
    routeTree,
    basepath: import.meta.env.BASE_URL,
    context,
    // Hovering or focusing a link fetches that page's code (see pageCode); no data is preloaded.
    defaultPreload: 'intent',
    // While a page's code loads: the status line, for as long as the load takes (no minimum: the
    // worklist's own loading state follows it at once).
    defaultPendingComponent: PageLoading,
    defaultPendingMinMs: 0,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
