/**
 * Ids → names for queues, users and wrap-up codes. A code id that is not in the org's list (active
 * and deleted) is shown as the id itself, never hidden (issue 5 item 4).
 */
import type { Models } from '@/lib/genesys/sdk.ts';
import { isSystemCode } from '@/lib/genesys/wrapup-rules.ts';
import type { NameLookup } from './worklist-rows.ts';

export interface Names extends NameLookup {
  user(id: string): string;
  /** True when the code id is in the org's list. */
  knownCode(id: string): boolean;
}

function index(list: readonly { id?: string; name?: string }[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of list ?? []) if (e.id) m.set(e.id, e.name ?? e.id);
  return m;
}

export function buildNames(
  queues: readonly Models.Queue[] | undefined,
  users: readonly Models.User[] | undefined,
  codes: readonly Models.WrapupCode[] | undefined,
): Names {
  const q = index(queues);
  const u = index(users);
  const c = index(codes);
  return {
    queue: (id) => q.get(id) ?? id,
    user: (id) => u.get(id) ?? id,
    code: (id) => c.get(id) ?? id,
    knownCode: (id) => c.has(id),
  };
}

export type CodeLabel =
  | { kind: 'timeout' }
  | { kind: 'outbound'; detail: string }
  | { kind: 'system'; code: string }
  | { kind: 'named'; name: string }
  | { kind: 'unknown'; id: string };

/** How a wrap-up code is shown: system codes by meaning, org codes by name, unknown ids as the id. */
export function codeLabel(code: string, names: Names): CodeLabel {
  // System codes match in any letter case, as `isSystemCode` does.
  const upper = code.toUpperCase();
  if (upper === 'ININ-WRAP-UP-TIMEOUT') return { kind: 'timeout' };
  if (upper.startsWith('ININ-OUTBOUND-')) return { kind: 'outbound', detail: code.slice('ININ-OUTBOUND-'.length) };
  if (isSystemCode(code)) return { kind: 'system', code };
  if (names.knownCode(code)) return { kind: 'named', name: names.code(code) };
  return { kind: 'unknown', id: code };
}
