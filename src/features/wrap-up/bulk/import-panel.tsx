/**
 * The import (issue 7): pasted or uploaded lines of conversation ids (with a participant id or an
 * agent's email), checked line by line before anything happens, every bad line reported.
 */
import { useId, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/button.tsx';
import { formatNumber } from '@/lib/i18n/format.ts';
import { IMPORT_MAX_CHARS, parseImport, type ImportProblem, type ImportResult } from './import-parse.ts';

/** The first 500 of `problems`; `total` counts every line with a problem (some may not be listed). */
export function ProblemList({ problems, total, caption }: { problems: readonly ImportProblem[]; total: number; caption: string }) {
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

export function ImportPanel({ onImported }: { onImported: (r: ImportResult) => void }) {
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
