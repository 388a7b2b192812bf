/**
 * The verdict in plain words, as data: what the page (in the user's language) and the report (in
 * English, for Genesys support) both say. Derived only through the rules of
 * `src/lib/platform-verdict.ts` (`writeMethodOf`, `methodAnswer`, `refusalRule`), so the page says
 * what the rest of the app does.
 */
import {
  methodAnswer,
  refusalRule,
  writeMethodOf,
  type PlatformVerdict,
  type RefusalRule,
  type WriteAttempt,
  type WriteMethod,
} from '@/lib/platform-verdict.ts';

export type AcwPhase = 'after' | 'during';

export interface MatrixCell {
  method: WriteMethod;
  /** after: after-call work had ended (or there was none); during: it was still pending. */
  phase: AcwPhase;
  answer: 'yes' | 'no' | 'unknown';
  /** yes: the oldest item (ms since its end) a write of this kind was applied to. */
  appliedAtMs: number | null;
  /** no: the platform's code of the (latest) refusal. */
  refusalCode: string | null;
}

export type Conclusion =
  /** No write probe answered yet: the app writes by POST (the documented path). */
  | 'not-tested'
  /** Only answers that say nothing about the rule (refused for the code or target, no answer). */
  | 'inconclusive'
  /** Writes were applied; the app writes by POST. */
  | 'post'
  /** POST refused, PATCH applied: the app writes by PATCH. */
  | 'patch'
  /** Refused after after-call work, applied while it was pending. */
  | 'only-during-acw'
  /** Refused after after-call work; not seen applied during it (not tested, or refused too). */
  | 'refused-after-acw'
  /** Applied after after-call work up to some age, refused past it. */
  | 'refused-past-age'
  /** Every policy answer was a refusal, and none about an ended after-call work (only pending items tried). */
  | 'refused';

export interface VerdictSummary {
  conclusion: Conclusion;
  method: WriteMethod;
  rule: RefusalRule | null;
  matrix: MatrixCell[];
  /** The latest policy refusal (code, message, time) when the conclusion is about refusals. */
  lastRefusal: Pick<WriteAttempt, 'code' | 'message' | 'at' | 'method'> | null;
  /** Write probes made, and attempts recorded. */
  probes: number;
  attempts: number;
}

function cell(verdict: PlatformVerdict | null, method: WriteMethod, phase: AcwPhase): MatrixCell {
  const pending = phase === 'during';
  const mine = (verdict?.attempts ?? []).filter((a) => a.method === method && a.situation.acwPending === pending);
  const applied = mine.filter((a) => a.outcome === 'applied');
  const refusals = mine.filter((a) => a.outcome === 'refused');
  return {
    method,
    phase,
    answer: methodAnswer(verdict, method, pending),
    appliedAtMs: applied.length > 0 ? Math.max(...applied.map((a) => a.situation.endedAgoMs ?? 0)) : null,
    refusalCode: refusals.length > 0 ? (refusals[refusals.length - 1]!.code ?? null) : null,
  };
}

export function summarizeVerdict(verdict: PlatformVerdict | null | undefined): VerdictSummary {
  const v = verdict ?? null;
  const attempts = v?.attempts ?? [];
  const matrix = (['post', 'patch'] as const).flatMap((m) => (['after', 'during'] as const).map((p) => cell(v, m, p)));
  const rule = refusalRule(v);
  const method = writeMethodOf(v);
  const refusals = attempts.filter((a) => a.outcome === 'refused');
  const last = refusals[refusals.length - 1];
  const lastRefusal = last ? { code: last.code, message: last.message, at: last.at, method: last.method } : null;
  const applied = attempts.filter((a) => a.outcome === 'applied');
  const base = { method, rule, matrix, lastRefusal, probes: new Set(attempts.map((a) => a.probeId)).size, attempts: attempts.length };

  let conclusion: Conclusion;
  if (attempts.length === 0) conclusion = 'not-tested';
  else if (rule) {
    if (rule.minAgeMs !== null) conclusion = 'refused-past-age';
    else if (applied.some((a) => a.situation.acwPending)) conclusion = 'only-during-acw';
    else conclusion = 'refused-after-acw';
  } else if (applied.length > 0) conclusion = method;
  else if (refusals.length > 0) conclusion = 'refused';
  else conclusion = 'inconclusive';
  return { conclusion, ...base };
}

/** A duration in the largest unit that keeps it readable: minutes under 2 h, hours under 2 days, days. */
export function ageParts(ms: number): { value: number; unit: 'minute' | 'hour' | 'day' } {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 120) return { value: minutes, unit: 'minute' };
  const hours = Math.round(ms / 3_600_000);
  if (hours < 48) return { value: hours, unit: 'hour' };
  return { value: Math.round(ms / 86_400_000), unit: 'day' };
}

/** "3 hours" / "3 Stunden" (Intl units, long form). */
export function formatAge(lng: string, ms: number): string {
  const { value, unit } = ageParts(ms);
  return new Intl.NumberFormat(lng, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
