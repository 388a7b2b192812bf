/**
 * One participant of the live conversation in the detail panel: for agents their wrap-up state
 * first and the way to apply one; for every participant its communications, and its id to copy.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@/components/ui/button.tsx';
import { communicationsOf, type WrapupMediaPath } from '@/lib/genesys/media.ts';
import { mediaOfCommunication, usePlatformValue } from '@/lib/i18n/platform-values.ts';
import type { Models } from '@/lib/genesys/sdk.ts';
import { CopyId } from './copy-id.tsx';
import type { Labels } from './labels.ts';

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

export interface DetailParticipantProps {
  conversationId: string;
  participant: Models.Participant;
  /** Unique within the panel: the heading's id. */
  headingId: string;
  canWrite: boolean | undefined;
  labels: Labels;
  onApplyWrapup: (conversationId: string, participantId: string, name: string) => void;
  renderTestWriteLink?: ((target: TestWriteTarget, label: string) => ReactNode) | undefined;
}

export function DetailParticipant({ conversationId, participant: p, headingId, canWrite, labels, onApplyWrapup, renderTestWriteLink }: DetailParticipantProps) {
  const { t } = useTranslation('conversations');
  const value = usePlatformValue();
  const comms = communicationsOf(p);
  const isAgent = p.purpose === 'agent';
  const blocker = isAgent ? applyBlocker(p, canWrite) : null;
  const probeTarget = isAgent && blocker === null && renderTestWriteLink ? testWriteTarget(conversationId, p) : null;
  const coded = !!p.wrapup?.code;
  return (
    <li className={isAgent ? 'detail-participant detail-agent' : 'detail-participant'} aria-labelledby={headingId}>
      <h4 id={headingId}>{t('detail.participantHeading', { purpose: labels.purpose(p.purpose ?? ''), name: p.name ?? p.id ?? '' })}</h4>
      {isAgent && (
        <p className={coded ? 'detail-wrapup-state coded' : 'detail-wrapup-state missing'}>
          {t('detail.participantWrapup')}: <strong>{coded ? labels.code(p.wrapup!.code!) : t('detail.none')}</strong>
        </p>
      )}
      <dl className="detail-facts">
        {isAgent && (
          <>
            <dt>{t('detail.wrapupPrompt')}</dt>
            <dd>
              {value('wrapupPrompt', p.wrapupPrompt)}
              {p.wrapupRequired ? ` · ${t('detail.required')}` : ''}
              {p.wrapupSkipped ? ` · ${t('detail.skipped')}` : ''}
            </dd>
          </>
        )}
        {p.queueName && (
          <>
            <dt>{t('detail.queue')}</dt>
            <dd>{p.queueName}</dd>
          </>
        )}
        <dt>{t('detail.participantId')}</dt>
        <dd>{p.id ? <CopyId id={p.id} what={t('detail.participantId')} /> : '—'}</dd>
      </dl>
      {isAgent && (
        <div className="detail-actions">
          <Button
            accent="primary"
            disabled={blocker !== null}
            aria-describedby={blocker ? `${headingId}-why` : undefined}
            onClick={() => p.id && onApplyWrapup(conversationId, p.id, p.name ?? '')}
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
    </li>
  );
}
