/**
 * The preview (issue 7 item 2, issue 16 item 2): what the selection holds, item by item, and what
 * the job will do with each for the chosen code. No code is chosen for the user, and Start names the
 * code and the count. Nothing is written before Start.
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button.tsx';
import { showToast } from '@/components/ui/toast-store.ts';
import { formatDateTime, formatDuration, formatNumber } from '@/lib/i18n/format.ts';
import type { RefusalRule, WriteMethod } from '@/lib/platform-verdict.ts';
import { NOTES_MAX_LENGTH } from '../wrapup-form-schema.ts';
import { notFoundReport, type ImportResult } from './import-parse.ts';
import { countClasses, planBulk, previewClasses, type BulkPlan, type SelectionEntry } from './planner.ts';
import { genesysBulkPlatform } from './platform-port.ts';
import { loadDirectory } from './item-names.ts';
import { useBulkService } from './use-bulk-job.ts';
import { ProblemList } from './import-panel.tsx';
import { PreviewItems } from './preview-items.tsx';

/** From the platform check's verdict (`@/lib/platform-verdict.ts`), handed in by the route. */
export interface PlatformFacts {
  method: WriteMethod;
  /** When the method was learned (ISO), for the note; null when it is the default. */
  methodLearnedAt: string | null;
  refusal: RefusalRule | null;
}

export const planQuery = {
  // `onProgress` only reports how far the reads are; the plan depends on the selection alone.
  // eslint-disable-next-line @tanstack/query/exhaustive-deps
  plan: (selection: readonly SelectionEntry[], onProgress?: (read: number, total: number) => void) => ({
    queryKey: ['bulk', 'plan', selection] as const,
    queryFn: () => planBulk(selection, { platform: genesysBulkPlatform, directory: loadDirectory, ...(onProgress ? { onProgress } : {}) }),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  }),
};

export function PreviewPanel({
  selection,
  importResult,
  canWrite,
  onOpenJob,
  onCancel,
  platform,
}: {
  selection: SelectionEntry[];
  importResult: ImportResult | null;
  canWrite: boolean | undefined;
  onOpenJob: (jobId: string) => void;
  onCancel: () => void;
  platform: PlatformFacts;
}) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const [read, setRead] = useState<{ read: number; total: number } | null>(null);
  const plan = useQuery(planQuery.plan(selection, (r, total) => setRead({ read: r, total })));
  const id = useId();

  if (plan.isPending)
    return (
      <div>
        <p role="status">
          {read && read.total > 0
            ? t('preview.progress', { read: formatNumber(lng, read.read), total: formatNumber(lng, read.total) })
            : t('preview.loading', { count: selection.length, value: formatNumber(lng, selection.length) })}
        </p>
        {read && read.total > 0 && <progress className="bulk-progress" max={read.total} value={read.read} aria-label={t('preview.progressLabel')} />}
      </div>
    );
  if (plan.isError)
    return (
      <div role="alert">
        <p>{t('preview.failed', { error: plan.error.message })}</p>
        <Button onClick={() => void plan.refetch()}>{t('preview.retry')}</Button>
      </div>
    );
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('preview.title')}</h2>
      <PreviewForm plan={plan.data} importResult={importResult} canWrite={canWrite} onOpenJob={onOpenJob} onCancel={onCancel} platform={platform} />
    </section>
  );
}

export function PreviewForm({
  plan,
  importResult,
  canWrite,
  onOpenJob,
  onCancel,
  platform,
}: {
  plan: BulkPlan;
  importResult: ImportResult | null;
  canWrite: boolean | undefined;
  onOpenJob: (jobId: string) => void;
  onCancel: () => void;
  platform: PlatformFacts;
}) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const service = useBulkService();
  const id = useId();
  // No code is chosen for the user: one careless click must not write a code nobody picked (issue 16).
  const [codeId, setCodeId] = useState('');
  const [notes, setNotes] = useState('');
  const [replace, setReplace] = useState(false);
  const [includeSystem, setIncludeSystem] = useState(false);
  const [careful, setCareful] = useState(false);
  const [tryRefused, setTryRefused] = useState(false);
  const [starting, setStarting] = useState(false);
  const code = plan.codes.find((c) => c.id === codeId) ?? null;
  const options = {
    replaceExisting: replace,
    includeSystemCoded: includeSystem,
    verify: careful ? ('per-item' as const) : ('batched' as const),
    method: platform.method,
    refusal: platform.refusal,
    tryRefused,
  };
  const learnedOn = (iso: string | null) => (iso ? formatDateTime(lng, Date.parse(iso)) : '');
  // One pass over every item (20,000 in a big preview): again only when what it depends on changes,
  // not on each keystroke in the notes (the classification does not read them).
  const planItems = plan.items;
  const classes = useMemo(
    () =>
      code
        ? previewClasses(
            { items: planItems },
            {
              code,
              notes: '',
              options: {
                replaceExisting: replace,
                includeSystemCoded: includeSystem,
                verify: careful ? 'per-item' : 'batched',
                method: platform.method,
                refusal: platform.refusal,
                tryRefused,
              },
            },
          )
        : null,
    [planItems, code, replace, includeSystem, careful, platform.method, platform.refusal, tryRefused],
  );
  const summary = useMemo(() => (classes ? countClasses(classes) : null), [classes]);
  const toWrite = summary ? summary.write + summary.replace : 0;
  const notesTooLong = notes.length > NOTES_MAX_LENGTH;
  const lineProblems = useMemo(() => {
    if (!importResult) return { list: [], total: 0 };
    const found = notFoundReport(importResult.entries, plan.notFound, plan.participantsNotFound, plan.unknownEmails, plan.items);
    return { list: [...importResult.problems, ...found].sort((a, b) => a.line - b.line), total: importResult.problemCount + found.length };
  }, [importResult, plan.notFound, plan.participantsNotFound, plan.unknownEmails, plan.items]);

  const start = async () => {
    if (!code || toWrite === 0 || notesTooLong) return;
    setStarting(true);
    try {
      onOpenJob(await service.startJob(plan, { code, notes: notes.trim(), options }));
    } catch (e) {
      setStarting(false);
      showToast({ kind: 'error', title: t('preview.startFailed', { error: e instanceof Error ? e.message : String(e) }) });
    }
  };

  const n = (v: number) => formatNumber(lng, v);
  return (
    <>
      <p>{t('preview.items', { count: plan.items.length, value: n(plan.items.length) })}</p>
      {plan.notFound.length > 0 && <p className="bulk-warning">{t('preview.notFound', { count: plan.notFound.length, value: n(plan.notFound.length) })}</p>}
      {plan.participantsNotFound.length > 0 && (
        <p className="bulk-warning">
          {t('preview.participantsNotFound', { count: plan.participantsNotFound.length, value: n(plan.participantsNotFound.length) })}
        </p>
      )}
      {lineProblems.total > 0 && <ProblemList problems={lineProblems.list} total={lineProblems.total} caption={t('import.problems')} />}
      {plan.codes.length === 0 ? (
        <p role="alert">{t('preview.noCodes')}</p>
      ) : (
        <form
          className="bulk-form bulk-preview-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <div className="bulk-field">
            <label htmlFor={`${id}-code`}>{t('preview.code')}</label>
            <select id={`${id}-code`} value={codeId} onChange={(e) => setCodeId(e.target.value)}>
              <option value="" disabled>
                {t('preview.chooseCode')}
              </option>
              {plan.codes.map((c) => (
                <option key={c.id} value={c.id}>
                  {t('preview.codeOption', { name: c.name, count: c.allowedFor, value: n(c.allowedFor) })}
                </option>
              ))}
            </select>
          </div>
          <div className="bulk-field">
            <label htmlFor={`${id}-notes`}>{t('preview.notes')}</label>
            <textarea
              id={`${id}-notes`}
              rows={3}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              aria-invalid={notesTooLong}
              aria-describedby={`${id}-notes-help`}
            />
            <span id={`${id}-notes-help`} className={notesTooLong ? 'bulk-warning' : 'muted'}>
              {t('preview.notesHelp', { count: notes.length, max: NOTES_MAX_LENGTH })}
            </span>
          </div>
          <div className="bulk-check">
            <input id={`${id}-replace`} type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
            <label htmlFor={`${id}-replace`}>{t('preview.replace')}</label>
          </div>
          <div className="bulk-check">
            <input id={`${id}-system`} type="checkbox" checked={includeSystem} onChange={(e) => setIncludeSystem(e.target.checked)} />
            <label htmlFor={`${id}-system`}>{t('preview.includeSystem')}</label>
          </div>
          <div className="bulk-check">
            <input
              id={`${id}-careful`}
              type="checkbox"
              checked={careful}
              onChange={(e) => setCareful(e.target.checked)}
              aria-describedby={`${id}-careful-help`}
            />
            <div>
              <label htmlFor={`${id}-careful`}>{t('preview.careful')}</label>
              <p id={`${id}-careful-help`} className="muted bulk-check-help">
                {t('preview.carefulHelp')}
              </p>
            </div>
          </div>
          {platform.refusal && (
            <div className="bulk-check">
              <input
                id={`${id}-try-refused`}
                type="checkbox"
                checked={tryRefused}
                onChange={(e) => setTryRefused(e.target.checked)}
                aria-describedby={`${id}-try-refused-help`}
              />
              <div>
                <label htmlFor={`${id}-try-refused`}>{t('preview.tryRefused')}</label>
                <p id={`${id}-try-refused-help`} className="muted bulk-check-help">
                  {t('preview.tryRefusedHelp', {
                    date: learnedOn(platform.refusal.learnedAt),
                    rule:
                      platform.refusal.minAgeMs === null
                        ? t('preview.ruleAfterAcw')
                        : t('preview.ruleAfterAge', { age: formatDuration(lng, platform.refusal.minAgeMs / 1000) }),
                  })}
                </p>
              </div>
            </div>
          )}
          {platform.method === 'patch' && (
            <p className="muted" data-testid="write-method">
              {t('preview.methodPatch', { date: learnedOn(platform.methodLearnedAt) })}
            </p>
          )}
          {summary && (
            <dl className="bulk-facts" aria-label={t('preview.summary')}>
              {(['write', 'replace', 'alreadyCoded', 'systemCoded', 'active', 'unanswered', 'noWritePath', 'codeNotAllowed', 'platformRefuses'] as const).map(
                (k) => (
                  <div key={k} style={{ display: 'contents' }}>
                    <dt>{t(`preview.classes.${k}`)}</dt>
                    <dd data-testid={`preview-${k}`}>{n(summary[k])}</dd>
                  </div>
                ),
              )}
            </dl>
          )}
          <PreviewItems items={plan.items} classes={classes} summary={summary} />
          <p className="muted">{t('preview.nothingYet')}</p>
          {canWrite === false && <p role="alert">{t('preview.noPermission')}</p>}
          <div className="bulk-actions">
            <Button type="submit" accent="primary" disabled={canWrite !== true || toWrite === 0 || notesTooLong || starting}>
              {code ? t('preview.start', { count: toWrite, value: n(toWrite), code: code.name }) : t('preview.startNoCode')}
            </Button>
            <Button onClick={onCancel} disabled={starting}>
              {t('preview.cancel')}
            </Button>
          </div>
        </form>
      )}
    </>
  );
}
