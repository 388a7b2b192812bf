/**
 * The nudge's confirmation: the exact chat message, shown before anything is sent, and sent only on
 * the explicit "Send". The text is editable: the app does not know the agent's language or what
 * the supervisor already told them, and the supervisor signs it with their own name; what is in the
 * field when Send is pressed is exactly what is sent. An empty text cannot be sent (the platform
 * refuses it).
 *
 * A native modal <dialog>: focus moves into it and stays there, Escape cancels, the page behind is
 * inert; Spark's modal would keep the form in its shadow DOM.
 */
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from '@tanstack/react-query';
import { Button } from '@/components/ui/button.tsx';
import { showToast } from '@/components/ui/toast-store.ts';
import { isApiError, toApiError } from '@/lib/genesys/api-error.ts';
import { sendUserChatMessage } from '@/lib/genesys/chat.ts';
import { ErrorDetails } from './load-status.tsx';
import { mayHaveArrived, nudgeFailure, type NudgeFailure } from './nudge.ts';
import { NUDGE_INTERVAL_MS } from './nudge-limit.ts';

export interface NudgeTarget {
  userId: string;
  /** The agent as the strip shows them (name, with the email when two share it). */
  label: string;
  missing: number;
}

interface NudgeDialogProps {
  target: NudgeTarget;
  /** The message as first proposed. */
  initialText: string;
  /** The permissions of which one is needed, for the 403 explanation. */
  sendPermissions: readonly string[];
  /** A nudge that went (or may have gone): the rate limit counts it. */
  onSent: (userId: string, at: number) => void;
  onClose: () => void;
}

export function NudgeDialog({ target, initialText, sendPermissions, onSent, onClose }: NudgeDialogProps) {
  const { t } = useTranslation('conversations');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  const helpId = useId();
  const [text, setText] = useState(initialText);
  const [failure, setFailure] = useState<{ kind: NudgeFailure; error: ReturnType<typeof toApiError> } | null>(null);

  // A layout effect: its cleanup closes the <dialog> while it is still in the document. Where focus
  // goes afterwards is the opener's business (onClose).
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const send = useMutation({
    mutationFn: (message: string) => sendUserChatMessage(target.userId, message),
    onSuccess: () => {
      onSent(target.userId, Date.now());
      showToast({ kind: 'success', title: t('nudge.sent', { name: target.label }) });
      onClose();
    },
    onError: (e) => {
      const error = isApiError(e) ? e : toApiError(e);
      const kind = nudgeFailure(error);
      if (mayHaveArrived(kind)) onSent(target.userId, Date.now());
      setFailure({ kind, error });
    },
  });
  // After an answer that may have been delivered, a second Send would risk a duplicate message.
  const blocked = failure !== null && mayHaveArrived(failure.kind);
  const empty = text.trim() === '';

  return (
    <dialog ref={ref} className="nudge-dialog" aria-labelledby={titleId} onCancel={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (empty || send.isPending || blocked) return;
          setFailure(null);
          send.mutate(text);
        }}
      >
        <h2 id={titleId}>{t('nudge.dialogTitle', { name: target.label })}</h2>
        <p>{t('nudge.dialogIntro', { name: target.label })}</p>
        <label htmlFor={textId} className="nudge-label">
          {t('nudge.messageLabel')}
        </label>
        <textarea id={textId} aria-describedby={helpId} rows={5} value={text} onChange={(e) => setText(e.target.value)} disabled={send.isPending || blocked} />
        <p id={helpId} className="muted">
          {t('nudge.rule', { minutes: NUDGE_INTERVAL_MS / 60_000 })}
        </p>
        {empty && <p className="field-error">{t('nudge.empty')}</p>}
        {failure && (
          <div role="alert" className="nudge-failure">
            <strong>{t(`nudge.failure.${failure.kind}`, { permissions: sendPermissions.join(t('nudge.or')) })}</strong>
            <ErrorDetails error={failure.error} />
          </div>
        )}
        <div className="nudge-actions">
          <Button type="submit" accent="primary" disabled={empty || send.isPending || blocked}>
            {send.isPending ? t('nudge.sending') : t('nudge.send')}
          </Button>
          <Button onClick={onClose}>{blocked ? t('nudge.close') : t('nudge.cancel')}</Button>
        </div>
      </form>
    </dialog>
  );
}
