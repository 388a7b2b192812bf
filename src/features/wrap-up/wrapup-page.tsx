import { useTranslation } from 'react-i18next';
import { useTargetParticipant, WrapupTarget, type WrapupTargetProps } from './wrapup-target.tsx';
import './wrap-up.css';

export type WrapupPageProps = Omit<WrapupTargetProps, 'onSavedAndNext'>;

/** Apply a wrap-up to one participant: loads the live conversation and the participant's codes, then the form. */
export function WrapupPage(props: WrapupPageProps) {
  const { t } = useTranslation('wrapup');
  const { conversationId, participantId, media } = props;
  const participant = useTargetParticipant(conversationId, participantId, media);
  return (
    <section aria-labelledby="wrapup-title" className="page wrapup-page">
      <h1 id="wrapup-title">{t('page.title')}</h1>
      <dl className="wrapup-facts">
        <dt>{t('page.conversation')}</dt>
        <dd>
          <code>{conversationId}</code>
        </dd>
        <dt>{t('page.participant')}</dt>
        <dd data-testid="participant-name">{participant?.name ?? participantId}</dd>
      </dl>
      <WrapupTarget {...props} />
    </section>
  );
}
