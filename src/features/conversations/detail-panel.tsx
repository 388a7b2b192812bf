/**
 * One conversation from the live `GET /api/v2/conversations/{id}`. It leads with the agent
 * participants and their wrap-up state (what a supervisor came for, issue 16 item 1); customer, IVR
 * and queue legs are behind a disclosure; ids are there to copy, not the headline.
 */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { Button } from '@/components/ui/button.tsx';
import { isApiError } from '@/lib/genesys/api-error.ts';
import { formatDateTime } from '@/lib/i18n/format.ts';
import { conversationQueries } from './conversation-queries.ts';
import { CopyId } from './copy-id.tsx';
import { DetailParticipant, type TestWriteTarget } from './detail-participant.tsx';
import type { Labels } from './labels.ts';
import { ErrorDetails } from './load-status.tsx';
import type { Models } from '@/lib/genesys/sdk.ts';

export type { TestWriteTarget };

export interface DetailPanelProps {
  conversationId: string;
  canView: boolean | undefined;
  canWrite: boolean | undefined;
  labels: Labels;
  onClose: () => void;
  onApplyWrapup: (conversationId: string, participantId: string, name: string) => void;
  /**
   * Renders the link to the platform check's write probe for one communication (the route composes
   * it: features do not link to each other's pages); absent: no link.
   */
  renderTestWriteLink?: (target: TestWriteTarget, label: string) => ReactNode;
}

export function DetailPanel({ conversationId, canView, canWrite, labels, onClose, onApplyWrapup, renderTestWriteLink }: DetailPanelProps) {
  const { t, i18n } = useTranslation('conversations');
  const lng = i18n.language;
  const detail = useQuery({ ...conversationQueries.detail(conversationId), enabled: canView !== false });

  return (
    <aside className="detail-panel" aria-labelledby="detail-title">
      <div className="detail-head">
        <h2 id="detail-title">{t('detail.title')}</h2>
        <Button onClick={onClose}>{t('detail.close')}</Button>
      </div>
      {canView === false && (
        <GuxInlineAlert accent="warning">
          <div>{t('detail.noPermission')}</div>
        </GuxInlineAlert>
      )}
      {detail.isPending && canView !== false && <p role="status">{t('detail.loading')}</p>}
      {detail.isError && (
        <GuxInlineAlert accent="error">
          <div>
            <strong>{t('detail.failed')}</strong>
            {isApiError(detail.error) && <ErrorDetails error={detail.error} />}
            <p>{detail.error && isApiError(detail.error) && detail.error.status === 404 ? t('detail.notFound') : t('detail.retryHint')}</p>
            <Button onClick={() => void detail.refetch()}>{t('detail.retry')}</Button>
          </div>
        </GuxInlineAlert>
      )}
      {detail.data && (
        <>
          <p>
            {t('detail.started', { start: detail.data.startTime ? formatDateTime(lng, detail.data.startTime) : '—' })}{' '}
            {detail.data.endTime ? t('detail.ended', { end: formatDateTime(lng, detail.data.endTime) }) : t('detail.ongoing')}
          </p>
          <DetailBody
            conversationId={conversationId}
            participants={detail.data.participants ?? []}
            canWrite={canWrite}
            labels={labels}
            onApplyWrapup={onApplyWrapup}
            renderTestWriteLink={renderTestWriteLink}
          />
          <Button onClick={() => void detail.refetch()} disabled={detail.isFetching}>
            {detail.isFetching ? t('detail.reloading') : t('detail.reload')}
          </Button>
        </>
      )}
      <dl className="detail-facts detail-ids">
        <dt>{t('detail.id')}</dt>
        <dd>
          <CopyId id={conversationId} what={t('detail.id')} />
        </dd>
      </dl>
    </aside>
  );
}

type Participant = Models.Participant;

/** Agents first and open; the other legs (customer, IVR, queue, …) collapsed, named by purpose. */
function DetailBody({
  conversationId,
  participants,
  ...rest
}: Omit<DetailPanelProps, 'canView' | 'onClose' | 'renderTestWriteLink'> & {
  participants: readonly Participant[];
  renderTestWriteLink: DetailPanelProps['renderTestWriteLink'];
}) {
  const { t } = useTranslation('conversations');
  const agents = participants.flatMap((p, index) => (p.purpose === 'agent' ? [{ p, index }] : []));
  const others = participants.flatMap((p, index) => (p.purpose !== 'agent' ? [{ p, index }] : []));
  const purposes = [...new Set(others.map(({ p }) => rest.labels.purpose(p.purpose ?? '')))].join(', ');
  return (
    <>
      <h3 className="detail-section-title">{t('detail.agentsHeading')}</h3>
      {agents.length === 0 ? (
        <p className="muted">{t('detail.noAgents')}</p>
      ) : (
        <ol className="detail-participants">
          {agents.map(({ p, index }) => (
            <DetailParticipant key={p.id ?? index} conversationId={conversationId} participant={p} headingId={`detail-p-${index}`} {...rest} />
          ))}
        </ol>
      )}
      {others.length > 0 && (
        <details className="detail-others">
          <summary>{t('detail.otherParticipants', { count: others.length, purposes })}</summary>
          <ol className="detail-participants">
            {others.map(({ p, index }) => (
              <DetailParticipant key={p.id ?? index} conversationId={conversationId} participant={p} headingId={`detail-p-${index}`} {...rest} />
            ))}
          </ol>
        </details>
      )}
    </>
  );
}
