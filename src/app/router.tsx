import type { ReactNode } from 'react';
import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect } from '@tanstack/react-router';
import { AppShell } from '@/components/layout/app-shell.tsx';
import { AccountMenu } from '@/features/auth/account-menu.tsx';
import { SessionBanner } from '@/features/auth/session-banner.tsx';
import { RequireSession } from '@/features/auth/require-session.tsx';
import { PermissionNotice } from '@/features/auth/permission-notice.tsx';
import { AboutRoute } from './routes/about.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { PlaceholderRoute } from './routes/placeholder.tsx';

interface RouterContext {
  forcedRegion?: string;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: () => (
    <AppShell account={<AccountMenu />} banner={<SessionBanner />}>
      <Outlet />
    </AppShell>
  ),
  notFoundComponent: NotFoundRoute,
});

/** Pages that need the platform: sign-in first, then the permission notice above the page. */
function Signed({ children }: { children: ReactNode }) {
  const { forcedRegion } = rootRoute.useRouteContext();
  return (
    <RequireSession forcedRegion={forcedRegion}>
      <PermissionNotice />
      {children}
    </RequireSession>
  );
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
  component: () => (
    <Signed>
      <PlaceholderRoute page="conversations" />
    </Signed>
  ),
});
const bulkRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/bulk',
  component: () => (
    <Signed>
      <PlaceholderRoute page="bulk" />
    </Signed>
  ),
});
const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  component: () => (
    <Signed>
      <PlaceholderRoute page="audit" />
    </Signed>
  ),
});
const aboutRoute = createRoute({ getParentRoute: () => rootRoute, path: '/about', component: AboutRoute });

const routeTree = rootRoute.addChildren([indexRoute, conversationsRoute, bulkRoute, auditRoute, aboutRoute]);

/** History routing: the URL fragment belongs to the OAuth implicit redirect. */
export function createAppRouter(context: RouterContext) {
  return createRouter({ routeTree, basepath: import.meta.env.BASE_URL, context, defaultPreload: false });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
