/**
 * Query options of "My missing wrap-ups" without analytics (the call history); with analytics the
 * page uses the worklist's own `conversationQueries.list`. The key sits under the worklist's
 * `conversations/list`, so a confirmed write patches these rows as it patches the worklist's
 * (`applyConfirmedWrapup`) and an unconfirmed one reloads them.
 */
import { queryOptions } from '@tanstack/react-query';
import { getMediaConversation, listCallHistory } from '@/lib/genesys/api.ts';
import { conversationQueries } from './conversation-queries.ts';
import { loadCallHistory, type HistoryApi, type HistoryData } from './history-loader.ts';

export const platformHistoryApi: HistoryApi = {
  history: (interval, signal) => listCallHistory(interval, { signal }),
  mediaConversation: (conversationId, signal) => getMediaConversation('calls', conversationId, { signal }),
  now: () => Date.now(),
};

export const myQueries = {
  history: (userId: string, interval: string) =>
    queryOptions({
      queryKey: [...conversationQueries.lists(), 'call-history', userId, interval] as const,
      queryFn: ({ signal, client, queryKey }): Promise<HistoryData> =>
        loadCallHistory(interval, userId, platformHistoryApi, {
          signal,
          onUpdate: (partial) => {
            if (!signal.aborted) client.setQueryData<HistoryData>(queryKey, partial);
          },
        }),
      staleTime: 5 * 60_000,
      gcTime: 10 * 60_000,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      retry: false,
    }),
};
