import { defineConfig, type ConfigEnv } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { sparkAssets, sparkVersion } from './scripts/spark-assets.ts';
import { securityHeaders } from './scripts/security-headers.ts';
import { readFileSync } from 'node:fs';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The libraries of the shell (every screen, the sign-in page included): React, the router, server
 * state, languages, stores, Spark's React wrappers. zod is not one of them: only the forms use it.
 */
const VENDOR =
  /node_modules[\\/](react|react-dom|scheduler|use-sync-external-store|@tanstack[\\/](react-router|router-core|history|store|react-store|query-core|react-query)|i18next|react-i18next|zustand|genesys-spark|genesys-spark-components-react)[\\/]/;

/**
 * One build serves many orgs: the deployment's settings live in `public/config.json`, read at run time.
 * `WUD_BASE` sets the base path (e.g. `/wrapup-desk/`); the e2e suite builds under a base path to prove it works.
 */
export default ({ mode }: ConfigEnv) => {
  const base = process.env.WUD_BASE ?? '/';
  const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { version: string };
  return defineConfig({
    base,
    define: {
      __APP_VERSION__: JSON.stringify(pkg.version),
      __SPARK_VERSION__: JSON.stringify(sparkVersion()),
    },
    plugins: [react(), sparkAssets(), securityHeaders({ base, mode })],
    resolve: {
      alias: [
        { find: /^@\//, replacement: here('./src/') },
        // The SDK's Node-only loggers and ini parser are reached only behind Node checks; keep them out of the bundle.
        { find: /^winston$/, replacement: here('./src/lib/genesys/stubs/winston.ts') },
        { find: /^configparser$/, replacement: here('./src/lib/genesys/stubs/configparser.ts') },
      ],
    },
    build: {
      // Spark's own assets are copied to public/spark/; nothing is inlined so the CSP stays 'self' only.
      assetsInlineLimit: 0,
      sourcemap: false,
      reportCompressedSize: true,
      chunkSizeWarningLimit: 1200,
      rolldownOptions: {
        output: {
          // Libraries change less often than the app: separate chunks stay cached across releases.
          // Only libraries every screen needs (the sign-in page included) are grouped here: a group
          // is loaded with the entry, so a library used only by a page that loads on first use
          // (react-hook-form, TanStack Table/Virtual) is left to rolldown, which puts it in that page's chunk.
          codeSplitting: {
            groups: [
              { name: 'genesys-sdk', test: /node_modules[\\/](purecloud-platform-client-v2|axios)[\\/]/, priority: 2 },
              { name: 'vendor', test: VENDOR, priority: 1 },
              // One chunk per catalogue (lib/i18n/i18n.ts loads them per language and page), named for what it is.
              {
                name: (id: string) => /[\\/]locales[\\/](\w+)[\\/](\w+)\.json$/.exec(id)?.slice(1).join('-').replace(/^/, 'locale-') ?? null,
                debugName: 'locales',
                test: /[\\/]src[\\/]locales[\\/]/,
                priority: 3,
              },
            ],
          },
        },
      },
    },
    server: { strictPort: true, host: '127.0.0.1' },
    preview: { strictPort: true, host: '127.0.0.1' },
  });
};
