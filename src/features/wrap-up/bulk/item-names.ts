/**
 * Names for a job's items (issue 16 item 3): the agent's name and email and the queue's name, read
 * once per preview from the org's directory and stored with the items when the job is created, so
 * that the results, their CSV and the audit log say who was coded even after a user or queue is
 * renamed or deleted. Items of older journals have no names: every place shows the id instead.
 */
import { listQueues, listUsers } from '@/lib/genesys/api.ts';
import { toApiError } from '@/lib/genesys/api-error.ts';
import type { BulkItem, ItemNames } from './model.ts';

export interface DirectoryEntry {
  id: string;
  name?: string;
  email?: string;
}

/** The org's users and queues, indexed by id. */
export interface Directory {
  users: ReadonlyMap<string, DirectoryEntry>;
  queues: ReadonlyMap<string, DirectoryEntry>;
}

function byId(list: readonly { id?: string; name?: string; email?: string }[]): Map<string, DirectoryEntry> {
  const m = new Map<string, DirectoryEntry>();
  for (const e of list) {
    if (!e.id) continue;
    m.set(e.id, { id: e.id, ...(e.name ? { name: e.name } : {}), ...(e.email ? { email: e.email } : {}) });
  }
  return m;
}

export function directoryOf(users: readonly { id?: string; name?: string; email?: string }[], queues: readonly { id?: string; name?: string }[]): Directory {
  return { users: byId(users), queues: byId(queues) };
}

/** Every user (deleted ones too: old conversations name them) and every queue, through the one door. */
export async function loadDirectory(): Promise<Directory> {
  try {
    const [users, queues] = await Promise.all([listUsers({ state: 'any' }), listQueues()]);
    return directoryOf(users, queues);
  } catch (e) {
    throw toApiError(e);
  }
}

/** The names the directory knows for an item's agent and queue (fields absent when unknown). */
export function namesOf(dir: Directory, userId: string | null, queueId: string | null): ItemNames {
  const u = userId ? dir.users.get(userId) : undefined;
  const q = queueId ? dir.queues.get(queueId) : undefined;
  return {
    ...(u?.name ? { agentName: u.name } : {}),
    ...(u?.email ? { agentEmail: u.email } : {}),
    ...(q?.name ? { queueName: q.name } : {}),
  };
}

type Named = Pick<BulkItem, 'userId' | 'queueId'> & { names?: ItemNames | undefined };

/** The agent as shown: the name, else the user id (older journals), else '' (no agent). */
export function agentLabel(item: Named): string {
  return item.names?.agentName ?? item.userId ?? '';
}

/** The queue as shown: the name, else the queue id, else '' (a direct call). */
export function queueLabel(item: Named): string {
  return item.names?.queueName ?? item.queueId ?? '';
}

/**
 * The item's agent, queue and conversation start as plain fields (ids and names, each absent when
 * unknown), for whoever records a write of it (the route puts them into the audit log entry).
 */
export function namedFieldsOf(item: Pick<BulkItem, 'userId' | 'queueId' | 'names' | 'conversationStart'>): {
  agentId?: string;
  agentName?: string;
  agentEmail?: string;
  queueId?: string;
  queueName?: string;
  conversationStart?: string;
} {
  return {
    ...(item.userId ? { agentId: item.userId } : {}),
    ...(item.names?.agentName ? { agentName: item.names.agentName } : {}),
    ...(item.names?.agentEmail ? { agentEmail: item.names.agentEmail } : {}),
    ...(item.queueId ? { queueId: item.queueId } : {}),
    ...(item.names?.queueName ? { queueName: item.names.queueName } : {}),
    ...(typeof item.conversationStart === 'number' ? { conversationStart: new Date(item.conversationStart).toISOString() } : {}),
  };
}
