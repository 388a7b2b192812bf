/**
 * The bulk runner against the simulated org (genesys-sim), in virtual time, through the app's real
 * platform code: the production port (`genesysBulkPlatform`) → `src/lib/genesys/api.ts` → the SDK →
 * `PlatformHttpClient` (retries, 429 pauses, timeouts) with the shared `RateLimiter` → the in-process
 * sim's `fetch` (no sockets, the HTTP server's own pipeline). Platform behaviour (limits, faults,
 * lag, rules) comes only from the sim's options and switches; what happened is read from the sim's
 * own write log and org, never from a copy.
 *
 * The items are picked from the seeded org by their state there (`SimItemKind`), in one queue whose
 * first code is the job's code.
 */
import {
  createInProcessSim,
  SUPERVISOR_EMAIL,
  type InProcessSim,
  type SimComm,
  type SimConversation,
  type SimOptions,
  type WriteLogEntry,
} from '../../../../genesys-sim/src/index.ts';
import { configureClient, resetClientForTests, setAccessToken } from '@/lib/genesys/client.ts';
import type { FetchLike } from '@/lib/genesys/fetch-transport.ts';
import { RateLimiter } from '@/lib/genesys/rate-limiter.ts';
import { createJobLocks } from './job-lock.ts';
import type { BulkJournal } from './journal.ts';
import type { JobOptions } from './model.ts';
import { createJob, planBulk } from './planner.ts';
import { genesysBulkPlatform, type CodeRef } from './platform-port.ts';
import { BulkRunner, type RunnerConfig } from './runner.ts';
import { drive, FakeLockManager, FakeSession, MemoryJournal, T0, TabJournal, tabPlatform, VirtualClock } from './test-support.ts';

/** An item's state in the org before the job: missing (ended, no code), coded by its agent, system-coded, still active, or chat (no write path). */
export type SimItemKind = 'missing' | 'coded' | 'system' | 'active' | 'chat';

/** One HTTP attempt as the app sent it and the sim answered it (status 0: no answer). */
export interface SentRequest {
  n: number;
  at: number;
  method: string;
  path: string;
  kind: 'details' | 'read' | 'write' | 'codes' | 'other';
  /** `cid/pid/commId` of a wrap-up read or write. */
  key: string | null;
  /** Conversation ids of a details request. */
  ids: string[];
  status: number;
  /** Retry-After of a 429, in ms. */
  retryAfterMs: number | null;
}

export interface SimHarnessOptions {
  items: number | SimItemKind[];
  budget?: number;
  maxConcurrent?: number;
  /** Sim options (faults, lag, rewrap, rate limit...); conversations/seed/now are set by the harness unless given. */
  sim?: Partial<Omit<SimOptions, 'faults'>> & { faults?: Partial<SimOptions['faults']> };
  options?: Partial<JobOptions>;
  journal?: BulkJournal;
  config?: RunnerConfig;
  random?: () => number;
}

interface Candidate {
  conversation: SimConversation;
  participantId: string;
  comm: SimComm;
  queueId: string | null;
}

function kindOf(c: Candidate): SimItemKind | null {
  if (c.comm.media === 'chat') return 'chat';
  if (c.comm.state !== 'disconnected') return c.conversation.end === undefined ? 'active' : null;
  const w = c.comm.wrapup;
  if (w) return w.code.startsWith('ININ-') ? 'system' : 'coded';
  // Ended without a code and no after-call work pending: "missing" for the planner as well.
  return c.comm.acwState === 'pending' ? null : 'missing';
}

/** Conversations with exactly one agent participant (one item each), grouped by kind, in one queue. */
function candidates(sim: InProcessSim): Candidate[] {
  const out: Candidate[] = [];
  for (const conversation of sim.state.org.conversations) {
    const agents = conversation.participants.filter((p) => p.purpose === 'agent');
    if (agents.length !== 1 || agents[0]!.comms.length !== 1) continue;
    const p = agents[0]!;
    out.push({ conversation, participantId: p.id, comm: p.comms[0]!, queueId: p.queueId ?? null });
  }
  return out;
}

const keyOf = (c: Candidate) => `${c.conversation.id}/${c.participantId}/${c.comm.id}`;

function requestKind(method: string, path: string): Pick<SentRequest, 'kind' | 'key'> {
  const wrap = /\/conversations\/\w+\/([^/]+)\/participants\/([^/]+)\/communications\/([^/]+)\/wrapup$/.exec(path);
  if (wrap) return { kind: method === 'GET' ? 'read' : 'write', key: `${wrap[1]}/${wrap[2]}/${wrap[3]}` };
  if (path.includes('/analytics/conversations/details')) return { kind: 'details', key: null };
  if (path.endsWith('/wrapupcodes')) return { kind: 'codes', key: null };
  return { kind: 'other', key: null };
}

export async function simHarness(o: SimHarnessOptions) {
  const clock = new VirtualClock();
  const kinds: SimItemKind[] = typeof o.items === 'number' ? Array.from({ length: o.items }, () => 'missing') : o.items;
  // About 1 in 25 generated conversations is a missing single-agent item of the busiest queue.
  const conversations = Math.max(600, 25 * kinds.filter((k) => k === 'missing').length);
  // 150 ms per answer, like a platform round trip; faults are set per test (`faultOn`).
  const sim = createInProcessSim({ conversations, days: 3, analyticsLagMs: 2_000, latencyMs: 150, now: T0, control: true, ...o.sim }, clock);
  const limiter = new RateLimiter({ budgetPerMinute: o.budget ?? 270, maxConcurrent: o.maxConcurrent ?? 6, clock });

  // What the app sent, as the sim answered it (the client's own view, not the sim's log).
  const sent: SentRequest[] = [];
  const transport: FetchLike = (url, init) => {
    const u = new URL(url);
    const entry: SentRequest = {
      n: sent.length + 1,
      at: clock.now(),
      method: init.method,
      path: u.pathname,
      ...requestKind(init.method, u.pathname),
      ids: u.searchParams.get('id')?.split(',') ?? [],
      status: 0,
      retryAfterMs: null,
    };
    sent.push(entry);
    return sim.fetch(url, init).then((res) => {
      entry.status = res.status;
      const ra = res.headers.get('retry-after');
      if (res.status === 429 && ra !== null) entry.retryAfterMs = Number(ra) * 1000;
      return res;
    });
  };
  resetClientForTests();
  configureClient({ kind: 'sim', baseUrl: sim.url }, { limiter, clock, timeoutClock: clock, transport, ...(o.random ? { random: o.random } : {}) });
  setAccessToken(sim.mintToken(SUPERVISOR_EMAIL));

  // The job's queue: the one with the most missing items; its first code is the job's, its second an agent's.
  const all = candidates(sim);
  const missingByQueue = new Map<string, number>();
  for (const c of all) if (c.queueId && kindOf(c) === 'missing') missingByQueue.set(c.queueId, (missingByQueue.get(c.queueId) ?? 0) + 1);
  const queueId = [...missingByQueue].sort((a, b) => b[1] - a[1])[0]![0];
  const queue = sim.state.org.queuesById.get(queueId)!;
  const codeRef = (id: string): CodeRef => ({ id, name: sim.state.org.codesById.get(id)!.name });
  const jobCode = codeRef(queue.codeIds[0]!);
  const otherCode = codeRef(queue.codeIds[1]!);

  const pool = new Map<SimItemKind, Candidate[]>();
  // Missing items from the job's queue only; the others from it first, then from any queue (the
  // planner never writes them, so their queue only adds a code listing).
  for (const c of [...all.filter((x) => x.queueId === queueId), ...all.filter((x) => x.queueId !== queueId)]) {
    const k = kindOf(c);
    // Coded items: coded with another code than the job's, so "already coded" is not "same code".
    if (!k || (k === 'missing' && c.queueId !== queueId) || (k === 'coded' && c.comm.wrapup?.code === jobCode.id)) continue;
    (pool.get(k) ?? pool.set(k, []).get(k)!).push(c);
  }
  const picked = kinds.map((k) => {
    const c = pool.get(k)?.shift();
    if (!c) throw new Error(`simHarness: the org has no more "${k}" items (raise sim.conversations)`);
    return c;
  });
  const keys = picked.map(keyOf);

  const journal = new TabJournal(o.journal ?? new MemoryJournal());
  const session = new FakeSession();
  const lockManager = new FakeLockManager();
  const tab = tabPlatform(genesysBulkPlatform);
  // Whether any request waited in the limiter's queue once the job runs (the runner hands one over only when it will not wait).
  let jobRunning = false;
  let queuedWhileRunning = 0;
  limiter.subscribe((s) => {
    if (jobRunning && s.queued > 0) queuedWhileRunning = Math.max(queuedWhileRunning, s.queued);
  });
  const deps = {
    platform: tab.port,
    journal,
    session,
    limiter,
    locks: createJobLocks({ locks: lockManager.forTab('tab-1') }),
    clock,
    random: o.random ?? (() => 0.5),
  };

  const planning = planBulk(
    picked.map((c) => ({ conversationId: c.conversation.id })),
    { platform: tab.port, now: clock.now },
  );
  let plan: Awaited<typeof planning> | undefined;
  void planning.then((p) => (plan = p));
  await drive(clock, () => plan !== undefined, { journal });
  const { job, items } = createJob(plan!, { code: jobCode, notes: 'bulk fix', options: o.options ?? {} }, { id: 'job-1', now: clock.now() });
  let runner: BulkRunner | undefined;
  void BulkRunner.create(job, items, deps, { requireEventProof: false, ...o.config }).then((r) => (runner = r));
  await drive(clock, () => runner !== undefined, { journal });
  const planRequests = sent.length;
  // From here on every request is the job's (the preview's parallel requests may queue, by design).
  jobRunning = true;

  const org = sim.state;
  const byKey = new Map(picked.map((c) => [keyOf(c), c]));
  /** The sim's write log entries of one item (app writes and agent wrap-ups alike). */
  const writeLog = (key: string): WriteLogEntry[] => {
    const c = byKey.get(key)!;
    return org.writeLog.filter(
      (w) => w.conversationId === c.conversation.id && w.participantId === c.participantId && (w.communicationId ?? c.comm.id) === c.comm.id,
    );
  };
  return {
    clock,
    limiter,
    sim,
    sent,
    journal,
    session,
    lockManager,
    tab,
    deps,
    plan: plan!,
    keys,
    runner: runner!,
    planRequests,
    codes: { job: jobCode, other: otherCode },
    /** Requests sent after planning (the runner's). */
    runnerRequests: () => sent.slice(planRequests),
    /** The largest number of requests seen waiting in the limiter queue after planning. */
    queuedWhileRunning: () => queuedWhileRunning,
    writeLog,
    /** Writes by the app's supervisor that the sim applied, per item. */
    landed: (key: string) => writeLog(key).filter((w) => w.outcome === 'applied' && w.via !== 'agent'),
    /** The communication's wrap-up code in the sim now. */
    current: (key: string) => byKey.get(key)!.comm.wrapup?.code ?? null,
    /** Only these items' wrap-up writes get the given sim faults, at most `maxFaults` times in all (default 1: the first write). */
    faultOn: (itemKeys: readonly string[], faults: Partial<SimOptions['faults']>) =>
      sim.setFaults({ scope: 'writes', maxFaults: 1, ...faults, conversations: itemKeys.map((k) => byKey.get(k)!.conversation.id) }),
    /** A new token for the same user (after a 401 revoked the old one), as signing in again does. */
    signInAgain: () => setAccessToken(sim.mintToken(SUPERVISOR_EMAIL)),
    /**
     * The item's agent wraps up now (the sim's control API, like an agent's own client). An item of
     * another queue than the job's gets the first code of its own queue instead (an agent can only
     * pick an allowed one).
     */
    agentWrapup: async (key: string, wanted: string) => {
      const c = byKey.get(key)!;
      const own = c.queueId ? (sim.state.org.queuesById.get(c.queueId)?.codeIds ?? []) : [];
      const code = own.includes(wanted) || own.length === 0 ? wanted : own.find((id) => id !== jobCode.id)!;
      const r = await sim.dispatch({
        method: 'POST',
        url: '/__sim/agent-wrapup',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: c.conversation.id, participantId: c.participantId, communicationId: c.comm.id, code }),
      });
      if (r.kind !== 'reply' || r.status !== 200) throw new Error(`agent wrap-up refused: ${r.kind === 'reply' ? r.body : r.kind}`);
    },
  };
}
