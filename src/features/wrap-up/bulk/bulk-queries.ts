/**
 * Query options of the bulk feature's own data (house style 3). The job history is read from this
 * browser's journal; while a job in it is not finished its counts move, so the list is read again
 * every `JOBS_REFRESH_MS` (TanStack Query's `refetchInterval`, only while such a job is listed).
 * Changes announced by other tabs invalidate it at once (the route's `onJobsChanged`).
 */
import { queryOptions } from '@tanstack/react-query';
import type { BulkService } from './bulk-service.ts';
import type { BulkJob } from './model.ts';

export const JOBS_REFRESH_MS = 5_000;

/** Whether a listed job may still change (running, paused, stopping, ready). */
export function jobsMayChange(jobs: readonly BulkJob[] | undefined): boolean {
  return !!jobs?.some((j) => j.state !== 'done' && j.state !== 'stopped');
}

export const bulkQueries = {
  all: () => ['bulk'] as const,
  jobsKey: () => [...bulkQueries.all(), 'jobs'] as const,
  // The service is the app's one journal reader (one per app), not an input of what is listed.
  jobs: (service: Pick<BulkService, 'listJobs'>) =>
    queryOptions({
      queryKey: bulkQueries.jobsKey(),
      queryFn: () => service.listJobs(),
      staleTime: 0,
      refetchInterval: (query) => (jobsMayChange(query.state.data) ? JOBS_REFRESH_MS : false),
    }),
};
