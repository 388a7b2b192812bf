/**
 * The bulk wrap-up page (issue 7): import or worklist selection → preview → run (progress, pause,
 * resume, stop, continue) → results (filter, CSV export, retry failed) and the job history. The
 * plain-TS core (planner, runner, journal) does the work; the panels only render and call it:
 * import-panel.tsx, preview-panel.tsx (+ preview-items.tsx), job-panel.tsx (+ job-dialogs.tsx,
 * job-results.tsx, job-state.tsx) and job-history.tsx.
 *
 * The route composes the page with other features (worklist hand-off, session events, audit log)
 * and hands in plain data and callbacks.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult } from './import-parse.ts';
import type { SelectionEntry } from './planner.ts';
import { ImportPanel } from './import-panel.tsx';
import { PreviewPanel, type PlatformFacts } from './preview-panel.tsx';
import { JobPanel } from './job-panel.tsx';
import { HistoryPanel } from './job-history.tsx';

import './bulk.css';

export type { PlatformFacts };
// The parts the page's unit test renders on their own (bulk-page.test.tsx).
export { PreviewForm } from './preview-panel.tsx';
export { Results } from './job-results.tsx';

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
  /** A note from the route under the title (the worklist's selection did not survive a reload). */
  notice?: ReactNode;
}

const NO_FACTS: PlatformFacts = { method: 'post', methodLearnedAt: null, refusal: null };

export function BulkPage({ jobId, selection, canWrite, onOpenJob, platform = NO_FACTS, notice }: BulkPageProps) {
  const { t } = useTranslation('bulk');
  const [imported, setImported] = useState<{ selection: SelectionEntry[]; result: ImportResult } | null>(null);
  const active = selection ?? imported?.selection ?? null;
  // Once a job is opened (started from the preview, or from the history), the import is used up:
  // "Back to import and history" must lead there, not to the old preview again.
  const open = (id: string | null) => {
    setImported(null);
    onOpenJob(id);
  };
  return (
    <div className="bulk-page">
      <h1>{t('title')}</h1>
      {!active && notice}
      {jobId ? (
        <JobPanel key={jobId} jobId={jobId} canWrite={canWrite} onOpenJob={open} />
      ) : active ? (
        <PreviewPanel
          selection={active}
          importResult={imported?.result ?? null}
          canWrite={canWrite}
          onOpenJob={open}
          onCancel={() => setImported(null)}
          platform={platform}
        />
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
