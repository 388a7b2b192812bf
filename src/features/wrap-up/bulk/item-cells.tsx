/**
 * The agent and conversation of an item, as the preview and the results show them: names first
 * (issue 16 item 3), the ids below them, smaller, for support and search. Items from journals
 * older than the names show the ids alone. Plain components (no hooks): a page renders hundreds of
 * them on every progress event, so the words and the time format come from the table.
 */
import type { BulkItem, ItemNames } from './model.ts';

type Who = Pick<BulkItem, 'userId'> & { names?: ItemNames | undefined };
type Where = Pick<BulkItem, 'conversationId' | 'participantId'> & { conversationStart?: number | null | undefined };

export function AgentCell({ item }: { item: Who }) {
  const name = item.names?.agentName;
  const email = item.names?.agentEmail;
  if (!name && !email) return item.userId ? <code>{item.userId}</code> : null;
  return (
    <>
      <div>{name ?? <code>{item.userId}</code>}</div>
      {email && (
        <div className="muted bulk-email" translate="no">
          {email}
        </div>
      )}
    </>
  );
}

export interface ConversationCellText {
  conversationId: string;
  participantId: string;
  formatTime: (ms: number) => string;
}

export function ConversationCell({ item, text }: { item: Where; text: ConversationCellText }) {
  return (
    <>
      {typeof item.conversationStart === 'number' && <div>{text.formatTime(item.conversationStart)}</div>}
      <code className="muted bulk-ids" title={text.conversationId}>
        {item.conversationId}
      </code>{' '}
      <code className="muted bulk-ids" title={text.participantId}>
        {item.participantId}
      </code>
    </>
  );
}

/** One formatter per table render (an `Intl.DateTimeFormat` is costly to create per cell). */
export function conversationCellText(t: (key: 'results.conversationId' | 'results.participantId') => string, lng: string): ConversationCellText {
  const fmt = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' });
  return { conversationId: t('results.conversationId'), participantId: t('results.participantId'), formatTime: (ms) => fmt.format(new Date(ms)) };
}
