import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { appOrigin, simUrl } from '../playwright.config.ts';
import { ACW_GRACE_MS } from '../src/lib/genesys/wrapup-rules.ts';

/** Talks to the simulated org's control API (only on with --control). */
export class SimControl {
  /** `base`: options every reset starts from (the Playwright project's, e.g. `{profile: 'harsh'}`). */
  constructor(
    readonly url: string,
    readonly base: Record<string, unknown> = {},
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/__sim/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sim ${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  reset(options: Record<string, unknown> = {}) {
    return this.call<unknown>('POST', 'reset', { ...this.base, ...options });
  }
  /** True when the project runs the sim under the harsh profile. */
  get harsh(): boolean {
    return this.base.profile === 'harsh';
  }
  setOptions(options: Record<string, unknown>) {
    return this.call<unknown>('POST', 'options', options);
  }
  setFaults(faults: Record<string, unknown>) {
    return this.call<unknown>('POST', 'faults', faults);
  }
  writes<T = unknown[]>() {
    return this.call<T>('GET', 'writes');
  }
  requests<T = unknown>() {
    return this.call<T>('GET', 'requests');
  }
  /** Revokes tokens: `{email}` for one user's, `{}` for all (as an admin or the platform would). */
  revoke(body: Record<string, unknown> = {}) {
    return this.call<unknown>('POST', 'revoke', body);
  }
  /**
   * The sim's ground truth for a window. After-call work pending for less than the app's grace
   * period counts as active there, as in the app (a product rule, `ACW_GRACE_MS`).
   */
  truth<T = unknown>(query: Record<string, unknown>) {
    return this.call<T>('POST', 'truth', { acwGraceMs: ACW_GRACE_MS, ...query });
  }
  /** An agent (another token) wraps up a communication now. */
  agentWrapup(body: { conversationId: string; participantId: string; communicationId?: string; code: string }) {
    return this.call<unknown>('POST', 'agent-wrapup', body);
  }
  notifications<T = unknown>() {
    return this.call<T>('GET', 'notifications');
  }
  /** Chat messages sent through `POST /api/v2/chats/users/{userId}/messages` (`to`: a user id or email). */
  chats<T = { chats: unknown[] }>(query: { to?: string; from?: string; since?: number } = {}) {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    const qs = q.toString();
    return this.call<T>('GET', `chats${qs === '' ? '' : `?${qs}`}`);
  }
  /** The agent's active communication ends now; its after-call work starts (`acw: false`: none). */
  agentDisconnect(body: { conversationId: string; participantId: string; communicationId?: string; acw?: boolean }) {
    return this.call<unknown>('POST', 'agent-disconnect', body);
  }
  /** The agent leaves after-call work without a code (`acwState`: `skipped`, the default, or `complete`). */
  acwEnd(body: { conversationId: string; participantId: string; communicationId?: string; acwState?: 'skipped' | 'complete' }) {
    return this.call<unknown>('POST', 'acw-end', body);
  }
}

export interface Guard {
  consoleErrors: string[];
  cspViolations: string[];
  foreignRequests: string[];
}

const allowedOrigins = new Set([appOrigin, new URL(simUrl).origin]);
/** Notification sockets may go to the sim only (`ws://<sim host:port>`, its channels' connectUri). */
const simHost = new URL(simUrl).host;

/** Watches a page: console errors, CSP violations and requests or WebSockets to any other host fail the test. */
export async function guardPage(page: Page, guard: Guard) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') guard.consoleErrors.push(`${msg.text()} @ ${msg.location().url}`);
  });
  page.on('pageerror', (err) => guard.consoleErrors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return;
    if (!allowedOrigins.has(new URL(url).origin)) guard.foreignRequests.push(url);
  });
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).host !== simHost) guard.foreignRequests.push(`websocket ${ws.url()}`);
  });
  await page.exposeBinding('__wudCspViolation', (_src, text: string) => {
    guard.cspViolations.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __wudCspViolation?: (t: string) => void }).__wudCspViolation;
      report?.(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber}) sample=${e.sample}`);
    });
  });
}

/**
 * The browser logs a console error for a request that fails on purpose: "Failed to load resource"
 * for a refusal (4xx), a CORS complaint for a lost response (its headers never arrived). Only those,
 * for URLs matching `pattern`, are taken out of the guard; anything else still fails the test.
 * Returns how many were taken out.
 */
export function allowResourceErrors(guard: Guard, pattern: RegExp): number {
  const expected = guard.consoleErrors.filter((e) => (e.startsWith('Failed to load resource') || e.includes('blocked by CORS policy')) && pattern.test(e));
  guard.consoleErrors.splice(0, guard.consoleErrors.length, ...guard.consoleErrors.filter((e) => !expected.includes(e)));
  return expected.length;
}

/** axe: no serious or critical WCAG 2.1 A/AA violation on the current screen. */
export async function expectAccessible(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe on ${screen}`).toEqual([]);
}

export const SUPERVISOR = 'supervisor@demo.example';
export const VIEWER = 'viewer@demo.example';

/**
 * Signs in through the app's own screen. With `autoLogin` set on the sim, the simulated login page
 * answers at once (as the platform does while its session cookie lives).
 */
export async function signIn(page: Page, sim: SimControl, opts: { as?: string; path?: string; grant?: 'pkce' | 'implicit' } = {}) {
  await sim.setOptions({ autoLogin: opts.as ?? SUPERVISOR });
  await page.goto(opts.path ?? './conversations');
  if (opts.grant === 'implicit') await page.getByLabel('Implicit grant').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/^Signed in as /)).toBeVisible();
}

export interface SimProjectOptions {
  /** Options of the simulated org for every test of the project (`playwright.config.ts` projects). */
  simOptions: Record<string, unknown>;
}

export const test = base.extend<{ sim: SimControl; guard: Guard; signedInPage: Page }, SimProjectOptions>({
  simOptions: [{}, { option: true, scope: 'worker' }],
  // Every test starts from a freshly seeded org with no faults, sessions or logs.
  // Automatic: even a test that never touches the sim starts from a clean one.
  sim: [
    async ({ simOptions }, use) => {
      const sim = new SimControl(simUrl, simOptions);
      await sim.reset({});
      await use(sim);
    },
    { auto: true },
  ],
  signedInPage: async ({ page, sim }, use) => {
    await signIn(page, sim);
    await use(page);
  },
  guard: [
    async ({ page }, use) => {
      const guard: Guard = { consoleErrors: [], cspViolations: [], foreignRequests: [] };
      await guardPage(page, guard);
      await use(guard);
      expect(guard.cspViolations, 'CSP violations').toEqual([]);
      expect(guard.foreignRequests, 'requests to foreign hosts').toEqual([]);
      expect(guard.consoleErrors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
