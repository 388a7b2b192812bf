/**
 * The platform check as a report to hand to Genesys support: Markdown and JSON, with every request
 * sent, every answer and every `contextId`. Never a token or a secret: the records hold none (the
 * notification channel's id is left out of them, errors carry no request headers), and the JSON is
 * rebuilt field by field from the verdict.
 *
 * The Markdown is in English whatever the page's language: it is written for Genesys support (the
 * page says so next to the button). It is a document, not the app's UI.
 */
import type { PlatformVerdict, ProbeRecord, WriteAttempt } from '@/lib/platform-verdict.ts';
import { ageParts, summarizeVerdict, type Conclusion, type MatrixCell } from './verdict-summary.ts';

export interface ReportContext {
  appVersion: string;
  /** Where the app talks to: a region host, or the simulated org. */
  platform: string;
  orgName?: string;
  userName?: string;
  generatedAt: string;
}

function ageEn(ms: number | null): string {
  if (ms === null) return 'unknown';
  const { value, unit } = ageParts(ms);
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

const METHOD = { post: 'POST', patch: 'PATCH' } as const;

function cellText(c: MatrixCell): string {
  if (c.answer === 'yes') return c.phase === 'after' ? `yes (up to ${ageEn(c.appliedAtMs)} after the end)` : 'yes';
  if (c.answer === 'no') return `refused (${c.refusalCode ?? 'no code'})`;
  return 'not tested yet';
}

const CONCLUSIONS: Record<Conclusion, string> = {
  'not-tested': 'Not tested yet: no write probe has been answered. The app writes by POST (the documented path).',
  inconclusive: 'Not settled: the write probes so far were refused for reasons about the request (code, target) or got no answer.',
  post: "A supervisor may write another agent's wrap-up by POST. The app writes by POST.",
  patch: 'POST refused, PATCH applied: the app writes by PATCH.',
  'only-during-acw': 'Only during after-call work: writes were applied while after-call work was pending and refused after it had ended.',
  'refused-after-acw': 'Refused once after-call work has ended.',
  'refused-past-age': 'Applied after after-call work up to some age, refused past it.',
  refused: 'Refused: every write probe answered so far was refused.',
};

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function probeLine(p: ProbeRecord): string {
  const ok = p.ok === true ? 'ok' : p.ok === false ? 'problem' : 'could not tell';
  return `| ${esc(p.id)} | ${ok} | \`${esc(p.sent)}\` | ${esc(p.received)} | ${p.contextId ? `\`${esc(p.contextId)}\`` : '–'} |`;
}

function attemptLine(a: WriteAttempt): string {
  const situation = `${a.situation.acwPending ? 'after-call work pending' : 'after-call work ended'}, ${ageEn(a.situation.endedAgoMs)} after the end`;
  return `| ${esc(a.at)} | ${a.request.method} \`${esc(a.request.path)}\` \`${esc(JSON.stringify(a.request.body))}\` | ${a.status} | ${esc(a.code ?? '–')} | ${esc(a.message ?? '–')} | ${a.contextId ? `\`${esc(a.contextId)}\`` : '–'} | ${a.outcome} | ${situation} |`;
}

export function reportMarkdown(verdict: PlatformVerdict, ctx: ReportContext): string {
  const s = summarizeVerdict(verdict);
  const lines: string[] = [
    '# Wrap-up Desk platform check',
    '',
    `- Generated: ${ctx.generatedAt}`,
    `- Last check: ${verdict.checkedAt}`,
    `- Organization: ${ctx.orgName ? `${ctx.orgName} ` : ''}(\`${verdict.orgId}\`)`,
    `- User: ${ctx.userName ? `${ctx.userName} ` : ''}(\`${verdict.userId}\`)`,
    `- Platform: ${ctx.platform}`,
    `- App: Wrap-up Desk ${ctx.appVersion}`,
    '',
    '## Verdict',
    '',
    CONCLUSIONS[s.conclusion],
    '',
    `Write method the app uses: **${METHOD[s.method]}**.`,
  ];
  if (s.rule) {
    lines.push(
      '',
      `Refused items: after-call work ended${s.rule.minAgeMs !== null ? ` and at least ${ageEn(s.rule.minAgeMs)} since the end` : ''} (learned ${s.rule.learnedAt}; ${s.rule.code ?? 'no code'}: ${s.rule.message ?? '–'}).`,
    );
  }
  lines.push('', '| method | after-call work ended | after-call work pending |', '|---|---|---|');
  for (const m of ['post', 'patch'] as const) {
    const after = s.matrix.find((c) => c.method === m && c.phase === 'after')!;
    const during = s.matrix.find((c) => c.method === m && c.phase === 'during')!;
    lines.push(`| ${METHOD[m]} | ${cellText(after)} | ${cellText(during)} |`);
  }
  lines.push('', '## Write attempts', '');
  if (verdict.attempts.length === 0) lines.push('None yet.');
  else {
    lines.push('| time | request | status | code | message | contextId | outcome | situation |', '|---|---|---|---|---|---|---|---|');
    for (const a of verdict.attempts) lines.push(attemptLine(a));
  }
  lines.push('', '## Read-only checks', '');
  if (verdict.probes.length === 0) lines.push('None yet.');
  else {
    lines.push('| check | result | sent | received | contextId |', '|---|---|---|---|---|');
    for (const p of verdict.probes) lines.push(probeLine(p));
  }
  lines.push('');
  return lines.join('\n');
}

/** The JSON report: the verdict's own fields (and nothing else it may carry), the summary and the context. */
export function reportJson(verdict: PlatformVerdict, ctx: ReportContext): string {
  const s = summarizeVerdict(verdict);
  const clean = {
    report: 'wrap-up-desk-platform-check',
    version: 1,
    generatedAt: ctx.generatedAt,
    app: { name: 'Wrap-up Desk', version: ctx.appVersion },
    platform: ctx.platform,
    orgId: verdict.orgId,
    userId: verdict.userId,
    checkedAt: verdict.checkedAt,
    summary: { conclusion: s.conclusion, writeMethod: s.method, refusalRule: s.rule, matrix: s.matrix },
    probes: verdict.probes.map((p) => ({ id: p.id, ok: p.ok, sent: p.sent, received: p.received, contextId: p.contextId, facts: p.facts })),
    attempts: verdict.attempts.map((a) => ({
      probeId: a.probeId,
      method: a.method,
      request: a.request,
      status: a.status,
      code: a.code,
      message: a.message,
      contextId: a.contextId,
      outcome: a.outcome,
      at: a.at,
      situation: a.situation,
      target: a.target,
    })),
  };
  return JSON.stringify(clean, null, 2);
}

/** Every contextId the report carries (the test checks none is lost). */
export function contextIds(verdict: PlatformVerdict): string[] {
  return [...verdict.attempts.map((a) => a.contextId), ...verdict.probes.map((p) => p.contextId)].filter((c): c is string => !!c);
}

export function reportFileName(verdict: PlatformVerdict, ext: 'md' | 'json'): string {
  const stamp = verdict.checkedAt.slice(0, 19).replace(/[:T]/g, '-');
  return `platform-check-${stamp}.${ext}`;
}
