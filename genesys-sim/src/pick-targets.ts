/**
 * For tests and benchmarks that run a bulk job: from the ground truth's missing items, the largest
 * set (one item per conversation) that a single live code is allowed for, and that code.
 */
import type { OrgSummary, TruthItem } from './control.ts';
import { mediaPathOf } from './model.ts';

export function pickSharedCodeTargets(
  missing: readonly TruthItem[],
  org: Pick<OrgSummary, 'queues' | 'codes'>,
): { items: TruthItem[]; code: { id: string; name: string } } | null {
  const seen = new Set<string>();
  const candidates = missing.filter((m) => {
    if (!m.writable || !m.queueId || seen.has(m.conversationId)) return false;
    seen.add(m.conversationId);
    return true;
  });
  let best: { items: TruthItem[]; code: { id: string; name: string } } | null = null;
  for (const c of org.codes.filter((x) => !x.deleted)) {
    const queues = new Set(org.queues.filter((q) => q.codeIds.includes(c.id)).map((q) => q.id));
    const items = candidates.filter((m) => queues.has(m.queueId!));
    if (!best || items.length > best.items.length) best = { items, code: { id: c.id, name: c.name } };
  }
  return best;
}

/** The wrap-up POST URL of a ground-truth item, for tests and benchmarks that write as another user. */
export function wrapupUrl(simUrl: string, item: Pick<TruthItem, 'mediaType' | 'conversationId' | 'participantId' | 'communicationId'>): string {
  const media = mediaPathOf[item.mediaType];
  if (!media) throw new Error(`media type ${item.mediaType} has no wrap-up path`);
  return `${simUrl}/api/v2/conversations/${media}/${item.conversationId}/participants/${item.participantId}/communications/${item.communicationId}/wrapup`;
}
