/**
 * The side panel that fixes one missing wrap-up without leaving the worklist (issue 16 item 1). A
 * non-modal dialog: the table stays usable beside it; focus moves into it when it opens or moves to
 * the next participant (the page returns focus to the row when it closes). The form itself is the
 * wrap-up feature's, handed in by the route (`renderForm`): one form, one write path.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/button.tsx';
import { formatDateTime } from '@/lib/i18n/format.ts';
import type { Labels } from './labels.ts';
import type { Names } from './names.ts';
import type { PanelTarget } from './next-missing.ts';
import type { ConversationRow } from './wrapup-status.ts';
import './apply-panel.css';

export interface ApplyPanelProps {
  target: PanelTarget;
  /** The target's row as the list has it now (absent when a filter took it out of the list). */
  row: ConversationRow | undefined;
  labels: Labels;
  names: Names;
  /** True once "Next missing" found nothing else to fix in this list. */
  noNext: boolean;
  onClose: () => void;
  onNext: () => void;
  /** The wrap-up form for the target (keyed by the route, so a new target is a new form). */
  children: ReactNode;
}

export function ApplyPanel({ target, row, labels, names, noNext, onClose, onNext, children }: ApplyPanelProps) {
  const { t, i18n } = useTranslation('conversations');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const key = `${target.conversationId}/${target.participantId}`;
  // Focus moves into the panel when it opens and when it moves on: the heading says whom it is for.
  useEffect(() => {
    headingRef.current?.focus();
  }, [key]);

  const agent = row?.agents.find((a) => a.participantId === target.participantId);
  const queue = agent?.queueId ?? row?.queueIds[0];
  return (
    <section className="apply-panel" role="dialog" aria-labelledby="apply-panel-title" aria-describedby="apply-panel-context" data-target={key}>
      <div className="apply-panel-head">
        <h2 id="apply-panel-title" ref={headingRef} tabIndex={-1}>
          {t('apply.title', { name: target.name || labels.purpose('agent') })}
        </h2>
        <Button onClick={onClose} aria-label={t('apply.close')} aria-keyshortcuts="Escape">
          {t('shortcuts.close')}
        </Button>
      </div>
      <div id="apply-panel-context" className="apply-panel-context">
        {row && (
          <p>
            {t('apply.context', {
              start: formatDateTime(i18n.language, row.start),
              media: labels.media(agent?.wrapup?.mediaType ?? row.media),
              queue: queue ? names.queue(queue) : '—',
            })}
          </p>
        )}
        {agent && (
          <p className={`apply-panel-status wrapup-${agent.wrapup?.status ?? 'none'}`} data-testid="apply-panel-status">
            {t('apply.status', { status: labels.wrapup(agent) })}
          </p>
        )}
      </div>
      {children}
      <div className="apply-panel-foot">
        <Button onClick={onNext} aria-keyshortcuts="N">
          {t('apply.next')}
        </Button>
        {noNext && (
          <p role="status" className="muted">
            {t('apply.noNext')}
          </p>
        )}
        <p className="muted apply-panel-hint">{t('shortcuts.hint')}</p>
      </div>
    </section>
  );
}
