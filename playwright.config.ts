import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';
import type { SimProjectOptions } from './e2e/fixtures.ts';

/**
 * E2E runs against the simulated org over real HTTP, on the built app served by `vite preview`
 * under a base path (proving the app works below one). Ports are configurable because the machine
 * is shared; servers are never reused.
 */
const simPort = Number(process.env.E2E_SIM_PORT ?? 47310);
const appPort = Number(process.env.E2E_APP_PORT ?? 47311);
export const e2eBase = '/wrapup-desk/';
const simUrl = `http://127.0.0.1:${simPort}`;
/** Separate build and result folders per port pair, so two runs on one machine do not collide. */
const outDir = process.env.E2E_OUT_DIR ?? 'dist-e2e';
const appOrigin = `http://127.0.0.1:${appPort}`;

const chromium = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const appConfig = JSON.stringify({ region: 'sim', simUrl, clientId: 'wrapup-desk-demo', grant: 'pkce' });

const browser = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: chromium,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  },
};

export default defineConfig<SimProjectOptions>({
  testDir: './e2e',
  outputDir: process.env.E2E_RESULTS_DIR ?? './test-results',
  fullyParallel: false,
  // One simulated org is shared by the suite; tests reset it, so they run one at a time.
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `${appOrigin}${e2eBase}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: ['harsh.spec.ts'],
      use: browser,
    },
    {
      // The worklist, single-write and bulk specs again, against a sim with every unknown of the
      // platform on its harsher side (genesys-sim/README.md "--profile harsh"; docs/genesys-platform.md §8)
      // except the write policy: those specs write ended conversations as a supervisor, which the
      // profile's `during-acw` refuses. harsh.spec.ts runs the profile's own write policy.
      name: 'harsh',
      testMatch: ['worklist.spec.ts', 'wrap-up.spec.ts', 'bulk.spec.ts', 'harsh.spec.ts'],
      use: { ...browser, simOptions: { profile: 'harsh', wrapupPolicy: 'permissive' } },
    },
  ],
  webServer: [
    {
      command: `node --import tsx genesys-sim/src/cli.ts --port ${simPort} --control --seed 7 --conversations 400`,
      url: `${simUrl}/__sim/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe',
    },
    {
      command: `npx vite build --outDir ${outDir} --emptyOutDir && npx vite preview --outDir ${outDir} --port ${appPort} --strictPort`,
      url: `${appOrigin}${e2eBase}config.json`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: { WUD_BASE: e2eBase, WUD_CONFIG: appConfig },
    },
  ],
  metadata: { simUrl, appOrigin },
});

export { simUrl, appOrigin };
