import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useRole } from '@/features/auth/auth-queries.ts';
import { WrapupPage } from '@/features/wrap-up/wrapup-page.tsx';
import type { WrapupMediaPath } from '@/lib/genesys/media.ts';
import { useWrapupWriter } from './use-wrapup-writer.ts';

const routeApi = getRouteApi('/conversations/$conversationId/wrap-up');

/**
 * `/conversations/<cid>/wrap-up?participant=<pid>` (schema in search.ts), loaded on first use with
 * the form stack (react-hook-form, the resolver, the code picker). A new participant is a new form.
 */
export function WrapupRouteScreen() {
  const { conversationId } = routeApi.useParams();
  const { participant, media, communication } = routeApi.useSearch();
  return (
    <WrapupRoute
      key={`${conversationId}/${participant}/${media ?? ''}/${communication ?? ''}`}
      conversationId={conversationId}
      participantId={participant}
      media={media}
      communicationId={communication}
    />
  );
}

/**
 * Composes the wrap-up form with auth (who writes, may they), the audit log (every attempt) and
 * the worklist (refreshed after a write). The features do not import each other; this route does.
 */
export function WrapupRoute({
  conversationId,
  participantId,
  media,
  communicationId,
}: {
  conversationId: string;
  participantId: string;
  /** From an agent's own list: read the media GET (agents may not read `GET /conversations/{id}`). */
  media?: WrapupMediaPath | undefined;
  communicationId?: string | undefined;
}) {
  const { t } = useTranslation('wrapup');
  const role = useRole();
  const writer = useWrapupWriter();

  return (
    <>
      <WrapupPage conversationId={conversationId} participantId={participantId} media={media} communicationId={communicationId} {...writer} />
      <p>{role?.kind === 'agent' ? <Link to="/my">{t('page.backMine')}</Link> : <Link to="/conversations">{t('page.back')}</Link>}</p>
    </>
  );
}
