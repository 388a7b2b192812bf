/**
 * Keeping the verdict: what a probe run or a write probe adds to the stored `PlatformVerdict` of
 * this org and user (src/lib/platform-verdict.ts, IndexedDB). Updates are serialised in this tab so
 * a probe run and a write probe finishing together do not overwrite each other's additions.
 */
import { loadVerdict, saveVerdict, type PlatformVerdict, type ProbeRecord, type WriteAttempt } from '@/lib/platform-verdict.ts';

export interface VerdictOwner {
  orgId: string;
  userId: string;
}

function empty(owner: VerdictOwner, at: string): PlatformVerdict {
  return { version: 1, orgId: owner.orgId, userId: owner.userId, checkedAt: at, probes: [], attempts: [] };
}

/** The latest probe run replaces the previous one (probes describe the org now). */
export function withProbes(verdict: PlatformVerdict | null, owner: VerdictOwner, probes: readonly ProbeRecord[], at: string): PlatformVerdict {
  const base = verdict ?? empty(owner, at);
  return { ...base, checkedAt: at, probes: [...probes] };
}

/** Write attempts are appended: a later probe refines the verdict, it never replaces what was seen. */
export function withAttempts(verdict: PlatformVerdict | null, owner: VerdictOwner, attempts: readonly WriteAttempt[], at: string): PlatformVerdict {
  const base = verdict ?? empty(owner, at);
  return { ...base, checkedAt: at, attempts: [...base.attempts, ...attempts] };
}

let queue: Promise<unknown> = Promise.resolve();

/** load → change → save, one at a time; rejects when the verdict could not be saved. */
export function updateVerdict(
  owner: VerdictOwner,
  change: (current: PlatformVerdict | null) => PlatformVerdict,
  factory?: IDBFactory,
): Promise<PlatformVerdict> {
  const run = queue.then(async () => {
    const current = await loadVerdict(owner.orgId, owner.userId, factory);
    const next = change(current);
    await saveVerdict(next, factory);
    return next;
  });
  queue = run.catch(() => undefined);
  return run;
}
