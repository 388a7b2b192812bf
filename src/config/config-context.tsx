import { createContext, useContext, type ReactNode } from 'react';
import type { AppConfig } from './schema.ts';

const ConfigContext = createContext<AppConfig | null>(null);

export function ConfigProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  return <ConfigContext.Provider value={config}>{children}</ConfigContext.Provider>;
}

/** The validated runtime config; only rendered below a successful load. */
export function useAppConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useAppConfig() outside <ConfigProvider>');
  return config;
}
