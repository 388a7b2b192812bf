import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { AppConfig } from '@/config/schema.ts';
import { ConfigProvider } from '@/config/config-context.tsx';
import { BulkServiceProvider } from '@/features/wrap-up/bulk/bulk-service-context.tsx';

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // The platform layer retries what is safe to retry, within the token's rate budget.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 60_000 },
      mutations: { retry: false },
    },
  });
}

export function AppProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <ConfigProvider config={config}>
      <QueryClientProvider client={queryClient}>
        {/* The one bulk service of the app (runners, journal, job locks); its code loads with the bulk page. */}
        <BulkServiceProvider>{children}</BulkServiceProvider>
      </QueryClientProvider>
    </ConfigProvider>
  );
}
