/**
 * Takes the README's screenshot of the real app: starts the simulated org and the built app,
 * signs in as the demo supervisor and saves docs/screenshot.png.
 *   npm run screenshot   (builds first)
 */
import { chromium } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { preview } from 'vite';
import { startSim } from '../genesys-sim/src/index.ts';

async function main() {
  const sim = await startSim({ port: 0, autoLogin: 'supervisor@demo.example', seed: 1 });
  process.env.WUD_CONFIG = JSON.stringify({ region: 'sim', simUrl: sim.url, clientId: 'wrapup-desk-demo', grant: 'pkce' });
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview has no port');
  const browser = await chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 }, locale: 'en-US' });
    await page.goto(`http://127.0.0.1:${address.port}/${process.argv[2] ?? ''}`);
    const signIn = page.getByRole('button', { name: 'Sign in' });
    const signedIn = page.getByText(/^Signed in as /);
    await signIn.or(signedIn).first().waitFor({ timeout: 30_000 });
    if (await signIn.isVisible()) await signIn.click();
    await signedIn.waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    // Let the worklist finish arriving (its progress text disappears) before the picture.
    await page
      .getByRole('progressbar')
      .waitFor({ state: 'detached', timeout: 60_000 })
      .catch(() => undefined);
    mkdirSync('docs', { recursive: true });
    await page.screenshot({ path: 'docs/screenshot.png' });
    console.log('saved docs/screenshot.png');
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
    await sim.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
