import { RouterProvider } from '@tanstack/react-router';
import { useState } from 'react';
import type { AppConfig } from '@/config/schema.ts';
import { AppProvider } from './provider.tsx';
import { createAppRouter } from './router.tsx';

export function App({ config, forcedRegion }: { config: AppConfig; forcedRegion?: string }) {
  const [router] = useState(() => createAppRouter({ forcedRegion }));
  return (
    <AppProvider config={config}>
      <RouterProvider router={router} />
    </AppProvider>
  );
}
