import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GuxFormFieldCheckbox, GuxFormFieldRadio, GuxFormFieldTextarea, GuxInlineAlert } from 'genesys-spark-components-react';
import type { Models } from '@/lib/genesys/sdk.ts';
import { Button } from '@/components/ui/button.tsx';
import { formatDateTime } from '@/lib/i18n/format.ts';
import { mediaOfCommunication, usePlatformValue } from '@/lib/i18n/platform-values.ts';
import type { ApplyRequest, ApplyResult } from './apply-wrapup.ts';
import { CodePicker, codeOptions, type CodeOption } from './code-picker.tsx';
import { communicationIdOf, type CommunicationCandidate } from './communication-choice.ts';
import { FailureDetails } from './failure-details.tsx';
import { NotRecordableError, useApplyWrapup, type ApplyCallbacks } from './use-apply-wrapup.ts';
import { NOTES_MAX_LENGTH, wrapupFormSchema, type ValidationKey, type WrapupFormValues } from './wrapup-form-schema.ts';
import { wrapupQueries } from './wrapup-queries.ts';

export interface WrapupFormProps extends ApplyCallbacks {
  conversationId: string;
  participantId: string;
  candidates: CommunicationCandidate[];
  preselected: string | undefined;
  codes: readonly Models.WrapupCode[];
  /** False when the signed-in user lacks the write permission: the form explains and does not submit. */
  canWrite: boolean;
  /**
   * The worklist side panel's "Save and next missing" (issue 16 item 1): a second submit button;
   * after a write the platform accepted through it, this is called (the panel moves on).
   */
  onSavedAndNext?: () => void;
}

/** A code id as the user knows it: its name from the participant's list or the communication, else the id. */
export function codeLabel(id: string | undefined, codes: readonly CodeOption[], fallbackName?: string): string {
  if (!id) return '';
  return codes.find((c) => c.id === id)?.name ?? fallbackName ?? id;
}

export function WrapupForm({
  conversationId,
  participantId,
  candidates,
  preselected,
  codes,
  canWrite,
  onApplied,
  onAttempt,
  ensureRecordable,
  method,
  onSavedAndNext,
}: WrapupFormProps) {
  const { t, i18n } = useTranslation('wrapup');
  const options = useMemo(() => codeOptions(codes), [codes]);
  const allowedCodeIds = useMemo(() => new Set(options.map((c) => c.id)), [options]);
  const apply = useApplyWrapup({ onApplied, onAttempt, ensureRecordable, ...(method ? { method } : {}) });
  const [last, setLast] = useState<{ req: ApplyRequest; result: ApplyResult } | undefined>();

  // The schema depends on live data (allowed codes, existing wrap-up): the resolver reads the latest.
  const ctxRef = useRef({ allowedCodeIds, hasExisting: false });
  const resolver: Resolver<WrapupFormValues> = (values, context, opts) => zodResolver(wrapupFormSchema(ctxRef.current))(values, context, opts);
  const form = useForm<WrapupFormValues>({
    resolver,
    defaultValues: { communicationId: preselected ?? '', codeId: '', notes: '', replace: false },
  });
  const { register, handleSubmit, control, formState } = form;
  const [communicationId, codeId, notes] = useWatch({ control, name: ['communicationId', 'codeId', 'notes'] });
  const chosen = candidates.find((c) => c.id === communicationId);

  const current = useQuery({
    ...wrapupQueries.current(chosen?.path ?? 'calls', conversationId, participantId, chosen ? communicationIdOf(chosen) : ''),
    enabled: !!chosen,
  });
  const existing = current.data ?? undefined;
  ctxRef.current = { allowedCodeIds, hasExisting: !!existing };

  const pending = apply.isPending;
  const msg = (key: string | undefined) => (key ? t(`validation.${key as ValidationKey}`, { max: NOTES_MAX_LENGTH }) : undefined);

  // One message at a time (issue 16 item 4): a new validation error replaces the previous result.
  const clearResult = () => {
    setLast(undefined);
    apply.reset();
  };

  // `andNext`: the form was sent by "Save and next missing", which moves on after the write.
  const submit = (andNext: boolean) =>
    handleSubmit((values) => {
      const target = candidates.find((c) => c.id === values.communicationId);
      const code = options.find((c) => c.id === values.codeId);
      if (!target || !code) return; // the schema already refused these
      const req: ApplyRequest = {
        target: { media: target.path, conversationId, participantId, communicationId: communicationIdOf(target) },
        code,
        notes: values.notes,
        replace: !!existing && values.replace,
        seenCode: existing?.code ?? null,
        // "Check again" re-reads this same write: its audit entry then corrects this one.
        writeId: crypto.randomUUID(),
      };
      run({ kind: 'apply', req }, andNext);
    }, clearResult);

  function run(action: Parameters<typeof apply.mutate>[0], andNext = false) {
    setLast(undefined);
    apply.mutate(action, {
      onSuccess: (result) => {
        setLast({ req: action.req, result });
        // Done: the code, notes and "Replace" tick are cleared, so nothing invites a second write
        // (the banner below says what was written; no toast repeats it). The communication stays.
        if (result.outcome === 'applied') form.reset({ communicationId: form.getValues('communicationId'), codeId: '', notes: '', replace: false });
        if (andNext && result.outcome === 'applied') onSavedAndNext?.();
      },
    });
  }

  const existingName = codeLabel(existing?.code, options, chosen?.wrapup?.code === existing?.code ? chosen?.wrapup?.name : undefined);

  return (
    <form
      className="wrapup-form"
      noValidate
      onSubmit={(e) => void submit(e.nativeEvent.submitter?.dataset.andNext === 'true')(e)}
      onKeyDown={(e) => submitByKey(e, !!onSavedAndNext)}
      aria-describedby="wrapup-form-help"
    >
      <p id="wrapup-form-help" className="muted">
        {t('form.help')}
      </p>
      {candidates.length > 1 ? (
        <fieldset className="wrapup-communications" disabled={pending}>
          <legend>{t('form.communication')}</legend>
          {candidates.map((c) => (
            <GuxFormFieldRadio key={c.id}>
              <input slot="input" type="radio" id={`comm-${c.id}`} value={c.id} {...register('communicationId')} />
              <label slot="label" htmlFor={`comm-${c.id}`}>
                <CommunicationSummary candidate={c} codes={options} lng={i18n.language} />
              </label>
            </GuxFormFieldRadio>
          ))}
          {formState.errors.communicationId && (
            <p className="wrapup-field-error" role="alert">
              {msg(formState.errors.communicationId.message)}
            </p>
          )}
        </fieldset>
      ) : (
        chosen && (
          <div className="wrapup-communications">
            <h2 className="wrapup-subtitle">{t('form.communication')}</h2>
            <p>
              <CommunicationSummary candidate={chosen} codes={options} lng={i18n.language} />
            </p>
          </div>
        )
      )}

      {existing && !(last?.result.outcome === 'applied' && existing.code === last.req.code.id) && (
        <GuxInlineAlert accent="warning">
          <div data-testid="existing-wrapup">
            {t('form.existing', { code: existingName })}
            {existing.notes ? ` ${t('form.existingNotes', { notes: existing.notes })}` : ''}
          </div>
        </GuxInlineAlert>
      )}

      <CodePicker codes={options} selectedId={codeId} field={register('codeId')} error={msg(formState.errors.codeId?.message)} disabled={pending} />

      <GuxFormFieldTextarea>
        <label slot="label" htmlFor="wrapup-notes">
          {t('form.notes')}
        </label>
        <textarea
          slot="input"
          id="wrapup-notes"
          rows={4}
          disabled={pending}
          aria-invalid={!!formState.errors.notes}
          aria-describedby={formState.errors.notes ? 'wrapup-notes-error' : undefined}
          {...register('notes')}
        />
        <span slot="help">{t('form.notesCount', { length: notes.length, max: NOTES_MAX_LENGTH })}</span>
      </GuxFormFieldTextarea>
      {/* Outside the Spark field: its error slot is not picked up when it appears after the first render. */}
      {formState.errors.notes && (
        <p id="wrapup-notes-error" className="wrapup-field-error" role="alert">
          {msg(formState.errors.notes.message)}
        </p>
      )}

      {existing && (
        <GuxFormFieldCheckbox>
          <input slot="input" type="checkbox" id="wrapup-replace" disabled={pending} {...register('replace')} />
          <label slot="label" htmlFor="wrapup-replace">
            {t('form.replace', { code: existingName })}
          </label>
          {formState.errors.replace && <span slot="error">{msg(formState.errors.replace.message)}</span>}
        </GuxFormFieldCheckbox>
      )}

      {!canWrite && (
        <GuxInlineAlert accent="info">
          <div>{t('form.cannotWrite')}</div>
        </GuxInlineAlert>
      )}

      <div className="wrapup-actions">
        <Button type="submit" accent="primary" disabled={pending || !canWrite || last?.result.outcome === 'unknown'}>
          {pending ? t('form.applying') : t('form.submit')}
        </Button>
        {onSavedAndNext && (
          <Button type="submit" data-and-next="true" disabled={pending || !canWrite || last?.result.outcome === 'unknown'} aria-keyshortcuts="Shift+Enter">
            {t('form.saveAndNext')}
          </Button>
        )}
      </div>

      {apply.error instanceof NotRecordableError && (
        <div role="alert" className="wrapup-result" data-outcome="not-recordable">
          <GuxInlineAlert accent="error">
            <div>{t('result.notRecordable', { error: apply.error.message })}</div>
          </GuxInlineAlert>
        </div>
      )}
      <ResultPanel last={last} codes={options} onRetry={run} pending={pending} />
    </form>
  );
}

/**
 * Enter saves from the code list too (a <select> does not submit a form by itself), Ctrl/⌘+Enter
 * from anywhere, the notes included (there Enter alone is a new line); with "Save and next missing",
 * Shift+Enter saves and moves on. Buttons and links keep their own Enter.
 */
function submitByKey(e: KeyboardEvent<HTMLFormElement>, andNext: boolean) {
  if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
  const el = e.target as HTMLElement;
  if (el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement) return;
  const inNotes = el instanceof HTMLTextAreaElement;
  if (inNotes && !(e.ctrlKey || e.metaKey)) return;
  e.preventDefault();
  const form = e.currentTarget;
  const next = andNext && e.shiftKey ? form.querySelector<HTMLButtonElement>('button[data-and-next="true"]') : null;
  const save = next ?? form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (save && !save.disabled) form.requestSubmit(save);
}

function CommunicationSummary({ candidate: c, codes, lng }: { candidate: CommunicationCandidate; codes: readonly CodeOption[]; lng: string }) {
  const { t } = useTranslation('wrapup');
  const value = usePlatformValue();
  const parts = [value('media', mediaOfCommunication(c.kind)), t('communication.state', { state: value('communicationState', c.state) })];
  if (c.disconnectedTime) parts.push(t('communication.ended', { time: formatDateTime(lng, c.disconnectedTime) }));
  parts.push(c.missing ? t('communication.missing') : t('communication.coded', { code: codeLabel(c.wrapup?.code, codes, c.wrapup?.name) }));
  return <>{parts.join(' · ')}</>;
}

function ResultPanel({
  last,
  codes,
  onRetry,
  pending,
}: {
  last: { req: ApplyRequest; result: ApplyResult } | undefined;
  codes: readonly CodeOption[];
  onRetry: (action: Parameters<ReturnType<typeof useApplyWrapup>['mutate']>[0]) => void;
  pending: boolean;
}) {
  const { t, i18n } = useTranslation('wrapup');
  if (!last) return <div role="status" className="wrapup-result" />;
  const { req, result } = last;
  switch (result.outcome) {
    case 'applied':
      return (
        <div role="status" className="wrapup-result" data-outcome="applied">
          <GuxInlineAlert accent="success">
            <div>
              {t('result.applied', { code: req.code.name })}{' '}
              {result.recovered ? t('result.recovered') : result.confirmed ? t('result.confirmed') : t('result.unconfirmed')}
            </div>
          </GuxInlineAlert>
        </div>
      );
    case 'already-coded':
      return (
        <div role="alert" className="wrapup-result" data-outcome="already-coded">
          <GuxInlineAlert accent="warning">
            <div>{t('result.alreadyCoded', { code: codeLabel(result.existing.code, codes) })}</div>
          </GuxInlineAlert>
        </div>
      );
    case 'refused':
    case 'failed':
      return (
        <div role="alert" className="wrapup-result" data-outcome={result.outcome}>
          <GuxInlineAlert accent="error">
            <div>
              <p>{result.stage === 'read' ? t('result.readFailed') : t('result.refused')}</p>
              <FailureDetails error={result.error} />
            </div>
          </GuxInlineAlert>
        </div>
      );
    case 'not-applied':
      return (
        <div role="alert" className="wrapup-result" data-outcome="not-applied">
          <GuxInlineAlert accent="warning">
            <div>
              <p>{t('result.notApplied')}</p>
              <FailureDetails error={result.error} />
            </div>
          </GuxInlineAlert>
          <Button accent="secondary" disabled={pending} onClick={() => onRetry({ kind: 'apply', req })}>
            {t('result.retry')}
          </Button>
        </div>
      );
    case 'unknown':
      return (
        <div role="alert" className="wrapup-result" data-outcome="unknown">
          <GuxInlineAlert accent="warning">
            <div>
              {result.rereadError ? (
                <>
                  <p>{t('result.unknown')}</p>
                  <FailureDetails error={result.rereadError} />
                </>
              ) : (
                <>
                  <p>{t('result.notYet', { until: formatDateTime(i18n.language, result.settlesAt ?? result.sentAt) })}</p>
                  <FailureDetails error={result.error} />
                </>
              )}
            </div>
          </GuxInlineAlert>
          <Button
            accent="secondary"
            disabled={pending}
            onClick={() => onRetry({ kind: 'verify', req, before: result.before, error: result.error, sentAt: result.sentAt })}
          >
            {t('result.checkAgain')}
          </Button>
        </div>
      );
  }
}
