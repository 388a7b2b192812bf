/**
 * The stop rule on systematic refusals (issue 15 item 3), one job and its own tests.
 *
 * When the last K write attempts of a job were all refused by the platform with the same error
 * `code`, and none succeeded in between, the refusals are a rule of the org (a supervisor may not
 * write, not after after-call work, …), not an item's bad luck: the job pauses itself instead of
 * spending the token's budget on hundreds more. A success, or a refusal with another code, starts
 * the count again. A code the user chose to "continue anyway" with no longer pauses the job.
 *
 * Writes already in flight when the K-th refusal comes back still finish (they cannot be called
 * back), so a job sends at most K + its concurrency writes into a systematic refusal.
 */
import type { ItemError, PauseReason, SituationKind } from './model.ts';

/** Context ids kept for the user's report: enough to hand to support, bounded. */
const MAX_CONTEXT_IDS = 20;

export type RefusalPause = Extract<PauseReason, { kind: 'refusals' }>;

export class RefusalStreak {
  private code: string | null = null;
  private status = 0;
  private message = '';
  private count = 0;
  private contextIds: string[] = [];
  private situations = new Set<SituationKind>();
  private readonly accepted = new Set<string>();

  constructor(private readonly limit: number) {}

  /** A write the platform applied: the refusals were not systematic. */
  success(): void {
    this.reset();
  }

  /**
   * A final refusal of a write. Returns the pause to take when this makes K in a row with one code
   * (and the user has not chosen to go on despite that code), else null.
   */
  refused(error: ItemError, situation: SituationKind): RefusalPause | null {
    if (error.code !== this.code) {
      this.reset();
      this.code = error.code;
    }
    this.count += 1;
    this.status = error.status;
    this.message = error.message;
    if (error.contextId && this.contextIds.length < MAX_CONTEXT_IDS) this.contextIds.push(error.contextId);
    this.situations.add(situation);
    if (this.count < this.limit || this.accepted.has(error.code)) return null;
    return {
      kind: 'refusals',
      code: error.code,
      status: this.status,
      message: this.message,
      contextIds: [...this.contextIds],
      count: this.count,
      situations: [...this.situations].sort(),
    };
  }

  /** "Continue anyway": this code no longer pauses the job (until the runner is created again). */
  accept(code: string): void {
    this.accepted.add(code);
    this.reset();
  }

  private reset(): void {
    this.code = null;
    this.status = 0;
    this.message = '';
    this.count = 0;
    this.contextIds = [];
    this.situations = new Set();
  }
}
