import { useId, useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GuxFormFieldSelect, GuxFormFieldTextLike, GuxInlineAlert } from 'genesys-spark-components-react';
import { Button } from '@/components/ui/button.tsx';
import { toApiError } from '@/lib/genesys/api-error.ts';
import { hasParticipantPatch } from '@/lib/genesys/api.ts';
import { WRAPUP_MEDIA_PATHS, type WrapupMediaPath } from '@/lib/genesys/media.ts';
import type { WriteAttempt } from '@/lib/platform-verdict.ts';
import { platformCheckQueries, type WriteProbeOutcome } from './platform-check-queries.ts';
import { formatAge } from './verdict-summary.ts';
import { planWrite, type WriteProbeCode, type WriteProbeTarget } from './write-probe.ts';

const ID_PATTERN = /^[A-Za-z0-9-]{1,128}$/;
const METHOD = { post: 'POST', patch: 'PATCH' } as const;

type Field = 'conversationId' | 'participantId' | 'communicationId';
const FIELDS: Field[] = ['conversationId', 'participantId', 'communicationId'];

export interface WriteProbePanelProps {
  initialTarget: Partial<WriteProbeTarget>;
  canWrite: boolean | undefined;
  running: boolean;
  result: WriteProbeOutcome | undefined;
  runError: Error | null;
  onRun: (target: WriteProbeTarget, code: WriteProbeCode) => void;
}

function sameTarget(a: WriteProbeTarget, b: WriteProbeTarget): boolean {
  return a.media === b.media && FIELDS.every((f) => a[f] === b[f]);
}

function complete(t: Partial<WriteProbeTarget>): WriteProbeTarget | null {
  if (!t.media || !FIELDS.every((f) => ID_PATTERN.test(t[f] ?? ''))) return null;
  return { media: t.media, conversationId: t.conversationId!, participantId: t.participantId!, communicationId: t.communicationId! };
}

function PlanLine({ label, method, path, body }: { label: string; method: string; path: string; body?: unknown }) {
  return (
    <li>
      {label}
      <pre className="probe-plan-request">
        {method} {path}
        {body !== undefined ? `\n${JSON.stringify(body)}` : ''}
      </pre>
    </li>
  );
}

function AttemptLine({ attempt }: { attempt: WriteAttempt }) {
  const { t, i18n } = useTranslation('platformCheck');
  const situation = [
    attempt.situation.acwPending ? t('write.situation.pending') : t('write.situation.ended'),
    attempt.situation.endedAgoMs !== null
      ? t('write.situation.age', { age: formatAge(i18n.language, attempt.situation.endedAgoMs) })
      : t('write.situation.ageUnknown'),
  ].join(', ');
  return (
    <li data-testid={`attempt-${attempt.method}`} data-outcome={attempt.outcome}>
      <strong>{t(`write.attempt.${attempt.outcome}`, { method: METHOD[attempt.method], status: attempt.status, code: attempt.code ?? '' })}</strong> (
      {situation})
      <dl className="probe-evidence">
        {attempt.message && (
          <>
            <dt>{t('write.message')}</dt>
            <dd>{attempt.message}</dd>
          </>
        )}
        <dt>{t('write.contextId')}</dt>
        <dd>{attempt.contextId ? <code>{attempt.contextId}</code> : '—'}</dd>
      </dl>
    </li>
  );
}

function ResultView({ result, nameOf }: { result: WriteProbeOutcome; nameOf: (codeId: string) => string }) {
  const { t } = useTranslation('platformCheck');
  const failed = result.stop !== null && result.stop !== 'no-patch' && result.attempts.length === 0;
  return (
    <div className="probe-result" role={failed ? 'alert' : 'status'} aria-labelledby="write-result-title">
      <h3 id="write-result-title">{t('write.resultTitle')}</h3>
      {result.stop && (
        <p data-testid="write-stop" data-stop={result.stop}>
          {t(`write.stop.${result.stop}`, { code: result.before?.code ? nameOf(result.before.code) : '' })}
        </p>
      )}
      {result.error && result.attempts.length === 0 && (
        <dl className="probe-evidence">
          <dt>{t('write.error')}</dt>
          <dd>
            {result.error.status > 0 ? `${result.error.status} ` : ''}
            {result.error.code}: {result.error.message}
          </dd>
          <dt>{t('write.contextId')}</dt>
          <dd>{result.error.contextId ? <code>{result.error.contextId}</code> : '—'}</dd>
        </dl>
      )}
      {result.attempts.length > 0 && (
        <ol className="probe-attempts">
          {result.attempts.map((a) => (
            <AttemptLine key={`${a.method}-${a.at}`} attempt={a} />
          ))}
        </ol>
      )}
      {result.recovered && <p>{t('write.recovered')}</p>}
      {result.readBack &&
        ('error' in result.readBack ? (
          <p>{t('write.readBackFailed', { error: result.readBack.error.message })}</p>
        ) : (
          <p data-testid="write-read-back">{result.readBack.code ? t('write.readBack', { code: nameOf(result.readBack.code) }) : t('write.readBackNone')}</p>
        ))}
      {result.attempts.length > 0 && <p className="muted">{result.saved ? t('write.saved') : t('write.notSaved')}</p>}
    </div>
  );
}

/** The write probe: the communication (prefilled from the worklist, or pasted), its allowed codes, what will be sent, the result. */
export function WriteProbePanel({ initialTarget, canWrite, running, result, runError, onRun }: WriteProbePanelProps) {
  const { t } = useTranslation('platformCheck');
  const uid = useId();
  const [draft, setDraft] = useState<Partial<WriteProbeTarget>>(initialTarget);
  const [touched, setTouched] = useState(false);
  const [chosen, setChosen] = useState<WriteProbeTarget | null>(() => complete(initialTarget));
  const [codeId, setCodeId] = useState('');
  const codes = useQuery({
    ...platformCheckQueries.codes(chosen ?? { media: 'calls', conversationId: '', participantId: '' }),
    enabled: chosen !== null,
  });
  const code: WriteProbeCode | null = useMemo(() => {
    const c = codes.data?.find((x) => x.id === codeId);
    return c?.id ? { id: c.id, name: c.name } : null;
  }, [codes.data, codeId]);
  const nameOf = (id: string) => codes.data?.find((c) => c.id === id)?.name ?? id;
  const sortedCodes = useMemo(() => [...(codes.data ?? [])].filter((c) => c.id).sort((a, b) => a.name.localeCompare(b.name)), [codes.data]);

  const fieldError = (f: Field) => {
    const v = draft[f] ?? '';
    if (!touched) return null;
    if (!v) return t('write.required');
    return ID_PATTERN.test(v) ? null : t('write.invalidId');
  };
  const change = (patch: Partial<WriteProbeTarget>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setChosen(null);
    setCodeId('');
  };
  const submitTarget = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const target = complete(draft);
    setChosen(target);
    setCodeId('');
  };

  const postPlan = chosen && code ? planWrite(chosen, code, 'post', true) : null;
  const patchPlan = chosen && code ? planWrite(chosen, code, 'patch', hasParticipantPatch(chosen.media)) : null;
  const base = chosen ? `/api/v2/conversations/${chosen.media}/${chosen.conversationId}/participants/${chosen.participantId}` : '';

  return (
    <section aria-labelledby="write-title" className="platform-section">
      <h2 id="write-title">{t('write.title')}</h2>
      <p>{t('write.intro')}</p>
      {canWrite === false && (
        <GuxInlineAlert accent="warning">
          <div>{t('write.noPermission')}</div>
        </GuxInlineAlert>
      )}
      <form className="probe-target" onSubmit={submitTarget} noValidate>
        <fieldset>
          <legend>{t('write.targetLegend')}</legend>
          <div className="probe-target-fields">
            {FIELDS.map((f) => {
              const err = fieldError(f);
              return (
                <GuxFormFieldTextLike key={f}>
                  <label slot="label" htmlFor={`${uid}-${f}`}>
                    {t(`write.${f}`)}
                  </label>
                  <input
                    slot="input"
                    id={`${uid}-${f}`}
                    name={f}
                    type="text"
                    autoComplete="off"
                    spellCheck={false}
                    value={draft[f] ?? ''}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `${uid}-${f}-error` : undefined}
                    onChange={(e) => change({ [f]: e.target.value.trim() })}
                  />
                  {err && (
                    <span slot="error" id={`${uid}-${f}-error`}>
                      {err}
                    </span>
                  )}
                </GuxFormFieldTextLike>
              );
            })}
            <GuxFormFieldSelect labelPosition="above">
              <label slot="label" htmlFor={`${uid}-media`}>
                {t('write.media')}
              </label>
              <select
                slot="input"
                id={`${uid}-media`}
                name="media"
                value={draft.media ?? ''}
                aria-invalid={touched && !draft.media ? true : undefined}
                onChange={(e) =>
                  change({ media: (WRAPUP_MEDIA_PATHS as readonly string[]).includes(e.target.value) ? (e.target.value as WrapupMediaPath) : undefined })
                }
              >
                <option value="">{t('write.mediaPlaceholder')}</option>
                {WRAPUP_MEDIA_PATHS.map((m) => (
                  <option key={m} value={m}>
                    {t(`media.${m}`)} ({m})
                  </option>
                ))}
              </select>
            </GuxFormFieldSelect>
          </div>
          <Button type="submit" disabled={running}>
            {t('write.useTarget')}
          </Button>
        </fieldset>
      </form>

      {chosen && codes.isPending && <p role="status">{t('write.codesLoading')}</p>}
      {chosen && codes.isError && (
        <div role="alert">
          <GuxInlineAlert accent="error">
            <div>{t('write.codesFailed', { error: toApiError(codes.error).message })}</div>
          </GuxInlineAlert>
        </div>
      )}
      {chosen && codes.data && sortedCodes.length === 0 && <p>{t('write.noCodes')}</p>}
      {chosen && sortedCodes.length > 0 && (
        <form
          className="probe-send"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen && code) onRun(chosen, code);
          }}
        >
          <GuxFormFieldSelect labelPosition="above">
            <label slot="label" htmlFor={`${uid}-code`}>
              {t('write.code')}
            </label>
            <select slot="input" id={`${uid}-code`} value={codeId} onChange={(e) => setCodeId(e.target.value)} disabled={running}>
              <option value="">{t('write.codePlaceholder')}</option>
              {sortedCodes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </GuxFormFieldSelect>
          {postPlan && (
            <div className="probe-plan" aria-labelledby={`${uid}-plan`}>
              <h3 id={`${uid}-plan`}>{t('write.planTitle')}</h3>
              <ol>
                <PlanLine label={t('write.plan.read')} method="GET" path={`${base}/communications/${chosen.communicationId}/wrapup`} />
                <PlanLine label={t('write.plan.conversation')} method="GET" path={`/api/v2/conversations/${chosen.conversationId}`} />
                <PlanLine label={t('write.plan.post')} method={postPlan.method} path={postPlan.path} body={postPlan.body} />
                {patchPlan ? (
                  <PlanLine label={t('write.plan.patch')} method={patchPlan.method} path={patchPlan.path} body={patchPlan.body} />
                ) : (
                  <li>{t('write.plan.noPatch')}</li>
                )}
                <li>{t('write.plan.readBack')}</li>
              </ol>
            </div>
          )}
          <div className="probe-send-actions">
            <Button type="submit" accent="primary" disabled={!code || running || canWrite === false}>
              {running ? t('write.sending') : t('write.send')}
            </Button>
            {!code && <span className="muted">{t('write.chooseCode')}</span>}
          </div>
        </form>
      )}
      {runError && (
        <div role="alert">
          <GuxInlineAlert accent="error">
            <div>{runError.message}</div>
          </GuxInlineAlert>
        </div>
      )}
      {result && !running && chosen && sameTarget(result.target, chosen) && <ResultView result={result} nameOf={nameOf} />}
    </section>
  );
}
