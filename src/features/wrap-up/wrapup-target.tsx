/**
 * The wrap-up form for one participant, with what it needs read first: the live conversation (the
 * communication to write to), the participant's allowed codes. Used by the wrap-up page and by the
 * worklist's side panel (issue 16 item 1): one form and one write path for both.
 */
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GuxInlineAlert } from 'genesys-spark-components-react';
import { isApiError, toApiError } from '@/lib/genesys/api-error.ts';
import { mediaOfCommunication, usePlatformValue } from '@/lib/i18n/platform-values.ts';
import type { WrapupMediaPath } from '@/lib/genesys/media.ts';
import type { Models } from '@/lib/genesys/sdk.ts';
import { chooseCommunication, chooseMediaCommunication, participantMedia } from './communication-choice.ts';
import { FailureDetails } from './failure-details.tsx';
import { WrapupForm } from './wrapup-form.tsx';
import { wrapupQueries } from './wrapup-queries.ts';
import type { ApplyCallbacks } from './use-apply-wrapup.ts';
import './wrap-up.css';

export interface WrapupTargetProps extends ApplyCallbacks {
  conversationId: string;
  participantId: string;
  canWrite: boolean;
  /**
   * The participant's media, when the link knew it (an agent's own list): the media GET
   * (`/conversations/{media}/{cid}`), which an agent may call for their own conversation, is read
   * instead of `GET /conversations/{cid}`, which needs `conversation:communication:view`.
   */
  media?: WrapupMediaPath | undefined;
  /** With `media`: the communication id from the list (analytics `sessionId`); absent: the wrap-up goes to the participant (PATCH). */
  communicationId?: string | undefined;
  /** The side panel's "Save and next missing": called after a write the platform accepted. */
  onSavedAndNext?: (() => void) | undefined;
}

/** The participant as the live read knows it (the page's "Participant" line); undefined until read. */
export function useTargetParticipant(conversationId: string, participantId: string, media: WrapupMediaPath | undefined): Models.Participant | undefined {
  const full = useQuery({ ...wrapupQueries.conversation(conversationId), enabled: !!participantId && !media });
  const byMedia = useQuery({ ...wrapupQueries.mediaConversation(media ?? 'calls', conversationId), enabled: !!participantId && !!media });
  return (media ? byMedia.data : full.data)?.participants?.find((p) => p.id === participantId);
}

/** Loads the live conversation and the participant's codes, then shows the form (or why there is none). */
export function WrapupTarget({
  conversationId,
  participantId,
  canWrite,
  onApplied,
  onAttempt,
  ensureRecordable,
  method: orgMethod,
  media: knownMedia,
  communicationId,
  onSavedAndNext,
}: WrapupTargetProps) {
  const { t } = useTranslation('wrapup');
  const value = usePlatformValue();
  const media = (kinds: readonly string[]) => kinds.map((k) => value('media', mediaOfCommunication(k))).join(', ');
  // Supervisors read the whole conversation (communication ids included); with a known media the
  // media GET, which the participant's own agent may read.
  const full = useQuery({ ...wrapupQueries.conversation(conversationId), enabled: !!participantId && !knownMedia });
  const byMedia = useQuery({ ...wrapupQueries.mediaConversation(knownMedia ?? 'calls', conversationId), enabled: !!participantId && !!knownMedia });
  const conversation = knownMedia ? byMedia : full;
  const choice = knownMedia
    ? byMedia.data && chooseMediaCommunication(byMedia.data, knownMedia, participantId, communicationId)
    : full.data && chooseCommunication(full.data, participantId);
  // Without a communication id only the participant PATCH can write (the POST needs the id).
  const participantLevel = choice?.kind === 'choose' && choice.candidates.some((c) => c.participantLevel);
  const method = participantLevel ? 'patch' : orgMethod;
  const writable = choice?.kind === 'choose';
  const codes = useQuery({
    ...wrapupQueries.allowedCodes(choice ? participantMedia(choice) : null, conversationId, participantId),
    enabled: writable,
  });

  // A read that fails once the page has its data (a refresh after a write, while the session has
  // expired) keeps what was read and the form with everything typed into it; it is read again
  // after signing in again. Only a page without data shows the failure instead of the form.
  let body: ReactNode;
  if (!participantId) {
    body = <Notice accent="warning" text={t('page.noParticipant')} />;
  } else if (conversation.isPending) {
    body = <p role="status">{t('page.loading')}</p>;
  } else if (conversation.isError && !conversation.data) {
    const err = isApiError(conversation.error) ? conversation.error : toApiError(conversation.error);
    body = (
      <div role="alert">
        <GuxInlineAlert accent="error">
          <div>
            <p>{t('page.loadFailed')}</p>
            <FailureDetails error={err} />
          </div>
        </GuxInlineAlert>
      </div>
    );
  } else if (!choice || choice.kind === 'participant-not-found') {
    body = <Notice accent="error" text={t('page.participantNotFound')} />;
  } else if (choice.kind === 'not-agent') {
    body = <Notice accent="info" text={t('page.notAgent', { purpose: value('purpose', choice.purpose) })} />;
  } else if (choice.kind === 'no-write-path') {
    body = <Notice accent="info" text={choice.chat ? t('page.chat') : t('page.noWritePath', { media: media(choice.kinds) })} />;
  } else if (codes.isPending) {
    body = <p role="status">{t('page.loadingCodes')}</p>;
  } else if (codes.isError && !codes.data) {
    body = (
      <div role="alert">
        <GuxInlineAlert accent="error">
          <div>
            <p>{t('page.codesFailed')}</p>
            <FailureDetails error={toApiError(codes.error)} />
          </div>
        </GuxInlineAlert>
      </div>
    );
  } else if (!codes.data || codes.data.length === 0) {
    body = <Notice accent="info" text={t('page.noCodes')} />;
  } else {
    body = (
      <>
        {choice.unwritable.length > 0 && <Notice accent="info" text={t('page.someUnwritable', { media: media(choice.unwritable) })} />}
        <WrapupForm
          conversationId={conversationId}
          participantId={participantId}
          candidates={choice.candidates}
          preselected={choice.preselected}
          codes={codes.data}
          canWrite={canWrite}
          onApplied={onApplied}
          onAttempt={onAttempt}
          ensureRecordable={ensureRecordable}
          {...(method ? { method } : {})}
          {...(onSavedAndNext ? { onSavedAndNext } : {})}
        />
        {method === 'patch' && (
          <p className="muted" data-testid="write-method">
            {participantLevel ? t('page.methodPatchParticipant') : t('page.methodPatch')}
          </p>
        )}
      </>
    );
  }
  return body;
}

function Notice({ accent, text }: { accent: 'info' | 'warning' | 'error'; text: string }) {
  return (
    <div role={accent === 'info' ? 'status' : 'alert'}>
      <GuxInlineAlert accent={accent}>
        <div>{text}</div>
      </GuxInlineAlert>
    </div>
  );
}
