/**
 * The choices a job page offers beside its controls: the answer to a pause on systematic refusals
 * (issue 15), and the retry preview of failed items (issue 15 item 4).
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/button.tsx';
import { formatNumber } from '@/lib/i18n/format.ts';
import type { BulkItem, PauseReason } from './model.ts';
import { retryPreview } from './retry.ts';

/** The job paused itself on systematic refusals (issue 15): what the platform said, and the three choices. */
export function RefusalsPanel({
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
export function RetryPanel({
  items,
  busy,
  onStart,
  onCancel,
}: {
  items: BulkItem[];
  busy: boolean;
  onStart: (includeFinal: boolean) => void;
  onCancel: () => void;
}) {
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
