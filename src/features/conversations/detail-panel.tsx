/**
 * One conversation from the live `GET /api/v2/conversations/{id}`: participants, their
 * communications (id, media, state, disconnect type, ACW state, wrap-up) and the way into the
 * wrap-up form for agent participants.
 */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { Button } from '@/components/ui/button.tsx';
import { communicationsOf, type WrapupMediaPath } from '@/lib/genesys/media.ts';
import { isApiError } from '@/lib/genesys/api-error.ts';
import { formatDateTime } from '@/lib/i18n/format.ts';
import { mediaOfCommunication, usePlatformValue } from '@/lib/i18n/platform-values.ts';
import type { Models } from '@/lib/genesys/sdk.ts';
import { conversationQueries } from './conversation-queries.ts';
import type { Labels } from './labels.ts';
import { ErrorDetails } from './load-status.tsx';

export interface DetailPanelProps {
  conversationId: string;
  canView: boolean | undefined;
  canWrite: boolean | undefined;
  labels: Labels;
  onClose: () => void;
  onApplyWrapup: (conversationId: string, participantId: string) => void;
  /**
   * Renders the link to the platform check's write probe for one communication (the route composes
   * it: features do not link to each other's pages); absent: no link.
   */
  renderTestWriteLink?: (target: TestWriteTarget, label: string) => ReactNode;
}

export interface TestWriteTarget {
  conversationId: string;
  participantId: string;
  communicationId: string;
  media: WrapupMediaPath;
}

/** Why an agent participant cannot be wrapped up from here, or null when it can. */
function applyBlocker(p: Models.Participant, canWrite: boolean | undefined): 'noPermission' | 'chat' | 'noCommunication' | null {
  if (canWrite === false) return 'noPermission';
  const comms = communicationsOf(p);
  if (comms.length === 0) return 'noCommunication';
  if (comms.every((c) => c.path === null)) return 'chat';
  return null;
}

/** The communication the platform check's write probe tests: the latest one with a write path, while it has no wrap-up. */
function testWriteTarget(conversationId: string, p: Models.Participant): TestWriteTarget | null {
  const comm = communicationsOf(p)
    .filter((c) => c.path !== null)
    .pop();
  return p.id && comm?.path && !comm.wrapup?.code ? { conversationId, participantId: p.id, communicationId: comm.id, media: comm.path } : null;
}

export function DetailPanel({ conversationId, canView, canWrite, labels, onClose, onApplyWrapup, renderTestWriteLink }: DetailPanelProps) {
  const { t, i18n } = useTranslation('conversations');
  const lng = i18n.language;
  const value = usePlatformValue();
  const detail = useQuery({ ...conversationQueries.detail(conversationId), enabled: canView !== false });

  return (
    <aside className="detail-panel" aria-labelledby="detail-title">
      <div className="detail-head">
        <h2 id="detail-title">{t('detail.title')}</h2>
        <Button onClick={onClose}>{t('detail.close')}</Button>
      </div>
      <p className="muted">
        {t('detail.id')} <code>{conversationId}</code>
      </p>
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
          <ol className="detail-participants">
            {(detail.data.participants ?? []).map((p, index) => {
              const comms = communicationsOf(p);
              const isAgent = p.purpose === 'agent';
              const blocker = isAgent ? applyBlocker(p, canWrite) : null;
              const probeTarget = isAgent && blocker === null && renderTestWriteLink ? testWriteTarget(conversationId, p) : null;
              const headingId = `detail-p-${index}`;
              return (
                <li key={p.id ?? index} className="detail-participant" aria-labelledby={headingId}>
                  <h3 id={headingId}>
                    {t('detail.participantHeading', { purpose: labels.purpose(p.purpose ?? ''), name: p.name ?? p.id ?? '' })}
                  </h3>
                  <dl className="detail-facts">
                    <dt>{t('detail.participantId')}</dt>
                    <dd>
                      <code>{p.id}</code>
                    </dd>
                    {p.queueName && (
                      <>
                        <dt>{t('detail.queue')}</dt>
                        <dd>{p.queueName}</dd>
                      </>
                    )}
                    {isAgent && (
                      <>
                        <dt>{t('detail.wrapupPrompt')}</dt>
                        <dd>
                          {value('wrapupPrompt', p.wrapupPrompt)}
                          {p.wrapupRequired ? ` · ${t('detail.required')}` : ''}
                          {p.wrapupSkipped ? ` · ${t('detail.skipped')}` : ''}
                        </dd>
                        <dt>{t('detail.participantWrapup')}</dt>
                        <dd>{p.wrapup?.code ? labels.code(p.wrapup.code) : t('detail.none')}</dd>
                      </>
                    )}
                  </dl>
                  {comms.length > 0 && (
                    <table className="detail-comms">
                      <caption>{t('detail.communications')}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('detail.commId')}</th>
                          <th scope="col">{t('detail.commMedia')}</th>
                          <th scope="col">{t('detail.commState')}</th>
                          <th scope="col">{t('detail.commDisconnect')}</th>
                          <th scope="col">{t('detail.commAcw')}</th>
                          <th scope="col">{t('detail.commWrapup')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {comms.map((c) => (
                          <tr key={c.id}>
                            <td>
                              <code>{c.id}</code>
                            </td>
                            <td>{value('media', mediaOfCommunication(c.kind))}</td>
                            <td>{value('communicationState', c.state)}</td>
                            <td>{value('disconnectType', c.disconnectType)}</td>
                            <td>{value('acwState', c.afterCallWork?.state)}</td>
                            <td>
                              {c.wrapup?.code ? labels.code(c.wrapup.code) : isAgent ? t('detail.none') : '—'}
                              {c.wrapup?.notes ? (
                                <span className="note">
                                  {/* Notes are the agent's words, in whatever language they wrote: not ours to translate. */}
                                  {t('detail.notes')} <span translate="no">{c.wrapup.notes}</span>
                                </span>
                              ) : null}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  {isAgent && (
                    <div className="detail-actions">
                      <Button
                        accent="primary"
                        disabled={blocker !== null}
                        aria-describedby={blocker ? `${headingId}-why` : undefined}
                        onClick={() => p.id && onApplyWrapup(conversationId, p.id)}
                      >
                        {t('detail.apply', { name: p.name ?? '' })}
                      </Button>
                      {probeTarget && renderTestWriteLink?.(probeTarget, t('detail.testWrite'))}
                      {blocker && (
                        <span id={`${headingId}-why`} className="muted">
                          {t(`detail.blocked.${blocker}`)}
                        </span>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
          <Button onClick={() => void detail.refetch()} disabled={detail.isFetching}>
            {detail.isFetching ? t('detail.reloading') : t('detail.reload')}
          </Button>
        </>
      )}
    </aside>
  );
}
