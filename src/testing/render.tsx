import type { ReactElement, ReactNode } from 'react';
import { render, type RenderOptions } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18next from 'i18next';
import { initI18n, loadNamespaces } from '@/lib/i18n/i18n.ts';
import { NAMESPACES } from '@/lib/i18n/resources.ts';
import { BulkServiceProvider } from '@/features/wrap-up/bulk/bulk-service-context.tsx';

/** i18next in English, once per test file, with every catalogue loaded (the app loads them per page). */
export async function setupI18n(language: 'en' | 'de' = 'en') {
  if (!i18next.isInitialized) await initI18n();
  await i18next.changeLanguage(language);
  await loadNamespaces(NAMESPACES);
}

/** A fresh QueryClient (and bulk service) per test, with retries off (house style §10). */
export function renderWithProviders(ui: ReactElement, options?: RenderOptions) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <BulkServiceProvider>{children}</BulkServiceProvider>
    </QueryClientProvider>
  );
  return { queryClient, ...render(ui, { wrapper: Wrapper, ...options }) };
}
