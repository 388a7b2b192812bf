/**
 * Chaos benchmark (issue 7 item 7): the bulk scenario of `bulk.ts` under the sim's faults.
 *
 *   npm run bench -- chaos [--items 1000] [--rate-limit 300] [--latency-ms 100] [--budget 0.9] [--profile harsh] [--notifications on|off]
 *
 * Faults on wrap-up writes: 10% 429 (5% without Retry-After, 5% with `Retry-After: 2`), 5% 5xx,
 * 2% lost responses (applied, then the socket dies), 6% slow writes (applied 35 s after they
 * arrive, past the app's 30 s write timeout), one 401 (token revoked after 30% of the items);
 * agents wrap up 15% of the items (another code) at random moments during the run; the platform
 * drops every notification socket every 20 s (`--notifications off`: no notifications at all); the page
 * is reloaded once at 40%; a second tab opens the same job while it runs. Then a small second job
 * meets a 429 with `Retry-After: 400` (it must pause and say so) and is stopped (nothing more may
 * be sent). A second supervisor (another user of the org, her own token) codes 5% of the items
 * through the API during the run. Prints the bulk line plus the checks of reliability-checklist #12–22 as pass / fail, or
 * `not-run` when the run did not meet the situation (a line is then proven only by the unit,
 * property and Playwright tests named in `covered_by`).
 */
import { isOurs, parseArgs, runBulkScenario, type RequestEntry, type ScenarioResult } from './bulk.ts';

type Check = 'pass' | 'fail' | 'not-run';

const key = (w: { conversationId: string; participantId: string }) => `${w.conversationId}/${w.participantId}`;

function maxInWindow(times: readonly number[], windowMs = 60_000): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/**
 * After a 429 answer (arrival + latency) nothing is sent for its Retry-After (2 s in this scenario),
 * or for at least 1 s without one (backoff with jitter). 150 ms of slack for timestamps taken on
 * both sides of the connection.
 */
function sentDuring429Quiet(requests: readonly RequestEntry[], latencyMs: number, headersReadable: boolean): { after: RequestEntry; sent: RequestEntry }[] {
  return requests
    .filter((r) => r.status === 429 && r.fault !== null)
    .flatMap((r) => {
      const answered = r.at + latencyMs;
      // With the rate headers hidden from the browser (harsh), a Retry-After cannot be read: the
      // promise is then the backoff's 1 s.
      const wait = r.fault === '429-retry-after' && headersReadable ? 2_000 : 1_000;
      return requests.filter((e) => e.at > answered + 150 && e.at < answered + wait - 50).map((sent) => ({ after: r, sent }));
    });
}

export function checks(r: ScenarioResult): Record<string, Check> {
  const ours = r.writes.filter(isOurs);
  const perKey = new Map<string, typeof ours>();
  for (const w of ours) perKey.set(key(w), [...(perKey.get(key(w)) ?? []), w]);
  const processed = (w: (typeof ours)[number]) => w.status !== 429 && w.status !== 401;
  const attemptsOk = [...perKey.values()].every((ws) => ws.filter(processed).length <= 4);
  const finalNotRetried = [...perKey.values()].every((ws) => {
    const i = ws.findIndex((w) => [400, 403, 404, 422].includes(w.status));
    return i === -1 || i === ws.length - 1;
  });
  const lostResponses = ours.filter((w) => w.responseLost && w.outcome === 'applied');
  const noSecondAfterLost = lostResponses.every((l) => !ours.some((w) => key(w) === key(l) && w.seq > l.seq && w.outcome === 'applied'));
  const times = r.requests.map((e) => e.at);
  const clean = r.line.double_writes === 0 && r.line.lost === 0;
  const headersReadable = r.line.profile !== 'harsh';
  // #21: every item the page calls applied has our applied write; an applied write of ours on an
  // item the page does not call applied was followed by someone else's code (it is theirs now).
  const appliedKeys = new Set(ours.filter((w) => w.outcome === 'applied').map(key));
  const uiApplied = [...r.uiOutcome].filter(([, o]) => o === 'applied').map(([k]) => k);
  const someoneElseAfter = (k: string) => {
    const ourLast = Math.max(...ours.filter((w) => key(w) === k && w.outcome === 'applied').map((w) => w.seq));
    return r.writes.some((w) => key(w) === k && w.outcome === 'applied' && !ours.includes(w) && w.seq > ourLast);
  };
  const terminalOk =
    r.ui.pending === 0 && uiApplied.every((k) => appliedKeys.has(k)) && [...appliedKeys].every((k) => r.uiOutcome.get(k) === 'applied' || someoneElseAfter(k));
  return {
    '12_window': maxInWindow(times) <= r.line.limit_per_min ? 'pass' : 'fail',
    '13_retry_after': r.requests.some((e) => e.status === 429)
      ? sentDuring429Quiet(r.requests, r.latencyMs, headersReadable).length === 0
        ? 'pass'
        : 'fail'
      : 'not-run',
    // A Retry-After the browser cannot read cannot pause the job: the tail is not a test then.
    '14_long_retry_after': r.tail && headersReadable ? (r.tail.pausedWithMessage && r.tail.sentWhilePaused === 0 ? 'pass' : 'fail') : 'not-run',
    '15_attempts': attemptsOk && finalNotRetried ? 'pass' : 'fail',
    '16_lost_response': lostResponses.length === 0 ? 'not-run' : noSecondAfterLost ? 'pass' : 'fail',
    // Signing in again must be enough: a page reload to get the job going again fails the line.
    '17_401': r.sessionPaused ? (clean && r.signInReloads === 0 ? 'pass' : 'fail') : 'not-run',
    '18_reload': r.reloaded ? (clean ? 'pass' : 'fail') : 'not-run',
    '19_two_tabs': r.secondTab ? (r.secondTab.sawLockedElsewhere && r.line.double_writes === 0 ? 'pass' : 'fail') : 'not-run',
    '20_stop': r.tail ? (r.tail.stopped && r.tail.sentAfterStop === 0 ? 'pass' : 'fail') : 'not-run',
    '21_one_terminal_state': terminalOk ? 'pass' : 'fail',
    // An overwrite the user was not told about fails; one inside a write's flight (a slow write in
    // flight for 35 s) is reported with a restore offer (issue 14) and passes.
    '22_no_overwrite': r.line.overwrites === r.line.overwrites_reported ? 'pass' : 'fail',
  };
}

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv, { items: 1000, rateLimit: 300, latencyMs: 100 });
  const r = await runBulkScenario('chaos', {
    ...args,
    faults: {
      scope: 'writes',
      rate429: 0.05,
      rate429RetryAfter: 0.05,
      retryAfterSeconds: 2,
      rate5xx: 0.05,
      rateLostResponse: 0.02,
      rateSlow: 0.06,
      slowMs: 35_000,
      unauthorizedAfter: Math.max(3, Math.floor(args.items * 0.3)),
      seed: 7,
    },
    agentShare: 0.15,
    secondSupervisorShare: 0.05,
    socketDropEveryMs: 20_000,
    reloadAt: 0.4,
    secondTab: true,
    tail: 5,
  });
  const c = checks(r);
  for (const { after, sent } of sentDuring429Quiet(r.requests, r.latencyMs, r.line.profile !== 'harsh').slice(0, 10))
    console.error(
      `chaos: #13: ${sent.method} ${sent.path} (${sent.status}) left ${sent.at - after.at - r.latencyMs} ms after the answer to a 429 (${after.fault})`,
    );
  console.log(
    JSON.stringify({
      ...r.line,
      checks: c,
      covered_by: {
        '13_retry_after': 'rate-limiter/http-client unit tests, runner.property.test.ts',
        '14_long_retry_after': 'runner.test.ts, e2e/bulk-tabs.spec.ts',
        '19_two_tabs': 'job-lock.test.ts, runner.test.ts, e2e/bulk-tabs.spec.ts',
        '20_stop': 'runner.test.ts, e2e/bulk.spec.ts',
      },
      tail: r.tail,
      agents: r.agentKeys.size,
      second_supervisor: r.otherKeys.size,
      ui: r.ui,
    }),
  );
  if (Object.values(c).includes('fail')) console.error('chaos: some checks failed');
}
