/**
 * Query-options factories of the wrap-up feature. Every input of a query function is in its key.
 * Keys start with 'wrap-up'; the worklist's own keys start with 'conversations' (invalidated by the
 * route after a write, not from here: features do not know each other).
 */
import { queryOptions } from '@tanstack/react-query';
import { getConversation, getMediaConversation, getParticipantWrapupCodes, readTargetWrapup } from '@/lib/genesys/api.ts';
import type { WrapupMediaPath } from '@/lib/genesys/media.ts';

export const wrapupQueries = {
  all: () => ['wrap-up'] as const,
  conversationKey: (conversationId: string) => [...wrapupQueries.all(), 'conversation', conversationId] as const,
  /** The live conversation: participants and their communications (the communication ids the write needs). */
  conversation: (conversationId: string) =>
    queryOptions({
      queryKey: wrapupQueries.conversationKey(conversationId),
      queryFn: ({ signal }) => getConversation(conversationId, { signal }),
      staleTime: 0,
    }),
  /**
   * The same conversation through its media GET (`/conversations/{media}/{cid}`): what an agent may
   * read of their own conversation without `conversation:communication:view` (no communication ids).
   */
  mediaConversation: (media: WrapupMediaPath, conversationId: string) =>
    queryOptions({
      queryKey: [...wrapupQueries.conversationKey(conversationId), 'media', media] as const,
      queryFn: ({ signal }) => getMediaConversation(media, conversationId, { signal }),
      staleTime: 0,
    }),
  /** The codes this participant may be given: the only codes the form offers [H]. */
  allowedCodes: (media: WrapupMediaPath | null, conversationId: string, participantId: string) =>
    queryOptions({
      queryKey: [...wrapupQueries.conversationKey(conversationId), 'participant', participantId, 'codes', media] as const,
      queryFn: ({ signal }) => getParticipantWrapupCodes(media, conversationId, participantId, { signal }),
      staleTime: 5 * 60_000,
    }),
  /**
   * The communication's current wrap-up; `null` when it has none (a query may not resolve undefined).
   * `communicationId` '' (not known): the participant's wrap-up.
   */
  current: (media: WrapupMediaPath, conversationId: string, participantId: string, communicationId: string) =>
    queryOptions({
      queryKey: [...wrapupQueries.conversationKey(conversationId), 'participant', participantId, 'communication', communicationId, 'wrapup', media] as const,
      queryFn: async ({ signal }) => (await readTargetWrapup({ media, conversationId, participantId, communicationId }, { signal })) ?? null,
      staleTime: 0,
    }),
};
