/**
 * Query-options factory of the conversations feature (house style 3): every input of a query
 * function is in its key. The list is cached per server-side filter set; the wrap-up status, sort
 * and selection are browser-side and never refetch.
 */
import { hashKey, queryOptions, type QueryClient, type QueryKey } from '@tanstack/react-query';
import {
  createConversationDetailsJob,
  getConversation,
  deleteConversationDetailsJob,
  getConversationDetailsJob,
  getConversationDetailsJobResults,
  getConversationDetailsJobsAvailability,
  getWrapupCodeDivisionViews,
  listQueues,
  listUsers,
  queryConversationDetails,
} from '@/lib/genesys/api.ts';
import type { ListParams } from './filters.ts';
import { JOB_PAGE_SIZE, PAGE_SIZE, emptyWorklist, loadWorklist, type LoaderApi, type PageSizeMemory, type WorklistData } from './loader.ts';
import { withConfirmedWrapup } from './wrapup-status.ts';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
      return;
    }
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The loader's platform calls: the app's one API layer (shared limiter, retries, ApiError). */
export const platformLoaderApi: LoaderApi = {
  query: (body, signal) => queryConversationDetails(body, { signal }),
  availability: (signal) => getConversationDetailsJobsAvailability({ signal }),
  createJob: (body, signal) => createConversationDetailsJob(body, { signal }),
  getJob: (jobId, signal) => getConversationDetailsJob(jobId, { signal }),
  deleteJob: (jobId) => deleteConversationDetailsJob(jobId),
  jobResults: (jobId, cursor, signal) => getConversationDetailsJobResults(jobId, { ...(cursor ? { cursor } : {}), pageSize: JOB_PAGE_SIZE }, { signal }),
  sleep,
  now: () => Date.now(),
};

/**
 * The synchronous page size for every load of this page's life (loader.ts). It starts at the 100
 * every org serves: asking for 200 first costs a refused request (a 400 in the browser's console and
 * in the platform's error counts) on every org that does not serve it, e.g. the sim's harsh profile.
 * `{ size: null }` would make the first load ask for 200 and learn; that belongs behind the platform
 * check's page-size probe (issue 17, not yet wired).
 */
const pageSizeMemory: PageSizeMemory = { size: PAGE_SIZE };

/** The user's Cancel for a running load, per query key. */
const stopControllers = new Map<string, AbortController>();

export const conversationQueries = {
  all: () => ['conversations'] as const,
  lists: () => [...conversationQueries.all(), 'list'] as const,
  list: (params: ListParams) =>
    queryOptions({
      queryKey: [...conversationQueries.lists(), params] as const,
      queryFn: async ({ signal, client, queryKey }): Promise<WorklistData> => {
        const key = hashKey(queryKey);
        stopControllers.get(key)?.abort();
        const stop = new AbortController();
        stopControllers.set(key, stop);
        // A refresh starts from an empty list with fresh progress, not the old rows.
        client.setQueryData<WorklistData>(queryKey, emptyWorklist(Date.now()));
        try {
          return await loadWorklist(params, {
            api: platformLoaderApi,
            pageSize: pageSizeMemory,
            signal,
            stopSignal: stop.signal,
            onUpdate: (partial) => {
              if (!signal.aborted) client.setQueryData<WorklistData>(queryKey, partial);
            },
          });
        } finally {
          if (stopControllers.get(key) === stop) stopControllers.delete(key);
        }
      },
      staleTime: 5 * 60_000,
      gcTime: 10 * 60_000,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      retry: false,
    }),
  detail: (conversationId: string) =>
    queryOptions({
      queryKey: [...conversationQueries.all(), 'detail', conversationId] as const,
      queryFn: ({ signal }) => getConversation(conversationId, { signal }),
      staleTime: 0,
      retry: false,
    }),
  queues: () =>
    queryOptions({
      queryKey: [...conversationQueries.all(), 'directory', 'queues'] as const,
      queryFn: ({ signal }) => listQueues({ signal }),
      staleTime: 30 * 60_000,
      retry: false,
    }),
  users: () =>
    queryOptions({
      queryKey: [...conversationQueries.all(), 'directory', 'users'] as const,
      queryFn: ({ signal }) => listUsers({ signal }),
      staleTime: 30 * 60_000,
      retry: false,
    }),
  /** Active and deleted codes: analytics still carries ids of deleted ones [H]. */
  codes: () =>
    queryOptions({
      queryKey: [...conversationQueries.all(), 'directory', 'codes'] as const,
      queryFn: ({ signal }) => getWrapupCodeDivisionViews({ signal }),
      staleTime: 30 * 60_000,
      retry: false,
    }),
};

/** Stops a running load; what arrived stays and is marked cancelled. */
/**
 * After a confirmed write: patch the row in every loaded worklist (no reload of thousands of
 * conversations for one code) and refresh that conversation's detail panel.
 */
export function applyConfirmedWrapup(
  client: QueryClient,
  w: { conversationId: string; participantId: string; communicationId: string; code: string; notes?: string },
): Promise<void> {
  client.setQueriesData<WorklistData>({ queryKey: conversationQueries.lists() }, (data) =>
    data ? { ...data, rows: data.rows.map((r) => (r.id === w.conversationId ? withConfirmedWrapup(r, w) : r)) } : data,
  );
  return client.invalidateQueries({ queryKey: conversationQueries.detail(w.conversationId).queryKey });
}

export function stopLoading(queryKey: QueryKey): boolean {
  const c = stopControllers.get(hashKey(queryKey));
  if (!c) return false;
  c.abort();
  return true;
}

/** Loads the list again from the platform (the visible Refresh). */
export function refreshList(client: QueryClient, params: ListParams): Promise<void> {
  return client.refetchQueries({ queryKey: conversationQueries.list(params).queryKey, exact: true });
}
