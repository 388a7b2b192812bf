/**
 * Bulk wrap-up benchmark (issue 7 item 7): the real app in Chromium against the simulated org.
 *
 *   npm run bench -- bulk [--items 1000] [--rate-limit 300] [--latency-ms 100] [--budget 0.9] [--profile harsh] [--reload-at F|none]
 *
 * `--profile harsh`: the sim's harsh profile (genesys-sim/README.md: day-wide queries, page drift,
 * a limit shared by the user's tokens of this client, rate headers hidden from the browser, events
 * only for agents' writes, 5% of events lost, analytics 10 s behind), except its write policy:
 * supervisors may write ended conversations (`wrapupPolicy: permissive`), or there would be
 * nothing to measure (which writes an org allows is the platform check's subject).
 *
 * The sim enforces `--rate-limit` requests per rolling minute per token; the app is configured with
 * the same platform limit and `--budget` as its `rateLimit.budgetFraction` (the app's default, 0.9).
 * The job's writes share that budget with its few other requests (≈ 2%: the notification channel
 * and subscriptions, batched re-checks), so at the default budget `ratio` cannot exceed about
 * 0.9 / requests_per_item; `ratio_to_budget` says how close the job comes to the budget it was given. The bench picks N writable missing items
 * from the sim's ground truth (one code allowed for all of them), imports them in the app by paste,
 * previews, presses Start, and waits for "Finished". Everything reported is measured:
 * - `applied_per_min`: applied writes per FULL minute from the first applied write: the count in
 *   [first, first + k minutes) / k, for the largest whole k. A rolling window lets a job send a whole
 *   window's budget at once at the start (and again each time those requests leave the window), so
 *   a rate over an arbitrary span (Start → last write) flatters short runs; whole minutes from the
 *   first write cannot hold more than the limit. Runs shorter than one minute fall back to the
 *   whole run (`ratio_basis: "whole-run"`);
 * - `ratio`: applied_per_min / the sim's limit in force (`ratio_whole_run`: applied / (last applied − Start));
 * - `requests_per_item`: every `/api/v2` request the sim saw from Start on, over the items;
 * - `double_writes`: targets with more than one applied write of ours;
 * - `overwrites`: our applied writes that landed on a wrap-up someone else (an agent) had set;
 * - `lost`: targets that ended with no wrap-up at all;
 * - `seconds`: Start → the page shows "Finished".
 * - `steady_ratio`: like `ratio`, over the full minutes after the first one (the first minute may
 *   hold a burst of a whole rolling window); null when the run has fewer than 2 full minutes;
 * - `requests_by`: the run's requests by kind (`writes`, `live_reads` of a communication's wrap-up,
 *   `checks`: batched analytics re-reads, `codes`: allowed-code lists, `notifications`: channel and
 *   subscriptions, `other`), per item in `requests_per_item_by`;
 * - `preview_seconds`: "Check lines" → the preview's counts shown (reading every item);
 *   `preview_requests`: the requests that took;
 * - `heap_mb`: the page's JS heap at the end after a forced garbage collection (CDP), `heap_peak_mb`:
 *   the largest used heap sampled every second during the run;
 * - `resume_ms`: with `--reload-at F` (default 0.5 from 10,000 items on, otherwise none), the page
 *   is reloaded once that share of the items is done; the time from the reload to the job's counts
 *   shown again, running (the journal read back from IndexedDB), null without a reload.
 * `chaos.ts` runs the same scenario with faults, agents and a reload (`runBulkScenario`).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { pickSharedCodeTargets, startSim, wrapupUrl, type OrgSummary, type TruthItem } from '../genesys-sim/src/index.ts';
import { closeServer, ensureBuilt, launchChromium, serveApp } from './_harness.ts';
import { parseCsv } from '../src/lib/csv.ts';
import { budgetFrom } from '../src/lib/genesys/rate-limiter.ts';

const SUPERVISOR = 'supervisor@demo.example';
const SUPERVISOR_2 = 'supervisor2@demo.example';
const DAY = 86_400_000;

export interface ScenarioOptions {
  items: number;
  rateLimit: number;
  latencyMs: number;
  /** The app's `rateLimit.budgetFraction`. */
  budget: number;
  /** Sim faults set right before Start (chaos). */
  faults?: Record<string, unknown>;
  /** Share of the items an agent wraps up during the run (chaos). */
  agentShare?: number;
  /** Reload the page once this share of items has finished (chaos). */
  reloadAt?: number;
  /** Open the job in a second tab of the same browser while it runs (chaos, checklist #19). */
  secondTab?: boolean;
  /** Afterwards, a small second job meets a 429 with a long Retry-After and is stopped (chaos, #14 and #20). */
  tail?: number;
  /** The sim's profile (`harsh`), or none. */
  profile: 'harsh' | null;
  /** Share of the items a second supervisor (another user) codes through the API during the run. */
  secondSupervisorShare?: number;
  /** The platform drops every notification socket this often (ms) during the run (chaos). */
  socketDropEveryMs?: number;
  /** false: the sim has no notifications at all (channels 404). */
  notifications?: boolean;
}

export interface TailResult {
  /** The page said the platform asked to wait until a time. */
  pausedWithMessage: boolean;
  /** Our write requests the sim saw while the job was paused and after Stop. */
  sentWhilePaused: number;
  sentAfterStop: number;
  /** The job ended as "Stopped" with every item in a final state. */
  stopped: boolean;
}

type Missing = TruthItem;
type Org = OrgSummary;
export interface Write {
  seq: number;
  at: number;
  via: 'post' | 'patch' | 'agent';
  conversationId: string;
  participantId: string;
  communicationId: string | null;
  code: string | null;
  outcome: 'applied' | 'refused' | 'fault';
  status: number;
  responseLost: boolean;
  userEmail?: string;
  fault?: string | null;
}
export interface RequestEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  fault: string | null;
}
interface RequestLog {
  rateLimit: number;
  tokens: { token: string; userEmail: string | null; maxInWindow: number; entries?: RequestEntry[] }[];
}

export interface ScenarioResult {
  line: {
    bench: string;
    items: number;
    limit_per_min: number;
    applied_per_min: number;
    ratio: number;
    requests_per_item: number;
    double_writes: number;
    overwrites: number;
    lost: number;
    seconds: number;
    ratio_whole_run: number;
    ratio_basis: 'full-minutes' | 'whole-run';
    budget_fraction: number;
    ratio_to_budget: number;
    profile: 'harsh' | 'default';
    /** Overwrites by whose code was overwritten. */
    overwrites_by: { agent: number; supervisor: number };
    /** Overwrites the results told the user about ("may have replaced", with a restore offer). */
    overwrites_reported: number;
    /** Double writes by the fault of the item's first write. */
    double_writes_by: Record<string, number>;
    notifications: boolean;
    /** Live reads of a communication's wrap-up (GET …/wrapup) from Start on. */
    live_reads: number;
    /**
     * For writes that followed a live read of the same communication: the time between the two
     * arriving at the platform (the residual race of a read-before-write: another user's code
     * landing inside it would be replaced). Median and 95th percentile; null without such writes.
     */
    read_to_write_ms: { p50: number; p95: number; n: number } | null;
    steady_ratio: number | null;
    requests_by: Record<RequestKind, number>;
    requests_per_item_by: Record<RequestKind, number>;
    preview_seconds: number;
    preview_requests: number;
    heap_mb: number;
    heap_peak_mb: number;
    resume_ms: number | null;
  };
  writes: Write[];
  requests: RequestEntry[];
  startedAt: number;
  targets: Missing[];
  agentKeys: Set<string>;
  /** Items the second supervisor coded. */
  otherKeys: Set<string>;
  /** The outcome the results export gave each item (conversation/participant key). */
  uiOutcome: Map<string, string>;
  /** What the page showed at the end. */
  ui: { applied: number; alreadyCoded: number; skipped: number; failed: number; pending: number; planned: number };
  reloaded: boolean;
  sessionPaused: boolean;
  /** Times the job stayed paused after the popup sign-in, and the bench had to reload the page. */
  signInReloads: number;
  latencyMs: number;
  /** Second tab: it said another tab runs the job, and it never ran it (null: not opened). */
  secondTab: { sawLockedElsewhere: boolean } | null;
  tail: TailResult | null;
}

export function parseArgs(argv: readonly string[], defaults: { items: number; rateLimit: number; latencyMs: number }) {
  const out = { ...defaults, budget: 0.9, profile: null as 'harsh' | null, notifications: true, reloadAt: undefined as number | null | undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--reload-at') {
      if (argv[i + 1] === 'none') out.reloadAt = null;
      else if (value > 0 && value < 1) out.reloadAt = value;
      else throw new Error(`--reload-at takes a fraction between 0 and 1 or none, got ${argv[i + 1]}`);
      i++;
      continue;
    }
    if (flag === '--notifications') {
      if (argv[i + 1] !== 'on' && argv[i + 1] !== 'off') throw new Error(`--notifications takes on or off, got ${argv[i + 1]}`);
      out.notifications = argv[i + 1] === 'on';
      i++;
      continue;
    }
    if (flag === '--profile') {
      if (argv[i + 1] !== 'harsh') throw new Error(`--profile takes "harsh", got ${argv[i + 1]}`);
      out.profile = 'harsh';
      i++;
      continue;
    }
    if (flag === '--budget') {
      if (!(value >= 0.1 && value <= 1)) throw new Error(`--budget needs a fraction between 0.1 and 1, got ${argv[i + 1]}`);
      out.budget = value;
      i++;
      continue;
    }
    const key = flag === '--items' ? 'items' : flag === '--rate-limit' ? 'rateLimit' : flag === '--latency-ms' ? 'latencyMs' : null;
    if (!key) throw new Error(`unknown option ${flag} (use --items N, --rate-limit L, --latency-ms M, --budget F, --profile harsh, --reload-at F|none)`);
    if (!Number.isInteger(value) || value < (key === 'latencyMs' ? 0 : 1)) throw new Error(`${flag} needs a whole number, got ${argv[i + 1]}`);
    out[key] = value;
    i++;
  }
  return out;
}

const key = (w: { conversationId: string; participantId: string }) => `${w.conversationId}/${w.participantId}`;
/** The app's own writes: POST by the signed-in supervisor (the second supervisor posts too). */
export const isOurs = (w: Write) => w.via === 'post' && (w.userEmail === undefined || w.userEmail === SUPERVISOR);
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

function readToWrite(requests: readonly RequestEntry[]): { p50: number; p95: number; n: number } | null {
  const lastRead = new Map<string, number>();
  const gaps: number[] = [];
  for (const r of requests) {
    if (!/\/communications\/[^/]+\/wrapup$/.test(r.path)) continue;
    if (r.method === 'GET' && r.status === 200) lastRead.set(r.path, r.at);
    else if (r.method === 'POST' && r.status === 202) {
      const at = lastRead.get(r.path);
      if (at !== undefined) gaps.push(r.at - at);
      lastRead.delete(r.path);
    }
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  const q = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))]!;
  return { p50: q(0.5), p95: q(0.95), n: gaps.length };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type RequestKind = 'writes' | 'live_reads' | 'checks' | 'codes' | 'notifications' | 'other';

/** A job's requests by what they are for (the sim's request log paths). */
export function requestKinds(requests: readonly { method: string; path: string }[]): Record<RequestKind, number> {
  const out: Record<RequestKind, number> = { writes: 0, live_reads: 0, checks: 0, codes: 0, notifications: 0, other: 0 };
  for (const r of requests) {
    if ((r.method === 'POST' && /\/communications\/[^/]+\/wrapup$/.test(r.path)) || (r.method === 'PATCH' && /\/participants\/[^/]+$/.test(r.path)))
      out.writes++;
    else if (r.method === 'GET' && /\/wrapup$/.test(r.path)) out.live_reads++;
    else if (r.method === 'GET' && r.path === '/api/v2/analytics/conversations/details') out.checks++;
    else if (r.method === 'GET' && /\/wrapupcodes$/.test(r.path)) out.codes++;
    else if (r.path.startsWith('/api/v2/notifications/')) out.notifications++;
    else out.other++;
  }
  return out;
}

async function json<T>(url: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(url, {
    method: init?.method ?? 'GET',
    headers: init?.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** N writable missing items (one per conversation) sharing the most widely allowed code. */
async function pickTargets(
  simUrl: string,
  n: number,
): Promise<{ items: Missing[]; code: { id: string; name: string }; otherCode: Map<string, string> } | null> {
  const now = Date.now();
  const org = await json<Org>(`${simUrl}/__sim/org`);
  const truth = await json<{ missing: Missing[] }>(`${simUrl}/__sim/truth`, {
    method: 'POST',
    // After-call work younger than the app's 5-minute grace is the agent's: not a target.
    body: { interval: `${new Date(now - 6 * DAY).toISOString()}/${new Date(now + DAY).toISOString()}`, acwGraceMs: 5 * 60_000 },
  });
  const best = pickSharedCodeTargets(truth.missing, org);
  // For agents: another code their queue allows (the sim checks it like the platform would).
  const live = new Set(org.codes.filter((c) => !c.deleted).map((c) => c.id));
  const otherCode = new Map(org.queues.map((q) => [q.id, q.codeIds.find((id) => id !== best?.code.id && live.has(id)) ?? ''] as const));
  return best && best.items.length >= n ? { items: best.items.slice(0, n), code: best.code, otherCode } : null;
}

async function count(page: Page, which: string): Promise<number> {
  return Number((await page.getByTestId(`count-${which}`).innerText()).replace(/[^\d]/g, ''));
}

async function signInIfAsked(page: Page): Promise<void> {
  const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
  await page.getByTestId('job-state').or(signInButton).waitFor({ timeout: 60_000 });
  if (await signInButton.isVisible()) await signInButton.click();
}

/** Imports the targets by paste, previews, picks the code; returns how many the preview will write. */
async function preview(page: Page, items: readonly Missing[], codeId: string): Promise<number> {
  const lines = items.map((t) => `${t.conversationId},${t.participantId}`).join('\n');
  if (items.length <= 2000) {
    await page.getByLabel('Paste conversation IDs').fill(lines);
    await page.getByRole('button', { name: 'Check lines' }).click();
  } else {
    // Typing megabytes into a textarea is the browser's slow path, not the app's: a file, as a user would.
    await page.getByLabel('Or upload a CSV file').setInputFiles({ name: 'targets.csv', mimeType: 'text/csv', buffer: Buffer.from(lines) });
  }
  await page.getByRole('button', { name: /^Preview [\d,]+ targets?$/ }).click({ timeout: Math.max(30_000, items.length * 5) });
  await page.getByLabel('Wrap-up code', { exact: true }).selectOption(codeId, { timeout: Math.max(120_000, items.length * 20) });
  return Number((await page.getByTestId('preview-write').innerText()).replace(/[^\d]/g, ''));
}

/**
 * Checklist #14 and #20: a second, small job whose first write meets a 429 with `Retry-After: 400`.
 * The job must pause and say until when, send nothing while paused, and send nothing after Stop.
 */
async function runTail(page: Page, appUrl: string, simUrl: string, items: readonly Missing[], codeId: string, latencyMs: number): Promise<TailResult> {
  await page.goto(`${appUrl}/bulk`);
  const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
  const paste = page.getByLabel('Paste conversation IDs');
  await paste.or(signInButton).waitFor({ timeout: 60_000 });
  if (await signInButton.isVisible()) await signInButton.click();
  await preview(page, items, codeId);
  await json(`${simUrl}/__sim/faults`, {
    method: 'POST',
    body: { scope: 'writes', rate429: 0, rate5xx: 0, rateLostResponse: 0, unauthorizedAfter: null, rate429RetryAfter: 1, retryAfterSeconds: 400 },
  });
  const ours = async () => (await json<{ writes: Write[] }>(`${simUrl}/__sim/writes`)).writes.filter(isOurs).length;
  const before = await ours();
  await page.getByRole('button', { name: /^Start: write/ }).click();
  const state = page.getByTestId('job-state');
  const pausedWithMessage = await state
    .filter({ hasText: 'the platform asked to wait until' })
    .waitFor({ timeout: 60_000 })
    .then(() => true)
    .catch(() => false);
  const atPause = await ours();
  await sleep(Math.max(3_000, latencyMs * 10));
  const sentWhilePaused = (await ours()) - atPause;
  await page.getByRole('button', { name: 'Stop' }).click();
  const stopped = await state
    .filter({ hasText: /^Stopped/ })
    .waitFor({ timeout: 60_000 })
    .then(() => true)
    .catch(() => false);
  const atStop = await ours();
  await sleep(Math.max(2_000, latencyMs * 5));
  const sentAfterStop = (await ours()) - atStop;
  console.error(`bench: tail job: ${atPause - before} write(s) before the pause, paused=${pausedWithMessage}, stopped=${stopped}`);
  return { pausedWithMessage, sentWhilePaused, sentAfterStop, stopped };
}

export async function runBulkScenario(name: string, o: ScenarioOptions): Promise<ScenarioResult> {
  await ensureBuilt();
  let conversations = Math.max(600, o.items * 6);
  const sim = await startSim({
    port: 0,
    control: true,
    autoLogin: SUPERVISOR,
    seed: 1,
    conversations,
    days: 6,
    latencyMs: o.latencyMs,
    rateLimit: o.rateLimit,
    ...(o.profile === 'harsh' ? { profile: 'harsh', wrapupPolicy: 'permissive' } : { analyticsLagMs: 0 }),
    ...(o.notifications === false ? { notifications: false } : {}),
  });
  const wanted = o.items + (o.tail ?? 0);
  let picked = await pickTargets(sim.url, wanted);
  while (!picked && conversations < 200_000) {
    conversations *= 2;
    console.error(`bench: not enough missing items, rebuilding the org with ${conversations} conversations`);
    await json(`${sim.url}/__sim/reset`, { method: 'POST', body: { conversations } });
    picked = await pickTargets(sim.url, wanted);
  }
  if (!picked) throw new Error('the sim has not enough missing items');
  const { code, otherCode } = picked;
  const targets = picked.items.slice(0, o.items);
  const tailTargets = picked.items.slice(o.items);

  const { server, appUrl } = await serveApp(sim.url, { rateLimit: { requestsPerMinute: o.rateLimit, budgetFraction: o.budget } });
  const browser = await launchChromium();
  const agentKeys = new Set<string>();
  const otherKeys = new Set<string>();
  let reloaded = false;
  let resumeMs: number | null = null;
  let heapPeak = 0;
  let sessionPaused = false;
  let signInReloads = 0;
  let secondTab: ScenarioResult['secondTab'] = null;
  let tail: TailResult | null = null;
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`bench: page error: ${e.message}`));
    const cdp = await context.newCDPSession(page);
    const heapNow = async () => ((await cdp.send('Runtime.getHeapUsage').catch(() => null)) as { usedSize: number } | null)?.usedSize ?? 0;
    await page.goto(`${appUrl}/bulk`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Paste conversation IDs').waitFor();
    const previewFrom = Date.now();
    const planned = await preview(page, targets, code.id);
    const previewMs = Date.now() - previewFrom;
    const previewRequests = (await json<RequestLog>(`${sim.url}/__sim/requests?entries=true`)).tokens
      .filter((t) => t.userEmail === SUPERVISOR)
      .flatMap((t) => t.entries ?? [])
      .filter((r) => r.at >= previewFrom && r.at <= previewFrom + previewMs).length;
    heapPeak = Math.max(heapPeak, await heapNow());
    console.error(
      `bench: ${targets.length} targets, ${planned} to write with "${code.name}" (preview ${(previewMs / 1000).toFixed(1)} s, ${previewRequests} requests)`,
    );

    if (o.faults) await json(`${sim.url}/__sim/faults`, { method: 'POST', body: o.faults });
    await json(`${sim.url}/__sim/writes`, { method: 'DELETE' });
    const startedAt = Date.now();
    await page.getByRole('button', { name: /^Start: write/ }).click();
    await page.waitForURL(/[?&]job=/);
    let page2: Page | null = null;
    if (o.secondTab) {
      // The same job in a second tab of the same browser: it must not run it too (checklist #19).
      page2 = await context.newPage();
      await page2.goto(page.url());
      await signInIfAsked(page2);
      secondTab = { sawLockedElsewhere: false };
    }

    // Agents wrapping up some items during the run, at random moments of the expected duration.
    const expectedMs = (targets.length / (o.rateLimit * o.budget)) * 60_000;
    const agentTimers: ReturnType<typeof setTimeout>[] = [];
    if (o.agentShare) {
      const shuffled = [...targets].sort(() => Math.random() - 0.5).slice(0, Math.round(targets.length * o.agentShare));
      for (const t of shuffled) {
        agentTimers.push(
          setTimeout(() => {
            agentKeys.add(key(t));
            void json(`${sim.url}/__sim/agent-wrapup`, {
              method: 'POST',
              body: {
                conversationId: t.conversationId,
                participantId: t.participantId,
                communicationId: t.communicationId,
                code: otherCode.get(t.queueId ?? '') ?? '',
              },
            }).catch((e: unknown) => console.error(`bench: agent wrap-up failed: ${String(e)}`));
          }, Math.random() * expectedMs),
        );
      }
    }

    // A second supervisor (another user, her own token) codes some items through the API.
    if (o.secondSupervisorShare) {
      const token = (await json<{ access_token: string }>(`${sim.url}/__sim/tokens`, { method: 'POST', body: { email: SUPERVISOR_2 } })).access_token;
      const picked = [...targets].sort(() => Math.random() - 0.5).slice(0, Math.round(targets.length * o.secondSupervisorShare));
      for (const t of picked) {
        agentTimers.push(
          setTimeout(() => {
            otherKeys.add(key(t));
            const path = wrapupUrl(sim.url, t);
            // She tries again after a 429 or 5xx (the sim's faults hit her writes too), up to 5 times.
            void (async () => {
              for (let attempt = 1; attempt <= 5; attempt++) {
                const r = await fetch(path, {
                  method: 'POST',
                  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                  body: JSON.stringify({ code: otherCode.get(t.queueId ?? '') ?? '' }),
                }).catch(() => null);
                if (r?.status === 202) return;
                if (r && r.status < 500 && r.status !== 429) return console.error(`bench: second supervisor's write answered ${r.status}`);
                await sleep(1_000 * attempt);
              }
              console.error("bench: second supervisor's write did not go through in 5 attempts");
            })();
          }, Math.random() * expectedMs),
        );
      }
    }

    if (o.socketDropEveryMs) {
      const every = o.socketDropEveryMs;
      const drop = () => void json(`${sim.url}/__sim/notifications/close`, { method: 'POST', body: {} }).catch(() => undefined);
      const timer = setInterval(drop, every);
      agentTimers.push(timer);
    }

    // The budget's pace, or the runner's (a few writes at a time, each a round trip) at a high limit.
    const deadline = startedAt + expectedMs * 3 + 900_000 + targets.length * o.latencyMs;
    let finishedAt = 0;
    let sessionPausedAt = 0;
    let polls = 0;
    for (;;) {
      if (Date.now() > deadline) throw new Error('the job did not finish in time');
      if (polls++ % 4 === 0) heapPeak = Math.max(heapPeak, await heapNow());
      const state = await page
        .getByTestId('job-state')
        .innerText()
        .catch(() => '');
      if (state === 'Finished' || state === 'Stopped') {
        finishedAt = Date.now();
        break;
      }
      const again = page.getByRole('button', { name: 'Sign in again' });
      if ((await again.isVisible()) && (await again.isEnabled({ timeout: 1_000 }).catch(() => false))) {
        sessionPaused = true;
        console.error(`bench: session expired (job: ${state}); signing in again (popup)`);
        const popup = page.waitForEvent('popup', { timeout: 10_000 }).catch(() => null);
        await again.click({ timeout: 5_000 }).catch(() => undefined);
        await (await popup)?.waitForEvent('close', { timeout: 30_000 });
        await again.waitFor({ state: 'hidden', timeout: 30_000 }).catch(() => undefined);
        sessionPausedAt = Date.now();
      } else if (state.includes('session expired')) {
        // Signed in again: the runner resumes by itself on 'restored'; nudge it only if it does not.
        if (sessionPausedAt === 0) sessionPausedAt = Date.now();
        else if (Date.now() - sessionPausedAt > 10_000) {
          // Seen in this bench: the popup sign-in did not complete. Do what a user would: reload,
          // sign in, and the job resumes from the journal.
          console.error('bench: still paused 10 s after signing in again; reloading the page');
          signInReloads += 1;
          await page.reload();
          const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
          await page.getByTestId('job-state').or(signInButton).waitFor({ timeout: 60_000 });
          if (await signInButton.isVisible()) await signInButton.click();
          sessionPausedAt = 0;
        }
      } else if (state.startsWith('Paused')) {
        console.error(`bench: job paused (${state}); resuming`);
        await page.getByRole('button', { name: 'Resume' }).click();
      }
      if (o.reloadAt !== undefined && !reloaded && state.startsWith('Running')) {
        const done = (await count(page, 'applied').catch(() => 0)) + (await count(page, 'already-coded').catch(() => 0));
        if (done >= planned * o.reloadAt) {
          reloaded = true;
          console.error(`bench: reloading the page at ${done} of ${planned}`);
          const reloadFrom = Date.now();
          await page.reload();
          const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
          await page.getByTestId('job-state').or(signInButton).waitFor({ timeout: 60_000 });
          if (await signInButton.isVisible()) await signInButton.click();
          // Resumed: the journal's counts are shown again and the job runs (or has just finished).
          await page
            .getByTestId('job-state')
            .filter({ hasText: /^(Running|Finished)/ })
            .waitFor({ timeout: 120_000 });
          await page.getByTestId('count-applied').waitFor();
          resumeMs = Date.now() - reloadFrom;
          console.error(`bench: resumed ${resumeMs} ms after the reload, at ${await count(page, 'applied')} applied`);
        }
      }
      if (page2 && secondTab && !secondTab.sawLockedElsewhere) {
        secondTab.sawLockedElsewhere = (
          await page2
            .getByTestId('job-state')
            .innerText()
            .catch(() => '')
        ).includes('another tab is running this job');
      }
      await sleep(250);
    }
    for (const t of agentTimers) {
      clearTimeout(t);
      clearInterval(t);
    }
    await page2?.close();

    const ui = {
      applied: await count(page, 'applied'),
      alreadyCoded: await count(page, 'already-coded'),
      skipped: await count(page, 'skipped'),
      failed: await count(page, 'failed'),
      pending: await count(page, 'pending'),
      planned,
    };
    // The job's own results (the app's CSV export): which items the preview meant to write.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export results (CSV)' }).click();
    const rows = parseCsv(readFileSync(await (await download).path(), 'utf8'));
    const header = rows.shift() ?? [];
    const col = (name: string) => header.indexOf(name);
    const planSkipped = new Set(['active', 'chat-removed', 'no-write-path', 'code-not-allowed', 'system-coded', 'coded', 'same-code']);
    const meant = rows
      .filter((r) => !planSkipped.has(r[col('reason')] ?? ''))
      .map((r) => ({ conversationId: r[col('conversationId')] ?? '', participantId: r[col('participantId')] ?? '' }));
    // What the page told the user per item: its outcome, and whether it said "may have replaced".
    const uiOutcome = new Map(
      rows.map((r) => [key({ conversationId: r[col('conversationId')] ?? '', participantId: r[col('participantId')] ?? '' }), r[col('outcome')] ?? '']),
    );
    const reported = new Set(
      rows
        .filter((r) => (r[col('mayHaveReplacedCode')] ?? '') !== '')
        .map((r) => key({ conversationId: r[col('conversationId')] ?? '', participantId: r[col('participantId')] ?? '' })),
    );
    const { writes } = await json<{ writes: Write[] }>(`${sim.url}/__sim/writes`);
    const log = await json<RequestLog>(`${sim.url}/__sim/requests?entries=true`);
    // The app's requests: every token of the signed-in supervisor (the second supervisor has her own).
    const requests = log.tokens
      .filter((t) => t.userEmail === SUPERVISOR)
      .flatMap((t) => t.entries ?? [])
      .sort((a, b) => a.at - b.at);

    const ours = writes.filter(isOurs);
    const applied = ours.filter((w) => w.outcome === 'applied');
    const appliedPerKey = new Map<string, number>();
    for (const w of applied) appliedPerKey.set(key(w), (appliedPerKey.get(key(w)) ?? 0) + 1);
    const doubleWrites = [...appliedPerKey.values()].filter((n) => n > 1).length;
    // Per cause: the fault of the item's first write of ours (slow, lost-response, …) or none.
    const firstFault = new Map<string, string>();
    for (const w of ours) if (!firstFault.has(key(w))) firstFault.set(key(w), w.fault ?? 'none');
    const doubleWritesBy: Record<string, number> = {};
    for (const [k, n] of appliedPerKey) if (n > 1) doubleWritesBy[firstFault.get(k) ?? 'none'] = (doubleWritesBy[firstFault.get(k) ?? 'none'] ?? 0) + 1;
    // An overwrite: our write landed after someone else's wrap-up (an agent's, or the second
    // supervisor's) on the same item.
    const someoneElse = writes.filter((w) => !isOurs(w) && w.outcome === 'applied');
    const firstOther = new Map<string, Write>();
    for (const w of someoneElse) if (!firstOther.has(key(w))) firstOther.set(key(w), w);
    const overwritten = applied.filter((w) => (firstOther.get(key(w))?.seq ?? Number.POSITIVE_INFINITY) < w.seq);
    const overwrites = overwritten.length;
    const overwritesReported = overwritten.filter((w) => reported.has(key(w))).length;
    for (const w of overwritten) {
      const theirs = firstOther.get(key(w))!;
      const ourFirst = ours.find((x) => key(x) === key(w))!;
      console.error(
        `bench: overwrite of ${key(w)}: their ${theirs.via} code at +${theirs.at - startedAt} ms, our write (first sent fault: ${ourFirst.fault ?? 'none'}) applied ${w.at - theirs.at} ms later; ${reported.has(key(w)) ? 'reported' : 'NOT reported'}`,
      );
    }
    const overwritesBy = {
      agent: overwritten.filter((w) => firstOther.get(key(w))?.via === 'agent').length,
      supervisor: overwritten.filter((w) => firstOther.get(key(w))?.via !== 'agent').length,
    };
    const coded = new Set([...applied, ...someoneElse].map(key));
    // Lost: an item the job meant to write that ended with no wrap-up from us or anyone else.
    const lost = meant.filter((t) => !coded.has(key(t))).length;
    const lastApplied = applied.reduce((m, w) => Math.max(m, w.at), startedAt);
    const wholePerMin = applied.length > 0 ? applied.length / ((lastApplied - startedAt) / 60_000) : 0;
    const firstApplied = applied.reduce((m, w) => Math.min(m, w.at), Number.POSITIVE_INFINITY);
    const minutes = Number.isFinite(firstApplied) ? Math.floor((lastApplied - firstApplied) / 60_000) : 0;
    const steady = minutes >= 1;
    const perMin = steady ? applied.filter((w) => w.at < firstApplied + minutes * 60_000).length / minutes : wholePerMin;
    const runRequests = requests.filter((r) => r.at >= startedAt).length;
    // The steady state: whole minutes after the first one (whose rolling window may hold a burst).
    const steadyMinutes = minutes - 1;
    const steadyPerMin =
      steadyMinutes >= 1 ? applied.filter((w) => w.at >= firstApplied + 60_000 && w.at < firstApplied + minutes * 60_000).length / steadyMinutes : null;
    const byKind = requestKinds(requests.filter((r) => r.at >= startedAt));
    const perItemBy = Object.fromEntries(Object.entries(byKind).map(([k, n]) => [k, round(n / Math.max(1, planned))])) as Record<RequestKind, number>;
    await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const heapEnd = await heapNow();
    if (o.tail && tailTargets.length > 0) tail = await runTail(page, appUrl, sim.url, tailTargets, code.id, o.latencyMs);

    return {
      line: {
        bench: name,
        items: planned,
        limit_per_min: log.rateLimit,
        applied_per_min: round(perMin, 1),
        ratio: round(perMin / log.rateLimit),
        requests_per_item: round(runRequests / Math.max(1, planned)),
        double_writes: doubleWrites,
        overwrites,
        lost,
        seconds: round((finishedAt - startedAt) / 1000, 1),
        ratio_whole_run: round(wholePerMin / log.rateLimit),
        ratio_basis: steady ? 'full-minutes' : 'whole-run',
        budget_fraction: o.budget,
        ratio_to_budget: round(perMin / budgetFrom(log.rateLimit, o.budget)),
        profile: o.profile ?? 'default',
        overwrites_by: overwritesBy,
        overwrites_reported: overwritesReported,
        double_writes_by: doubleWritesBy,
        notifications: o.notifications !== false,
        live_reads: requests.filter((r) => r.at >= startedAt && r.method === 'GET' && /\/wrapup$/.test(r.path)).length,
        read_to_write_ms: readToWrite(requests.filter((r) => r.at >= startedAt)),
        steady_ratio: steadyPerMin === null ? null : round(steadyPerMin / log.rateLimit),
        requests_by: byKind,
        requests_per_item_by: perItemBy,
        preview_seconds: round(previewMs / 1000, 1),
        preview_requests: previewRequests,
        heap_mb: round(heapEnd / 1_048_576, 1),
        heap_peak_mb: round(Math.max(heapPeak, heapEnd) / 1_048_576, 1),
        resume_ms: resumeMs,
      },
      writes,
      requests,
      startedAt,
      targets,
      agentKeys,
      otherKeys,
      ui,
      uiOutcome,
      reloaded,
      sessionPaused,
      signInReloads,
      latencyMs: o.latencyMs,
      secondTab,
      tail,
    };
  } finally {
    await browser.close();
    await closeServer(server);
    await sim.close();
  }
}

export async function run(argv: string[]): Promise<void> {
  const { reloadAt, ...args } = parseArgs(argv, { items: 1000, rateLimit: 300, latencyMs: 100 });
  // Big jobs: reload once halfway to time the resume from the journal (issue 17).
  const reload = reloadAt === undefined ? (args.items >= 10_000 ? 0.5 : null) : reloadAt;
  const r = await runBulkScenario('bulk', { ...args, ...(reload !== null ? { reloadAt: reload } : {}) });
  console.log(JSON.stringify(r.line));
  const { ui, line } = r;
  if (ui.applied !== r.writes.filter((w) => isOurs(w) && w.outcome === 'applied').length)
    console.error('bench: the page and the sim disagree on applied writes');
  if (line.ratio < 0.9) console.error(`bench: ratio ${line.ratio} is below the 0.9 target`);
  if (line.double_writes || line.overwrites || line.lost) console.error('bench: double writes, overwrites or lost items');
}
