/**
 * "Save and next missing" (issue 16 item 1): which agent participant the side panel moves to next,
 * in the table's current sort and filter order. Plain functions over the rows the table shows.
 */
import { agentsInScope, type AgentScope, type ConversationRow, type ParticipantState } from './wrapup-status.ts';

/** The participant the side panel is about. */
export interface PanelTarget {
  conversationId: string;
  participantId: string;
  /** The agent's name as the conversation recorded it (the panel's heading). */
  name: string;
}

/** A participant the panel can fix: missing and writable (chat, "not-writable", has no write path). */
export function isFixable(agent: ParticipantState): boolean {
  return agent.wrapup?.status === 'missing' && !!agent.wrapup.communicationId;
}

function targetOf(row: ConversationRow, agent: ParticipantState): PanelTarget {
  return { conversationId: row.id, participantId: agent.participantId, name: agent.name };
}

/** The first fixable agent participant (in scope) of a row, or null. */
export function firstFixable(row: ConversationRow, scope: AgentScope): PanelTarget | null {
  const agent = agentsInScope(row, scope).find(isFixable);
  return agent ? targetOf(row, agent) : null;
}

/**
 * The next fixable participant after `current`, in the order of `rows`; from the top again when the
 * end is reached (rows above may still be missing); null when there is none besides `current`.
 *
 * After a save the current row may have left the list (the "missing" filter no longer matches it):
 * then `anchor`, the index the row had when last seen, says where it was, and the row now at that
 * index is the one that followed it.
 */
export function nextMissing(rows: readonly ConversationRow[], scope: AgentScope, current: PanelTarget | null, anchor = 0): PanelTarget | null {
  const n = rows.length;
  if (n === 0) return null;
  const at = current ? rows.findIndex((r) => r.id === current.conversationId) : -1;
  let start: number;
  if (at >= 0) {
    // Later agents of the same row first (a conversation transferred between two agents).
    const agents = agentsInScope(rows[at]!, scope);
    const i = agents.findIndex((a) => a.participantId === current!.participantId);
    const later = agents.slice(i + 1).find(isFixable);
    if (i >= 0 && later) return targetOf(rows[at]!, later);
    start = at + 1;
  } else {
    start = current ? Math.min(Math.max(anchor, 0), n) : 0;
  }
  for (let k = 0; k < n; k++) {
    const row = rows[(start + k) % n]!;
    for (const agent of agentsInScope(row, scope)) {
      if (!isFixable(agent)) continue;
      if (current && row.id === current.conversationId && agent.participantId === current.participantId) continue;
      return targetOf(row, agent);
    }
  }
  return null;
}
