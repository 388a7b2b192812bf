/**
 * The worklist's summary strip (issue 16 item 3, issue 18 item 3): how many agent participants miss
 * a wrap-up per agent and per queue, and how old each agent's oldest one is. "Missing" is the one
 * classification of `@/lib/genesys/wrapup-rules.ts` as the rows carry it (`wrapup.status` missing or
 * not-writable, the same as the status filter and the "N missing" line); nothing is classified again.
 *
 * One pass over the rows, remembered per rows array and scope (issue 17: 100,000 rows; a new load,
 * a new page or a confirmed write is a new array, so a stale summary is never returned).
 */
import { agentsInScope, type AgentScope, type ConversationRow } from './wrapup-status.ts';

export interface AgentMissing {
  /** The agent's user id, or null when analytics carried none (shown, but neither filter nor nudge). */
  userId: string | null;
  /** The name as the conversation recorded it (the directory's name is the page's to add). */
  name: string;
  missing: number;
  /** Start (epoch ms) of the oldest conversation with one of this agent's missing wrap-ups. */
  oldestStart: number;
}

export interface QueueMissing {
  /** The queue of the agent participant; null: none (e.g. an outbound call placed directly). */
  queueId: string | null;
  missing: number;
}

export interface MissingSummary {
  total: number;
  /** Most missing first; equal counts: the oldest first, then by name. */
  agents: AgentMissing[];
  /** Most missing first; equal counts by queue id (the page sorts by name where it shows them). */
  queues: QueueMissing[];
}

const cache = new WeakMap<readonly ConversationRow[], { scope: AgentScope; length: number; summary: MissingSummary }>();

export function summarizeMissing(rows: readonly ConversationRow[], scope: AgentScope): MissingSummary {
  const known = cache.get(rows);
  if (known && known.scope === scope && known.length === rows.length) return known.summary;
  const agents = new Map<string, AgentMissing>();
  const queues = new Map<string | null, QueueMissing>();
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (const a of agentsInScope(row, scope)) {
      const status = a.wrapup?.status;
      if (status !== 'missing' && status !== 'not-writable') continue;
      total++;
      // Agents without a user id are told apart by name only: the best analytics offers.
      const key = a.userId ? `u:${a.userId}` : `n:${a.name}`;
      const agent = agents.get(key);
      if (agent) {
        agent.missing++;
        if (row.start < agent.oldestStart) agent.oldestStart = row.start;
      } else agents.set(key, { userId: a.userId ?? null, name: a.name, missing: 1, oldestStart: row.start });
      const queueId = a.queueId ?? null;
      const queue = queues.get(queueId);
      if (queue) queue.missing++;
      else queues.set(queueId, { queueId, missing: 1 });
    }
  }
  const summary: MissingSummary = {
    total,
    agents: [...agents.values()].sort((x, y) => y.missing - x.missing || x.oldestStart - y.oldestStart || x.name.localeCompare(y.name)),
    queues: [...queues.values()].sort((x, y) => y.missing - x.missing || (x.queueId ?? '').localeCompare(y.queueId ?? '')),
  };
  cache.set(rows, { scope, length: rows.length, summary });
  return summary;
}

export type AgeUnit = 'day' | 'hour' | 'minute';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An age in the largest whole unit (floored: "1 day" means at least one day), at least 0 minutes. */
export function ageOf(ms: number): { value: number; unit: AgeUnit } {
  const age = Math.max(0, ms);
  if (age >= DAY) return { value: Math.floor(age / DAY), unit: 'day' };
  if (age >= HOUR) return { value: Math.floor(age / HOUR), unit: 'hour' };
  return { value: Math.floor(age / MINUTE), unit: 'minute' };
}
