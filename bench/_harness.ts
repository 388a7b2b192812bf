/**
 * What every browser benchmark needs: a fresh build, the built app served by `vite preview` and
 * pointed at a simulated org, and Chromium (Debian's when present) with the machine's headless flags.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

/** dist/ is stale when any source, public file or build config is newer than dist/index.html. */
export function distIsStale(): boolean {
  if (!existsSync('dist/index.html')) return true;
  const built = statSync('dist/index.html').mtimeMs;
  const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json', 'public/config.json'].filter((p) => existsSync(p));
  return inputs.some((p) => newest(p) > built);
}

export async function ensureBuilt(): Promise<void> {
  if (!distIsStale()) return;
  console.error('bench: dist/ is stale, building…');
  await build({ logLevel: 'warn' });
}

/** Serves dist/ with the security headers and a config.json pointing at the sim. */
export async function serveApp(simUrl: string, extraConfig: Record<string, unknown> = {}): Promise<{ server: PreviewServer; appUrl: string }> {
  process.env.WUD_CONFIG = JSON.stringify({ region: 'sim', simUrl, clientId: 'wrapup-desk-demo', grant: 'pkce', ...extraConfig });
  const server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview has no port');
  return { server, appUrl: `http://127.0.0.1:${address.port}` };
}

export function closeServer(server: PreviewServer): Promise<void> {
  return new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
