import type { ReactNode } from 'react';
import { createRootRouteWithContext, createRoute, createRouter, Outlet, redirect, stripSearchParams } from '@tanstack/react-router';
import { AppShell } from '@/components/layout/app-shell.tsx';
import { AccountMenu } from '@/features/auth/account-menu.tsx';
import { SessionBanner } from '@/features/auth/session-banner.tsx';
import { RequireSession } from '@/features/auth/require-session.tsx';
import { PermissionNotice } from '@/features/auth/permission-notice.tsx';
import { worklistSearchSchema, WORKLIST_DEFAULTS } from '@/features/conversations/filters.ts';
import { AboutRoute } from './routes/about.tsx';
import { ConversationsRoute } from './routes/conversations.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { WrapupRoute, wrapupSearchSchema } from './routes/wrap-up.tsx';
import { AuditRoute, auditSearchSchema } from './routes/audit.tsx';
import { BulkRoute, bulkSearchSchema } from './routes/bulk.tsx';

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
  validateSearch: worklistSearchSchema,
  search: { middlewares: [stripSearchParams(WORKLIST_DEFAULTS)] },
  component: () => (
    <Signed>
      <ConversationsRoute />
    </Signed>
  ),
});
const bulkRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/bulk',
  validateSearch: (search: Record<string, unknown>) => bulkSearchSchema.parse(search),
  component: function BulkRouteComponent() {
    const { job } = bulkRoute.useSearch();
    const navigate = bulkRoute.useNavigate();
    return (
      <Signed>
        <BulkRoute jobId={job ?? ''} onOpenJob={(id) => void navigate({ search: id ? { job: id } : {} })} />
      </Signed>
    );
  },
});
const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  validateSearch: (search: Record<string, unknown>) => auditSearchSchema.parse(search),
  component: function AuditRouteComponent() {
    const filters = auditRoute.useSearch();
    const navigate = auditRoute.useNavigate();
    return (
      <Signed>
        <AuditRoute filters={filters} onFiltersChange={(search) => void navigate({ search, replace: true })} />
      </Signed>
    );
  },
});
/** Apply a wrap-up to one participant: `/conversations/<cid>/wrap-up?participant=<pid>`. */
const wrapupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/conversations/$conversationId/wrap-up',
  validateSearch: (search: Record<string, unknown>) => wrapupSearchSchema.parse(search),
  component: function WrapupRouteComponent() {
    const { conversationId } = wrapupRoute.useParams();
    const { participant } = wrapupRoute.useSearch();
    return (
      <Signed>
        <WrapupRoute key={`${conversationId}/${participant}`} conversationId={conversationId} participantId={participant} />
      </Signed>
    );
  },
});
const aboutRoute = createRoute({ getParentRoute: () => rootRoute, path: '/about', component: AboutRoute });

const routeTree = rootRoute.addChildren([indexRoute, conversationsRoute, bulkRoute, auditRoute, wrapupRoute, aboutRoute]);

/** History routing: the URL fragment belongs to the OAuth implicit redirect. */
export function createAppRouter(context: RouterContext) {
  return createRouter({ routeTree, basepath: import.meta.env.BASE_URL, context, defaultPreload: false });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
