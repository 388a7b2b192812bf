/**
 * The bulk wrap-up page (issue 7): import or worklist selection → preview → run (progress, pause,
 * resume, stop) → results (filter, CSV export, retry failed) and the job history. The plain-TS core
 * (planner, runner, journal) does the work; this file only renders and calls it.
 *
 * The route composes the page with other features (worklist hand-off, session events, audit log)
 * and hands in plain data and callbacks.
 */
import { useEffect, useId, useMemo, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button.tsx';
import { showToast } from '@/components/ui/toast-store.ts';
import { PlatformText } from '@/components/ui/platform-text.tsx';
import { downloadCsv } from '@/lib/csv.ts';
import { formatDateTime, formatDuration, formatNumber } from '@/lib/i18n/format.ts';
import { NOTES_MAX_LENGTH } from '../wrapup-form-schema.ts';
import { IMPORT_MAX_CHARS, notFoundReport, parseImport, type ImportProblem, type ImportResult } from './import-parse.ts';
import type { RefusalRule, WriteMethod } from '@/lib/platform-verdict.ts';
import type { BulkItem, BulkJob, ItemStatus, PauseReason } from './model.ts';
import { planBulk, previewSummary, type BulkPlan, type SelectionEntry } from './planner.ts';
import { genesysBulkPlatform } from './platform-port.ts';
import { resultsCsv } from './results-csv.ts';
import { itemText, type ItemTextContext } from './item-text.ts';
import type { BulkProgress } from './runner.ts';
import { resultsPage, type ItemsSource } from './results-page.ts';
import { retryPreview } from './retry.ts';
import { bulkJournalLost, deleteJob, listJobs, restoreReplaced, retryFailed, startJob, useBulkJob, type RestoreOutcome } from './use-bulk-job.ts';

import './bulk.css';

export interface BulkPageProps {
  /** `?job=` from the URL: the job to show (running, paused or finished). */
  jobId: string | null;
  /** Targets handed over from the worklist selection, or null. */
  selection: SelectionEntry[] | null;
  /** `conversation:participant:wrapup`; undefined while the permissions load. */
  canWrite: boolean | undefined;
  /** Shows a job (null: back to import and history). */
  onOpenJob: (jobId: string | null) => void;
  /** What the platform check learned on this org (null: nothing yet; the defaults apply). */
  platform?: PlatformFacts;
}

/** From the platform check's verdict (`@/lib/platform-verdict.ts`), handed in by the route. */
export interface PlatformFacts {
  method: WriteMethod;
  /** When the method was learned (ISO), for the note; null when it is the default. */
  methodLearnedAt: string | null;
  refusal: RefusalRule | null;
}

const NO_FACTS: PlatformFacts = { method: 'post', methodLearnedAt: null, refusal: null };

export const bulkQueries = {
  all: () => ['bulk'] as const,
  // `onProgress` only reports how far the reads are; the plan depends on the selection alone.
  // eslint-disable-next-line @tanstack/query/exhaustive-deps
  plan: (selection: readonly SelectionEntry[], onProgress?: (read: number, total: number) => void) => ({
    queryKey: [...bulkQueries.all(), 'plan', selection] as const,
    queryFn: () => planBulk(selection, { platform: genesysBulkPlatform, ...(onProgress ? { onProgress } : {}) }),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  }),
  jobs: () => ({ queryKey: [...bulkQueries.all(), 'jobs'] as const, queryFn: listJobs, staleTime: 0 }),
};

export function BulkPage({ jobId, selection, canWrite, onOpenJob, platform = NO_FACTS }: BulkPageProps) {
  const { t } = useTranslation('bulk');
  const [imported, setImported] = useState<{ selection: SelectionEntry[]; result: ImportResult } | null>(null);
  const active = selection ?? imported?.selection ?? null;
  return (
    <div className="bulk-page">
      <h1>{t('title')}</h1>
      {jobId ? (
        <JobPanel key={jobId} jobId={jobId} canWrite={canWrite} onOpenJob={onOpenJob} />
      ) : active ? (
        <PreviewPanel selection={active} importResult={imported?.result ?? null} canWrite={canWrite} onOpenJob={onOpenJob} onCancel={() => setImported(null)} platform={platform} />
      ) : (
        <>
          <p className="muted">{t('intro')}</p>
          <ImportPanel onImported={(result) => setImported({ selection: result.entries.map(({ line: _line, ...e }) => e), result })} />
          <HistoryPanel onOpenJob={onOpenJob} />
        </>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Import

/** The first 500 of `problems`; `total` counts every line with a problem (some may not be listed). */
function ProblemList({ problems, total, caption }: { problems: readonly ImportProblem[]; total: number; caption: string }) {
  const { t } = useTranslation('bulk');
  const shown = problems.slice(0, 500);
  return (
    <div className="bulk-problems">
      <table className="bulk-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('import.line')}</th>
            <th scope="col">{t('import.problem')}</th>
            <th scope="col">{t('import.text')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.line}-${p.kind}`}>
              <td>{p.line}</td>
              <td>{p.kind === 'malformed' ? t(`import.malformed.${p.reason ?? 'conversation-id'}`) : t(`import.kind.${p.kind}`)}</td>
              <td>
                <code>{p.text}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > shown.length && <p>{t('import.more', { count: total - shown.length })}</p>}
    </div>
  );
}

function ImportPanel({ onImported }: { onImported: (r: ImportResult) => void }) {
  const { t, i18n } = useTranslation('bulk');
  const id = useId();
  const [text, setText] = useState('');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [tooBig, setTooBig] = useState(false);

  const check = (value: string) => {
    if (value.length > IMPORT_MAX_CHARS) {
      setTooBig(true);
      setResult(null);
      return;
    }
    setTooBig(false);
    setResult(parseImport(value));
  };
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    if (file.size > IMPORT_MAX_CHARS) {
      setTooBig(true);
      setResult(null);
      return;
    }
    void file.text().then((value) => {
      setText(value.length > 100_000 ? '' : value);
      check(value);
    });
  };

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('import.title')}</h2>
      <p className="muted">{t('import.help')}</p>
      <div className="bulk-form">
        <div className="bulk-field">
          <label htmlFor={`${id}-text`}>{t('import.paste')}</label>
          <textarea id={`${id}-text`} rows={6} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </div>
        <div className="bulk-field">
          <label htmlFor={`${id}-file`}>{t('import.file')}</label>
          <input id={`${id}-file`} type="file" accept=".csv,.txt,text/csv,text/plain" onChange={onFile} />
        </div>
        <div className="bulk-actions">
          <Button onClick={() => check(text)} disabled={text.trim() === ''}>
            {t('import.check')}
          </Button>
        </div>
      </div>
      <div role="status">
        {tooBig && <p className="bulk-warning">{t('import.tooBig')}</p>}
        {result && (
          <p>
            {t('import.summary', {
              lines: formatNumber(i18n.language, result.lines),
              ok: formatNumber(i18n.language, result.entries.length),
              bad: formatNumber(i18n.language, result.problemCount),
            })}
          </p>
        )}
      </div>
      {result && result.problemCount > 0 && <ProblemList problems={result.problems} total={result.problemCount} caption={t('import.problems')} />}
      {result && (
        <div className="bulk-actions">
          <Button accent="primary" disabled={result.entries.length === 0} onClick={() => onImported(result)}>
            {t('import.preview', { count: result.entries.length })}
          </Button>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Preview

function PreviewPanel({
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
  const plan = useQuery(bulkQueries.plan(selection, (r, total) => setRead({ read: r, total })));
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

/** Exported for its test (bulk-page.test.tsx). */
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
  const summary = useMemo(
    () =>
      code
        ? previewSummary({ items: planItems }, {
            code,
            notes: '',
            options: { replaceExisting: replace, includeSystemCoded: includeSystem, verify: careful ? 'per-item' : 'batched', method: platform.method, refusal: platform.refusal, tryRefused },
          })
        : null,
    [planItems, code, replace, includeSystem, careful, platform.method, platform.refusal, tryRefused],
  );
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
      onOpenJob(await startJob(plan, { code, notes: notes.trim(), options }));
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
        <p className="bulk-warning">{t('preview.participantsNotFound', { count: plan.participantsNotFound.length, value: n(plan.participantsNotFound.length) })}</p>
      )}
      {lineProblems.total > 0 && <ProblemList problems={lineProblems.list} total={lineProblems.total} caption={t('import.problems')} />}
      {plan.codes.length === 0 ? (
        <p role="alert">{t('preview.noCodes')}</p>
      ) : (
        <form
          className="bulk-form"
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
            <textarea id={`${id}-notes`} rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} aria-invalid={notesTooLong} aria-describedby={`${id}-notes-help`} />
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
            <input id={`${id}-careful`} type="checkbox" checked={careful} onChange={(e) => setCareful(e.target.checked)} aria-describedby={`${id}-careful-help`} />
            <div>
              <label htmlFor={`${id}-careful`}>{t('preview.careful')}</label>
              <p id={`${id}-careful-help`} className="muted bulk-check-help">
                {t('preview.carefulHelp')}
              </p>
            </div>
          </div>
          {platform.refusal && (
            <div className="bulk-check">
              <input id={`${id}-try-refused`} type="checkbox" checked={tryRefused} onChange={(e) => setTryRefused(e.target.checked)} aria-describedby={`${id}-try-refused-help`} />
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
              {(['write', 'replace', 'alreadyCoded', 'systemCoded', 'active', 'unanswered', 'noWritePath', 'codeNotAllowed', 'platformRefuses'] as const).map((k) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt>{t(`preview.classes.${k}`)}</dt>
                  <dd data-testid={`preview-${k}`}>{n(summary[k])}</dd>
                </div>
              ))}
            </dl>
          )}
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

// ---------------------------------------------------------------------------------------------
// A job: progress, controls, results

function pauseText(t: TFunction<'bulk'>, lng: string, pause: PauseReason | null): string {
  if (!pause) return '';
  if (pause.kind === 'rate-limited') return t('pause.rate-limited', { until: formatDateTime(lng, pause.until) });
  if (pause.kind === 'storage') return t('pause.storage', { error: pause.message });
  if (pause.kind === 'refusals') return t('pause.refusals', { count: pause.count, code: pause.code });
  return t(`pause.${pause.kind}`);
}

const OUTCOME_FILTERS = ['all', 'applied', 'already-coded', 'skipped', 'failed', 'pending'] as const;
type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

function matches(filter: OutcomeFilter, status: ItemStatus): boolean {
  if (filter === 'all') return true;
  if (filter === 'pending') return status === 'pending' || status === 'in-flight';
  return status === filter;
}

function JobPanel({ jobId, canWrite, onOpenJob }: { jobId: string; canWrite: boolean | undefined; onOpenJob: (jobId: string | null) => void }) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const { view, act } = useBulkJob(jobId);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [retrying, setRetrying] = useState(false);

  if (view.status === 'loading') return <p role="status">{t('job.loading')}</p>;
  if (view.status === 'error') return <p role="alert">{t('job.loadFailed', { error: view.message })}</p>;
  if (view.status === 'missing')
    return (
      <div role="alert">
        <p>{bulkJournalLost() ? t('job.journalLostMissing') : t('job.missing')}</p>
        <Button onClick={() => onOpenJob(null)}>{t('job.back')}</Button>
      </div>
    );
  const { runner, progress, lockedElsewhere } = view;
  const job = runner.getJob();
  const c = progress.counts;
  const done = c.applied + c.alreadyCoded + c.skipped + c.failed;
  const n = (v: number) => formatNumber(lng, v);
  const ended = progress.state === 'done' || progress.state === 'stopped';
  const run = (action: 'pause' | 'resume' | 'stop' | 'continue-refused' | 'skip-like-refused') => {
    setBusy(true);
    void act(action).finally(() => setBusy(false));
  };
  const retry = async (includeFinal: boolean) => {
    setBusy(true);
    try {
      const next = await retryFailed(job, runner.getItems(), { includeFinal });
      if (next) onOpenJob(next);
    } catch (e) {
      showToast({ kind: 'error', title: t('preview.startFailed', { error: e instanceof Error ? e.message : String(e) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <section aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>{t('job.title', { code: job.code.name })}</h2>
        <p>{t('job.created', { time: formatDateTime(lng, job.createdAt) })}</p>
        <p role="status" data-testid="job-state">
          {t(`state.${progress.state}`)}
          {progress.pause ? ` — ${pauseText(t, lng, progress.pause)}` : ''}
          {progress.heldUntil !== null ? ` — ${t('job.heldUntil', { until: formatDateTime(lng, progress.heldUntil) })}` : ''}
          {lockedElsewhere && progress.state !== 'done' && progress.state !== 'stopped' ? ` — ${t('job.lockedElsewhere')}` : ''}
        </p>
        {!ended && bulkJournalLost() && (
          <p role="alert" className="bulk-warning" data-testid="journal-lost">
            {t('job.journalLost')}
          </p>
        )}
        <label htmlFor={`${id}-progress`}>{t('job.progressLabel', { done: n(done), total: n(c.selected) })}</label>
        <progress id={`${id}-progress`} className="bulk-progress" max={Math.max(1, c.selected)} value={done} />
        {progress.pause?.kind === 'refusals' && progress.state === 'paused' && !lockedElsewhere && (
          <RefusalsPanel pause={progress.pause} busy={busy || canWrite !== true} onChoose={run} />
        )}
        <dl className="bulk-facts">
          <dt>{t('counts.applied')}</dt>
          <dd data-testid="count-applied">{n(c.applied)}</dd>
          <dt>{t('counts.alreadyCoded')}</dt>
          <dd data-testid="count-already-coded">{n(c.alreadyCoded)}</dd>
          <dt>{t('counts.skipped')}</dt>
          <dd data-testid="count-skipped">{n(c.skipped)}</dd>
          <dt>{t('counts.failed')}</dt>
          <dd data-testid="count-failed">{n(c.failed)}</dd>
          <dt>{t('counts.pending')}</dt>
          <dd data-testid="count-pending">{n(c.pending + c.inFlight)}</dd>
          {progress.etaMs !== null && !ended && (
            <>
              <dt>{t('job.eta')}</dt>
              <dd>{formatDuration(lng, progress.etaMs / 1000)}</dd>
            </>
          )}
          {progress.perMinute !== null && !ended && (
            <>
              <dt>{t('job.rate')}</dt>
              <dd>{t('job.perMinute', { value: n(Math.round(progress.perMinute)) })}</dd>
            </>
          )}
          {progress.watch !== null && !ended && (
            <>
              <dt>{t('job.watch.label')}</dt>
              <dd data-testid="watch-state">{t(`job.watch.${progress.watch}`)}</dd>
            </>
          )}
          {!ended && (
            <>
              <dt>{t('job.checking.label')}</dt>
              <dd data-testid="checking">{t(`job.checking.${progress.checking}`)}</dd>
            </>
          )}
        </dl>
        <div className="bulk-actions">
          {progress.state === 'running' && !lockedElsewhere && (
            <Button onClick={() => run('pause')} disabled={busy}>
              {t('job.pause')}
            </Button>
          )}
          {(progress.state === 'paused' || progress.state === 'ready' || (progress.state === 'running' && lockedElsewhere)) && progress.pause?.kind !== 'refusals' && (
            <Button accent="primary" onClick={() => run('resume')} disabled={busy || canWrite !== true}>
              {t('job.resume')}
            </Button>
          )}
          {!ended && progress.state !== 'stopping' && !lockedElsewhere && progress.pause?.kind !== 'refusals' && (
            <Button accent="danger" onClick={() => run('stop')} disabled={busy}>
              {t('job.stop')}
            </Button>
          )}
          {ended && c.failed > 0 && !retrying && (
            <Button accent="primary" onClick={() => setRetrying(true)} disabled={busy || canWrite !== true}>
              {t('job.retryFailed', { count: c.failed, value: n(c.failed) })}
            </Button>
          )}
          <Button onClick={() => onOpenJob(null)}>{t('job.back')}</Button>
        </div>
        {ended && retrying && <RetryPanel items={runner.getItems()} busy={busy || canWrite !== true} onStart={(f) => void retry(f)} onCancel={() => setRetrying(false)} />}
      </section>
      <Results job={job} progress={progress} source={runner} />
    </>
  );
}

/** The job paused itself on systematic refusals (issue 15): what the platform said, and the three choices. */
function RefusalsPanel({
  pause,
  busy,
  onChoose,
}: {
  pause: Extract<PauseReason, { kind: 'refusals' }>;
  busy: boolean;
  onChoose: (action: 'stop' | 'continue-refused' | 'skip-like-refused') => void;
}) {
  const { t } = useTranslation('bulk');
  const id = useId();
  return (
    <div className="bulk-refusals" role="alert" aria-labelledby={`${id}-h`} data-testid="refusals">
      <h3 id={`${id}-h`}>{t('refusals.title')}</h3>
      <p>{t('refusals.intro', { count: pause.count })}</p>
      <dl className="bulk-facts">
        <dt>{t('refusals.status')}</dt>
        <dd>{pause.status}</dd>
        <dt>{t('refusals.code')}</dt>
        <dd>
          <code>{pause.code}</code>
        </dd>
        <dt>{t('refusals.message')}</dt>
        <dd lang="en" data-platform-text>
          {pause.message}
        </dd>
        <dt>{t('refusals.situations')}</dt>
        <dd>{pause.situations.map((s) => t(`refusals.situation.${s}`)).join(', ')}</dd>
        <dt>{t('refusals.contextIds')}</dt>
        <dd>
          <ul className="bulk-context-ids">
            {pause.contextIds.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <p className="muted">{t('refusals.check')}</p>
      <div className="bulk-choices">
        <div>
          <Button accent="danger" onClick={() => onChoose('stop')} disabled={busy}>
            {t('refusals.stop')}
          </Button>
        </div>
        <div>
          <Button accent="primary" onClick={() => onChoose('skip-like-refused')} disabled={busy} aria-describedby={`${id}-skip`}>
            {t('refusals.skipLike')}
          </Button>
          <p id={`${id}-skip`} className="muted bulk-check-help">
            {t('refusals.skipLikeHelp')}
          </p>
        </div>
        <div>
          <Button onClick={() => onChoose('continue-refused')} disabled={busy} aria-describedby={`${id}-continue`}>
            {t('refusals.continue')}
          </Button>
          <p id={`${id}-continue`} className="muted bulk-check-help">
            {t('refusals.continueHelp')}
          </p>
        </div>
      </div>
    </div>
  );
}

/** "Retry failed items" previews first (issue 15 item 4): by default only what may change. */
function RetryPanel({ items, busy, onStart, onCancel }: { items: BulkItem[]; busy: boolean; onStart: (includeFinal: boolean) => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation('bulk');
  const n = (v: number) => formatNumber(i18n.language, v);
  const id = useId();
  const [includeFinal, setIncludeFinal] = useState(false);
  const preview = useMemo(() => retryPreview(items), [items]);
  const count = preview['may-change'].length + (includeFinal ? preview.final.length : 0);
  return (
    <section className="bulk-retry" aria-labelledby={`${id}-h`} data-testid="retry-preview">
      <h3 id={`${id}-h`}>{t('retry.title')}</h3>
      <p className="muted">{t('retry.intro')}</p>
      <dl className="bulk-facts">
        <dt>{t('retry.mayChange')}</dt>
        <dd data-testid="retry-may-change">{n(preview['may-change'].length)}</dd>
        <dt>{t('retry.final')}</dt>
        <dd data-testid="retry-final">{n(preview.final.length)}</dd>
      </dl>
      {preview.final.length > 0 && (
        <div className="bulk-check">
          <input id={`${id}-final`} type="checkbox" checked={includeFinal} onChange={(e) => setIncludeFinal(e.target.checked)} />
          <label htmlFor={`${id}-final`}>{t('retry.includeFinal')}</label>
        </div>
      )}
      {count === 0 && <p role="status">{t('retry.nothing')}</p>}
      <div className="bulk-actions">
        <Button accent="primary" onClick={() => onStart(includeFinal)} disabled={busy || count === 0}>
          {t('retry.start', { count, value: n(count) })}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {t('retry.cancel')}
        </Button>
      </div>
    </section>
  );
}

const RESULTS_PAGE_SIZE = 200;

/** Exported for its test (bulk-page.test.tsx). */
export function Results({ job, progress, source }: { job: BulkJob; progress: BulkProgress; source: ItemsSource & { getItems: () => BulkItem[] } }) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const id = useId();
  const [filter, setFilter] = useState<OutcomeFilter>('all');
  const [page, setPage] = useState(0);
  const [restores, setRestores] = useState<Record<string, RestoreOutcome | 'busy'>>({});
  const restore = (it: BulkItem) => {
    setRestores((r) => ({ ...r, [it.key]: 'busy' }));
    void restoreReplaced(job, it).then(
      (outcome) => setRestores((r) => ({ ...r, [it.key]: outcome })),
      () => setRestores((r) => ({ ...r, [it.key]: 'failed' })),
    );
  };
  // The shown page again whenever the runner reports progress: a scan of the items by reference and
  // copies of this page only, never of the whole job (issue 17: 20,000 items, an event per change).
  const shown = useMemo(
    () => resultsPage(source, (status) => matches(filter, status), page, RESULTS_PAGE_SIZE),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `progress` is the change signal
    [source, progress, filter, page],
  );
  const { items: visible, pages, page: current, from } = shown;
  // What each item's outcome means, in the UI's language (reason codes → item-text.ts).
  const textCtx: ItemTextContext = { codeName: job.code.name, learnedAt: job.options.refusal?.learnedAt ?? null, formatTime: (iso) => formatDateTime(lng, iso) };
  const exportCsv = () => {
    const items = source.getItems(); // every item, once, on the click
    downloadCsv(`bulk-wrapup-${job.id}.csv`, resultsCsv(job, items, (it) => itemText(t, it, textCtx).text));
    showToast({ kind: 'success', title: t('results.exported', { count: items.length }) });
  };
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('results.title')}</h2>
      <div className="bulk-actions">
        <div className="bulk-field">
          <label htmlFor={`${id}-filter`}>{t('results.filter')}</label>
          <select
            id={`${id}-filter`}
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as OutcomeFilter);
              setPage(0);
            }}
          >
            {OUTCOME_FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`results.filters.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <Button onClick={exportCsv}>{t('results.export')}</Button>
      </div>
      <p role="status">
        {t('results.range', {
          from: formatNumber(lng, shown.total === 0 ? 0 : from + 1),
          to: formatNumber(lng, from + visible.length),
          total: formatNumber(lng, shown.total),
        })}
      </p>
      {pages > 1 && (
        <nav className="bulk-actions" aria-label={t('results.pages')}>
          <Button onClick={() => setPage(current - 1)} disabled={current === 0}>
            {t('results.previous')}
          </Button>
          <span>{t('results.page', { page: formatNumber(lng, current + 1), pages: formatNumber(lng, pages) })}</span>
          <Button onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
            {t('results.next')}
          </Button>
        </nav>
      )}
      {/* Scrolls sideways on a narrow screen instead of breaking words apart; focusable, so the keyboard can scroll it. */}
      <div className="bulk-table-scroll" role="region" aria-label={t('results.caption')} tabIndex={0}>
        <table className="bulk-table">
          <caption>{t('results.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('results.col.conversation')}</th>
              <th scope="col">{t('results.col.participant')}</th>
              <th scope="col">{t('results.col.outcome')}</th>
              <th scope="col">{t('results.col.reason')}</th>
              <th scope="col">{t('results.col.message')}</th>
              <th scope="col">{t('results.col.contextId')}</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((it) => (
              <tr key={it.key} data-outcome={it.status}>
                <td>
                  <code>{it.conversationId}</code>
                </td>
                <td>
                  <code>{it.participantId}</code>
                </td>
                <td>{t(`outcome.${it.status}`)}</td>
                <td>
                  {it.reason ? t(`reason.${it.reason}`) : ''}
                  {it.mayHaveReplaced && (
                    <div className="bulk-replaced">
                      <span>{t('results.mayHaveReplaced', { code: it.mayHaveReplaced.code, when: formatDateTime(lng, it.mayHaveReplaced.at) })}</span>{' '}
                      {restores[it.key] === undefined || restores[it.key] === 'busy' ? (
                        <Button onClick={() => restore(it)} disabled={restores[it.key] === 'busy'}>
                          {t('results.restore')}
                        </Button>
                      ) : (
                        <span role="status">{t(`results.restoreOutcome.${restores[it.key] as RestoreOutcome}`)}</span>
                      )}
                    </div>
                  )}
                </td>
                <td>
                  <ItemOutcomeText text={itemText(t, it, textCtx)} />
                </td>
                <td>{it.lastError?.contextId ? <code>{it.lastError.contextId}</code> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** An item's outcome in our words, then the platform's own words (English), labelled as the platform's. */
function ItemOutcomeText({ text }: { text: ReturnType<typeof itemText> }) {
  return (
    <>
      {text.text}
      {text.platform && (
        <>
          {' '}
          <PlatformText text={text.platform.text} source={text.platform.source} className="bulk-platform-text" />
        </>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// History

function HistoryPanel({ onOpenJob }: { onOpenJob: (jobId: string) => void }) {
  const { t, i18n } = useTranslation('bulk');
  const lng = i18n.language;
  const id = useId();
  const jobs = useQuery(bulkQueries.jobs());
  const [tick, setTick] = useState(0);
  // Jobs running in this tab change their counts: refresh the list now and then.
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(timer);
  }, []);
  const { refetch } = jobs;
  useEffect(() => {
    if (tick > 0) void refetch();
  }, [tick, refetch]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = async (jobId: string) => {
    setConfirming(null);
    try {
      await deleteJob(jobId);
      showToast({ kind: 'success', title: t('history.deleted') });
    } catch (e) {
      showToast({ kind: 'error', title: t('history.deleteFailed', { error: e instanceof Error ? e.message : String(e) }) });
    }
    void refetch();
  };
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('history.title')}</h2>
      {jobs.isPending ? (
        <p role="status">{t('history.loading')}</p>
      ) : jobs.isError ? (
        <p role="alert">{t('history.failed', { error: jobs.error.message })}</p>
      ) : jobs.data.length === 0 ? (
        <p>{t('history.empty')}</p>
      ) : (
        <table className="bulk-table">
          <caption>{t('history.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('history.col.created')}</th>
              <th scope="col">{t('history.col.code')}</th>
              <th scope="col">{t('history.col.state')}</th>
              <th scope="col">{t('history.col.counts')}</th>
              <th scope="col">{t('history.col.open')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((j) => (
              <tr key={j.id}>
                <td>{formatDateTime(lng, j.createdAt)}</td>
                <td>{j.code.name}</td>
                <td>
                  {t(`state.${j.state}`)}
                  {j.retryOf ? ` (${t('history.retry')})` : ''}
                </td>
                <td>
                  {t('history.counts', {
                    applied: formatNumber(lng, j.counts.applied),
                    failed: formatNumber(lng, j.counts.failed),
                    total: formatNumber(lng, j.counts.selected),
                  })}
                </td>
                <td>
                  <div className="bulk-actions">
                    <Button onClick={() => onOpenJob(j.id)} aria-label={t('history.openJob', { time: formatDateTime(lng, j.createdAt), code: j.code.name })}>
                      {t('history.open')}
                    </Button>
                    {(j.state === 'done' || j.state === 'stopped') &&
                      (confirming === j.id ? (
                        <>
                          <Button onClick={() => void remove(j.id)} aria-label={t('history.confirmDelete', { time: formatDateTime(lng, j.createdAt), code: j.code.name })}>
                            {t('history.confirm')}
                          </Button>
                          <Button onClick={() => setConfirming(null)}>{t('history.keep')}</Button>
                        </>
                      ) : (
                        <Button onClick={() => setConfirming(j.id)} aria-label={t('history.deleteJob', { time: formatDateTime(lng, j.createdAt), code: j.code.name })}>
                          {t('history.delete')}
                        </Button>
                      ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
