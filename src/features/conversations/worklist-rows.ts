/**
 * Filtering and sorting the loaded rows in the browser (checklist #25: under 100 ms at 10,000 rows).
 * Plain functions over plain rows: the table gets the result with manual sorting, so what is
 * measured and tested here is what the user sees.
 */
import type { SortColumn, StatusFilter } from './filters.ts';
import { agentsInScope, type AgentScope, type ConversationRow, type ParticipantState, type WrapupStatus } from './wrapup-status.ts';

const STATUS_MATCH: Record<Exclude<StatusFilter, 'any'>, ReadonlySet<WrapupStatus>> = {
  missing: new Set(['missing', 'not-writable']),
  system: new Set(['system']),
  coded: new Set(['coded']),
};

/**
 * Rows with at least one agent participant (in the queue/agent scope) of the wanted status. "Any
 * status" keeps every row the platform sent for the queue/agent filters (the query already narrowed
 * them), and with "Find agent" the rows where a matching agent took part.
 */
export function filterRows(rows: readonly ConversationRow[], status: StatusFilter, scope: AgentScope): ConversationRow[] {
  if (status === 'any') return scope.match ? rows.filter((r) => agentsInScope(r, scope).length > 0) : rows.slice();
  if (!scope.queue && !scope.agent && !scope.match) {
    // Every agent of a row counts: a bit test per row on the statuses remembered for this array
    // (issue 17: 100,000 rows per filter change; switching filters again costs no property reads).
    const bits = STATUS_BITS[status];
    const masks = statusMasks(rows);
    const out: ConversationRow[] = [];
    for (let i = 0; i < rows.length; i++) if ((masks[i]! & bits) !== 0) out.push(rows[i]!);
    return out;
  }
  const wanted = STATUS_MATCH[status];
  return rows.filter((r) => agentsInScope(r, scope).some((a) => a.wrapup !== undefined && wanted.has(a.wrapup.status)));
}

const STATUS_BIT: Record<WrapupStatus, number> = { missing: 1, 'not-writable': 2, active: 4, system: 8, coded: 16, unanswered: 32 };
const STATUS_BITS: Record<Exclude<StatusFilter, 'any'>, number> = {
  missing: STATUS_BIT.missing | STATUS_BIT['not-writable'],
  system: STATUS_BIT.system,
  coded: STATUS_BIT.coded,
};

/**
 * The wrap-up statuses of each row's agents as bits, per rows array (the page's sorted rows: a new
 * load or sort is a new array; rows are never changed in place, a change makes a new row and array).
 */
const maskCache = new WeakMap<readonly ConversationRow[], Uint8Array>();

function statusMasks(rows: readonly ConversationRow[]): Uint8Array {
  let masks = maskCache.get(rows);
  if (!masks || masks.length !== rows.length) {
    masks = new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let mask = 0;
      for (const a of rows[i]!.agents) if (a.wrapup) mask |= STATUS_BIT[a.wrapup.status];
      masks[i] = mask;
    }
    maskCache.set(rows, masks);
  }
  return masks;
}

/** Lower case without accents, so "chloe" finds "Chloé" and "GARCIA" finds "García". */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** The directory fields "Find agent" looks at (a user's name and email). */
export interface DirectoryUser {
  id?: string;
  name?: string;
  email?: string;
}

/**
 * "Find agent": an agent participant matches when every word of the text is in their name (as the
 * conversation recorded it, or the directory's) or their email. Blank text: no matcher (all agents).
 */
export function agentMatcher(text: string | undefined, users: readonly DirectoryUser[] | undefined): ((agent: ParticipantState) => boolean) | null {
  const words = foldText(text ?? '')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return null;
  const directory = new Map<string, string>();
  for (const u of users ?? []) if (u.id) directory.set(u.id, foldText(`${u.name ?? ''} ${u.email ?? ''}`));
  return (agent) => {
    const hay = `${foldText(agent.name)} ${agent.userId ? (directory.get(agent.userId) ?? '') : ''}`;
    return words.every((w) => hay.includes(w));
  };
}

/** How names are looked up for sorting and display (queue ids, user ids, code ids → names). */
export interface NameLookup {
  queue(id: string): string;
  code(id: string): string;
}

/** Order of wrap-up states when sorting by the wrap-up column: what needs work first. */
const STATUS_RANK: Record<WrapupStatus, number> = { missing: 0, 'not-writable': 1, active: 2, system: 3, coded: 4, unanswered: 5 };

function wrapupRank(row: ConversationRow): number {
  let best = 9;
  for (const a of row.agents) if (a.wrapup) best = Math.min(best, STATUS_RANK[a.wrapup.status]);
  return best;
}

type Key = string | number;

function sortKey(column: SortColumn, row: ConversationRow, names: NameLookup): Key {
  switch (column) {
    case 'start':
      return row.start;
    case 'duration':
      // Ongoing conversations sort as the longest.
      return row.durationMs ?? Number.MAX_SAFE_INTEGER;
    case 'media':
      return row.media;
    case 'direction':
      return row.direction;
    case 'queue':
      return row.queueIds[0] ? names.queue(row.queueIds[0]).toLocaleLowerCase() : '';
    case 'agents':
      return row.agents.map((a) => a.name.toLocaleLowerCase()).join(', ');
    case 'wrapup':
      return wrapupRank(row);
  }
}

const NUMERIC: ReadonlySet<SortColumn> = new Set(['start', 'duration', 'wrapup']);
/** Rows past this many are sorted by comparator (the packed keys below hold 20 bits of position). */
const PACKED_MAX_ROWS = 1 << 20;

/** Each row's place in the tie order (start newest first, then id), per rows array: computed once. */
const tieOrders = new WeakMap<readonly ConversationRow[], { rowAt: Uint32Array; placeOf: Uint32Array }>();

function tieOrder(rows: readonly ConversationRow[]): { rowAt: Uint32Array; placeOf: Uint32Array } {
  let known = tieOrders.get(rows);
  if (!known) {
    const order = Array.from({ length: rows.length }, (_, i) => i);
    order.sort((a, b) => {
      const byStart = rows[b]!.start - rows[a]!.start;
      if (byStart !== 0) return byStart;
      const x = rows[a]!.id;
      const y = rows[b]!.id;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const rowAt = Uint32Array.from(order);
    const placeOf = new Uint32Array(rows.length);
    for (let place = 0; place < rowAt.length; place++) placeOf[rowAt[place]!] = place;
    known = { rowAt, placeOf };
    tieOrders.set(rows, known);
  }
  return known;
}

/** Dense ranks of the keys (equal keys, equal rank), ascending; and how many distinct keys. */
function denseRanks(keys: Float64Array | readonly string[]): { ranks: Uint32Array; distinct: number } {
  const n = keys.length;
  const ranks = new Uint32Array(n);
  if (keys instanceof Float64Array) {
    const sorted = keys.slice().sort();
    let distinct = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
    for (let i = 0; i < n; i++) {
      let lo = 0;
      let hi = distinct - 1;
      const k = keys[i]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! < k) lo = mid + 1;
        else hi = mid;
      }
      ranks[i] = lo;
    }
    return { ranks, distinct };
  }
  // Strings: the default sort orders by UTF-16 code units, like < and > do.
  const unique = [...new Set(keys)].sort();
  const rankOf = new Map(unique.map((k, i) => [k, i] as const));
  for (let i = 0; i < n; i++) ranks[i] = rankOf.get(keys[i]!)!;
  return { ranks, distinct: unique.length };
}

/**
 * Stable sort by one column; ties keep the start time order (newest first), then the id, so the
 * order is the same on every run. Keys are computed once per row. Rather than a comparator called
 * some 1.7 million times for 100,000 rows, each row gets one number: the dense rank of its key
 * (reversed when descending) times 2^20 plus its place in the tie order (at most 2^40: exact in a
 * double), and the numbers are sorted natively (a 100,000-row sort in a few tens of ms).
 */
export function sortRows(rows: readonly ConversationRow[], column: SortColumn, desc: boolean, names: NameLookup): ConversationRow[] {
  const n = rows.length;
  let keys: Float64Array | string[];
  if (NUMERIC.has(column)) {
    keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = sortKey(column, rows[i]!, names) as number;
  } else keys = rows.map((row) => String(sortKey(column, row, names)));
  if (n > PACKED_MAX_ROWS) return sortByComparator(rows, keys, desc);
  const { rowAt, placeOf } = tieOrder(rows);
  const { ranks, distinct } = denseRanks(keys);
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (desc ? distinct - 1 - ranks[i]! : ranks[i]!) * PACKED_MAX_ROWS + placeOf[i]!;
  packed.sort();
  const out = new Array<ConversationRow>(n);
  for (let i = 0; i < n; i++) out[i] = rows[rowAt[packed[i]! % PACKED_MAX_ROWS]!]!;
  return out;
}

function sortByComparator(rows: readonly ConversationRow[], keys: Float64Array | readonly string[], desc: boolean): ConversationRow[] {
  const dir = desc ? -1 : 1;
  const order = Array.from({ length: rows.length }, (_, i) => i);
  order.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    const c = (x < y ? -1 : x > y ? 1 : 0) * dir;
    if (c !== 0) return c;
    const byStart = rows[b]!.start - rows[a]!.start;
    if (byStart !== 0) return byStart;
    return rows[a]!.id < rows[b]!.id ? -1 : rows[a]!.id > rows[b]!.id ? 1 : 0;
  });
  return order.map((i) => rows[i]!);
}

/** One item the bulk feature can act on: an agent participant with no wrap-up. */
export interface WorklistTarget {
  conversationId: string;
  participantId: string;
  /** The communication the wrap-up POST would go to (analytics sessionId). */
  communicationId: string;
  mediaType: string;
  userId: string | null;
  queueId: string | null;
  name: string;
  /** False for media without a wrap-up endpoint (chat). */
  writable: boolean;
}

/** The missing agent participants (in scope) of the given rows. */
export function missingTargets(rows: Iterable<ConversationRow>, scope: AgentScope): WorklistTarget[] {
  const out: WorklistTarget[] = [];
  for (const r of rows)
    for (const a of agentsInScope(r, scope)) {
      const w = a.wrapup;
      if (!w || (w.status !== 'missing' && w.status !== 'not-writable') || !w.communicationId) continue;
      out.push({
        conversationId: r.id,
        participantId: a.participantId,
        communicationId: w.communicationId,
        mediaType: w.mediaType ?? r.media,
        userId: a.userId ?? null,
        queueId: a.queueId ?? null,
        name: a.name,
        writable: w.status === 'missing',
      });
    }
  return out;
}
