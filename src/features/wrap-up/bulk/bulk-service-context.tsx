/**
 * Where the app keeps its one bulk service (see bulk-service.ts). The provider holds an empty slot
 * and the bulk page fills it on first use (`useBulkService`), so the app's first load carries none
 * of the bulk code (the route loads it on first use, router.tsx). Only a type comes from there.
 */
import { createContext, useState, type ReactNode } from 'react';
import type { BulkService } from './bulk-service.ts';

export interface BulkServiceSlot {
  /** The app's service, created by `create` the first time it is asked for. */
  get(create: () => BulkService): BulkService;
}

export const BulkServiceContext = createContext<BulkServiceSlot | null>(null);

function createSlot(): BulkServiceSlot {
  let service: BulkService | null = null;
  return {
    get: (create) => (service ??= create()),
  };
}

export function BulkServiceProvider({ children }: { children: ReactNode }) {
  const [slot] = useState(createSlot);
  return <BulkServiceContext.Provider value={slot}>{children}</BulkServiceContext.Provider>;
}
