import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { Button } from '@/components/ui/button.tsx';
import { downloadText } from '@/lib/download.ts';
import { formatDateTime } from '@/lib/i18n/format.ts';
import type { PlatformVerdict } from '@/lib/platform-verdict.ts';
import { reportFileName, reportJson, reportMarkdown, type ReportContext } from './report.ts';
import { formatAge, summarizeVerdict, type MatrixCell } from './verdict-summary.ts';

const METHOD = { post: 'POST', patch: 'PATCH' } as const;

function CellAnswer({ cell }: { cell: MatrixCell }) {
  const { t, i18n } = useTranslation('platformCheck');
  if (cell.answer === 'yes') {
    return (
      <>
        {cell.phase === 'after' && cell.appliedAtMs !== null
          ? t('verdict.answer.yesAfter', { age: formatAge(i18n.language, cell.appliedAtMs) })
          : t('verdict.answer.yes')}
      </>
    );
  }
  if (cell.answer === 'no') return <>{cell.refusalCode ? t('verdict.answer.no', { code: cell.refusalCode }) : t('verdict.answer.noCode')}</>;
  return <>{t('verdict.answer.unknown')}</>;
}

export interface VerdictPanelProps {
  verdict: PlatformVerdict | null | undefined;
  loading: boolean;
  error: Error | null;
  report: Omit<ReportContext, 'generatedAt'>;
  onForget: () => Promise<void>;
}

/** The verdict in plain words, its date, the report downloads and "Forget this verdict". */
export function VerdictPanel({ verdict, loading, error, report, onForget }: VerdictPanelProps) {
  const { t, i18n } = useTranslation('platformCheck');
  const lng = i18n.language;
  const [confirming, setConfirming] = useState(false);
  const [forgetError, setForgetError] = useState<string | null>(null);
  const [forgotten, setForgotten] = useState(false);
  const s = summarizeVerdict(verdict);
  const refusal = s.rule ?? s.lastRefusal;
  const values = {
    code: refusal?.code ?? '—',
    date: s.rule ? formatDateTime(lng, s.rule.learnedAt) : '',
    age: s.rule?.minAgeMs != null ? formatAge(lng, s.rule.minAgeMs) : '',
  };
  const download = (ext: 'md' | 'json') => {
    if (!verdict) return;
    const ctx = { ...report, generatedAt: new Date().toISOString() };
    if (ext === 'md') downloadText(reportFileName(verdict, 'md'), reportMarkdown(verdict, ctx), 'text/markdown;charset=utf-8');
    else downloadText(reportFileName(verdict, 'json'), reportJson(verdict, ctx), 'application/json;charset=utf-8');
  };
  const forget = async () => {
    setForgetError(null);
    try {
      await onForget();
      setConfirming(false);
      setForgotten(true);
    } catch (e) {
      setForgetError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section aria-labelledby="verdict-title" className="platform-section verdict">
      <h2 id="verdict-title">{t('verdict.title')}</h2>
      {loading && <p role="status">{t('verdict.loading')}</p>}
      {error && (
        <div role="alert">
          <GuxInlineAlert accent="error">
            <div>{t('verdict.loadFailed', { error: error.message })}</div>
          </GuxInlineAlert>
        </div>
      )}
      {!loading && (
        <>
          <p className="verdict-conclusion" data-testid="verdict-conclusion" data-conclusion={s.conclusion} data-attempts={s.attempts}>
            {t(`verdict.conclusion.${s.conclusion}`, values)}
          </p>
          <p>{t('verdict.lead')}</p>
          <ul className="verdict-matrix" aria-label={t('verdict.lead')}>
            {s.matrix.map((c) => (
              <li key={`${c.method}-${c.phase}`} data-testid={`verdict-${c.method}-${c.phase}`}>
                <span className="verdict-cell-label">{t(`verdict.cell.${c.method}-${c.phase}`)}</span>:{' '}
                <strong>
                  <CellAnswer cell={c} />
                </strong>
              </li>
            ))}
          </ul>
          <p>
            {t('verdict.method', { method: METHOD[s.method] })} {s.attempts > 0 && t('verdict.attempts', { count: s.attempts })}
          </p>
          {forgotten && !verdict && <p role="status">{t('verdict.forgotten')}</p>}
          <p className="muted" data-testid="verdict-date">
            {verdict ? t('verdict.checkedAt', { date: formatDateTime(lng, verdict.checkedAt) }) : t('verdict.never')}
          </p>
          {verdict && (
            <div className="verdict-actions">
              <Button onClick={() => download('md')}>{t('verdict.exportMarkdown')}</Button>
              <Button onClick={() => download('json')}>{t('verdict.exportJson')}</Button>
              {!confirming && (
                <Button accent="ghost" onClick={() => setConfirming(true)}>
                  {t('verdict.forget')}
                </Button>
              )}
            </div>
          )}
          {verdict && <p className="muted">{t('verdict.exportHint')}</p>}
          {confirming && (
            <div role="group" aria-labelledby="forget-question" className="verdict-forget">
              <p id="forget-question">{t('verdict.forgetConfirm')}</p>
              <div className="verdict-actions">
                <Button accent="danger" onClick={() => void forget()}>
                  {t('verdict.forgetYes')}
                </Button>
                <Button onClick={() => setConfirming(false)}>{t('verdict.forgetNo')}</Button>
              </div>
            </div>
          )}
          {forgetError && (
            <div role="alert">
              <GuxInlineAlert accent="error">
                <div>{t('verdict.forgetFailed', { error: forgetError })}</div>
              </GuxInlineAlert>
            </div>
          )}
        </>
      )}
    </section>
  );
}
