/**
 * Load benchmark (issue 17): what the browser fetches before the first screen it needs.
 *
 *   npm run bench -- load
 *
 * The built app (dist/, rebuilt when stale) is served by `vite preview` with its security headers
 * against a simulated org with auto-login; Chromium opens `/conversations?range=last7d` in a fresh
 * context, which shows the sign-in page. Then it presses Sign in: the sim answers the PKCE redirect
 * at once and the app comes back to the worklist.
 *
 * - `signin_js_gz_kb`: gzip size (Node's zlib at its default level) of every app JS file the
 *   sign-in page requested (Spark's own files under /spark/ excluded), read from dist/ by URL,
 *   never from transfer sizes (the local preview server does not compress). Vite's build report
 *   gives somewhat larger gzip figures for the same files (e.g. vendor 124.1 KB there, 119.9 KB here).
 * - `worklist_js_gz_kb`: the same for the document that comes back from sign-in, up to its first
 *   rows and a quiet network (so chunks loaded on first use of the worklist count).
 * - `spark_kb`: bytes of the Spark files (/spark/…) the sign-in page fetched.
 * - `requests`: every request of the sign-in page (its document included) until the network is quiet.
 * - `first_form_ms`: from the sign-in page's navigation start to its Sign in button being rendered
 *   and visible (Spark hides its components until they hydrate).
 * - `first_rows_ms`: from the click on Sign in (redirect to the login host and back included) to the
 *   first worklist row in the DOM.
 * A request served from the browser cache still counts: the question is what the page needs.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Request } from '@playwright/test';
import { startSim } from '../genesys-sim/src/index.ts';
import { closeServer, ensureBuilt, launchChromium, serveApp } from './_harness.ts';

const DIST = 'dist';

/*
 * Runs in every document of the context before its own scripts (a plain JavaScript string: tsx
 * would wrap named functions in a `__name` helper the page does not have). Each animation frame it
 * notes when the Sign in button is first visible and when the first worklist row appears.
 */
const MARKS = `(() => {
  const marks = {};
  window.__wudLoadMarks = marks;
  const now = () => ({ rel: performance.now(), epoch: performance.timeOrigin + performance.now() });
  const formVisible = () => {
    const b = document.querySelector('form.sign-in-form button[type="submit"]');
    if (!b) return false;
    const r = b.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(b).visibility === 'visible';
  };
  const tick = () => {
    if (!marks.form && formVisible()) marks.form = now();
    if (!marks.rows && document.querySelector('.worklist-table tbody tr[data-row-id]')) marks.rows = now();
    if (!marks.form || !marks.rows) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

interface Mark {
  rel: number;
  epoch: number;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The dist/ file a same-origin URL serves, or undefined (API, sim, other origins). */
function distFile(url: string, appOrigin: string): string | undefined {
  const u = new URL(url);
  if (u.origin !== appOrigin) return undefined;
  const path = join(DIST, decodeURIComponent(u.pathname));
  return existsSync(path) ? path : undefined;
}

function isSpark(url: string): boolean {
  return new URL(url).pathname.startsWith('/spark/');
}

function isAppJs(url: string, appOrigin: string): boolean {
  const u = new URL(url);
  return u.origin === appOrigin && u.pathname.endsWith('.js') && !isSpark(url);
}

/** Unique files only: a chunk requested twice (module preload, then import) is downloaded once. */
function sumJsGzipKb(urls: readonly string[], appOrigin: string): { kb: number; files: string[] } {
  const files = [...new Set(urls.filter((u) => isAppJs(u, appOrigin)).map((u) => distFile(u, appOrigin)))].filter((f): f is string => !!f);
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
  return { kb: round(bytes / 1024), files };
}

export async function runLoadBench(argv: string[]): Promise<void> {
  if (argv.length > 0) throw new Error(`load takes no options (got ${argv.join(' ')})`);
  await ensureBuilt();
  const sim = await startSim({ port: 0, control: true, autoLogin: 'supervisor@demo.example', seed: 1, conversations: 600, days: 6, analyticsLagMs: 0 });
  const { server, appUrl } = await serveApp(sim.url);
  const appOrigin = new URL(appUrl).origin;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    await context.addInitScript(MARKS);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });

    // One bucket of requests per top-level document: a new one starts at each main-frame navigation.
    const documents: string[][] = [];
    page.on('request', (req: Request) => {
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) documents.push([]);
      documents.at(-1)?.push(req.url());
    });

    await page.goto(`${appUrl}/conversations?range=last7d`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    const signinMarks = await page.evaluate<{ form?: Mark }>('window.__wudLoadMarks');
    const signin = documents.at(-1) ?? [];
    const signinJs = sumJsGzipKb(signin, appOrigin);
    const sparkBytes = [...new Set(signin.filter((u) => isSpark(u)).map((u) => distFile(u, appOrigin)))]
      .filter((f): f is string => !!f)
      .reduce((n, f) => n + readFileSync(f).length, 0);

    const clickedAt = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.worklist-table tbody tr[data-row-id]').first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    const worklistMarks = await page.evaluate<{ rows?: Mark }>('window.__wudLoadMarks');
    const worklist = documents.at(-1) ?? [];
    const worklistJs = sumJsGzipKb(worklist, appOrigin);

    console.error(`bench: sign-in page JS: ${signinJs.files.map((f) => f.slice(DIST.length + 1)).join(', ')}`);
    console.error(`bench: worklist JS: ${worklistJs.files.map((f) => f.slice(DIST.length + 1)).join(', ')}`);
    for (const p of problems) console.error(`bench: ${p}`);

    const result = {
      bench: 'load',
      signin_js_gz_kb: signinJs.kb,
      worklist_js_gz_kb: worklistJs.kb,
      spark_kb: round(sparkBytes / 1024),
      requests: signin.length,
      first_form_ms: signinMarks.form ? round(signinMarks.form.rel) : null,
      first_rows_ms: worklistMarks.rows ? round(worklistMarks.rows.epoch - clickedAt) : null,
    };
    console.log(JSON.stringify(result));
    if (result.signin_js_gz_kb > 160) console.error(`bench: sign-in JS ${result.signin_js_gz_kb} KB gzip is above the 160 KB target`);
    if (result.worklist_js_gz_kb > 230) console.error(`bench: worklist JS ${result.worklist_js_gz_kb} KB gzip is above the 230 KB target`);
  } finally {
    await browser.close();
    await closeServer(server);
    await sim.close();
  }
}

/** Entry point for the dispatcher (`bench/run.ts` imports `<name>.ts` and calls `run`). */
export const run = runLoadBench;
