/**
 * Readers for URL search values (the router has already JSON-decoded them): each returns the value
 * when it is valid, otherwise `undefined`, so a hand-edited or stale link falls back to defaults
 * instead of failing the page (what the `.catch()` of a zod schema did). Plain functions, not zod:
 * the router checks the URL on every screen, the sign-in page included, and zod's core alone is
 * ~20 KB gzip there (issue 17). zod stays with the forms, which load on first use.
 */

/** The search object, or an empty one. */
export function searchRecord(raw: unknown): Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

export function oneOf<const T extends string>(values: readonly T[], v: unknown): T | undefined {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** A string (trimmed when asked) whose length is within `min`–`max` and that matches `pattern`. */
export function text(v: unknown, opts: { trim?: boolean; min?: number; max?: number; pattern?: RegExp } = {}): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = opts.trim ? v.trim() : v;
  if (s.length < (opts.min ?? 0) || (opts.max !== undefined && s.length > opts.max)) return undefined;
  return !opts.pattern || opts.pattern.test(s) ? s : undefined;
}

export function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** Leaves out the keys whose value is `undefined`: absent in the URL means absent in the result. */
export function withoutUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
