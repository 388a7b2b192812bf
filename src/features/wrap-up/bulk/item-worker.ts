/**
 * The item worker (issue 13: the runner in parts): carries one item through the steps that
 * `item-step.ts` decides (pure), with the requests (through the gate), the journal and the audit
 * hook. What is the job's, not the item's (its state, pauses, the stop rule) stays with the runner
 * and is reached through `WorkerHost`.
 */
import type { ApiError } from '@/lib/genesys/api-error.ts';
import { classifyWriteError } from '@/lib/genesys/write-outcome.ts';
import type { Clock } from '@/lib/genesys/rate-limiter.ts';
import type { Freshness } from './freshness.ts';
import { afterRead, afterReadError, afterWrite, inFlightCounts, nextStep, type FreshView, type Step, type StepContext } from './item-step.ts';
import type { BulkJournal } from './journal.ts';
import { isTerminal, type BulkItem, type BulkJob, type ItemError, type ItemReason, type PauseReason, type TerminalStatus } from './model.ts';
import { observeCode } from './planner.ts';
import type { BulkPlatform } from './platform-port.ts';
import type { ProgressCounter } from './progress.ts';
import type { BatchedRecheck } from './recheck.ts';
import type { RequestGate } from './request-gate.ts';
import type { RunnerConfig, WriteEvent } from './runner-types.ts';

export function itemError(e: ApiError): ItemError {
  return { status: e.status, code: e.code, message: e.message, contextId: e.contextId ?? null, class: classifyWriteError(e) };
}

/** What the worker needs of the runner that owns the job. */
export interface WorkerHost {
  job(): BulkJob;
  cfg: Required<RunnerConfig>;
  clock: Clock;
  random: () => number;
  fresh: Freshness;
  recheck: BatchedRecheck;
  send: RequestGate['send'];
  platform: BulkPlatform;
  journal: BulkJournal;
  tally: ProgressCounter;
  onWrite: ((e: WriteEvent) => void) | undefined;
  emit(): void;
  pauseFor(reason: PauseReason): void;
  /** A rate-limit pause longer than `longPauseMs` was announced (until at least `from`). */
  pauseRateLimited(from: number): void;
  /** The stop rule on systematic refusals: a write was accepted, or finally refused. */
  writeAccepted(): void;
  writeRefused(item: BulkItem, err: ItemError): void;
}

export class ItemWorker {
  constructor(private readonly h: WorkerHost) {}

  async work(item: BulkItem): Promise<void> {
    for (;;) {
      if (this.h.job().state !== 'running' || isTerminal(item.status)) return;
      if (item.media !== null) this.h.fresh.mergeEvent(item);
      const again = await this.carryOut(item, nextStep(item, this.stepContext(), this.freshView(item)));
      if (!again) return;
    }
  }

  private stepContext(): StepContext {
    const { code, options } = this.h.job();
    const { maxAttempts, maxSends, longPauseMs } = this.h.cfg;
    return { code, options, maxAttempts, maxSends, longPauseMs, now: this.h.clock.now(), random: this.h.random };
  }

  private freshView(item: BulkItem): FreshView {
    const f = this.h.fresh;
    return { ownWriteSeenAt: f.ownWriteSeenAt(item), perItem: f.perItem(), valid: f.validForWrite(item), coverableAt: f.coverableAt(item) };
  }

  /** Carries out one step; true: decide again at once (on a fresh observation, after a 429 or 409). */
  private async carryOut(item: BulkItem, step: Step): Promise<boolean> {
    switch (step.do) {
      case 'settle':
        await this.settle(item, step.status, step.reason, step.message);
        return false;
      case 'resolved':
        if (step.at !== null) item.observed = { status: 'coded', codeId: this.h.job().code.id, at: step.at, live: true };
        this.h.fresh.flagIfRaced(item);
        this.reportWrite(item, null, true);
        await this.settle(item, 'applied', null, null);
        return false;
      case 'wait':
        item.notBefore = step.notBefore; // a few seconds; other items go on meanwhile
        return false;
      case 'refresh':
        return this.h.recheck.run(item);
      case 'read':
        return this.readLive(item);
      case 'write':
        // A live read has just answered an unknown outcome or a 409 (otherwise both are false).
        item.unknownOutcome = false;
        item.recheck = false;
        return (await this.write(item)) === 'again';
    }
  }

  /** Live read: resolves an unknown outcome before any retry, or verifies right before writing. */
  private async readLive(item: BulkItem): Promise<boolean> {
    const media = item.media!;
    const r = await this.h.send('read', () => this.h.platform.readWrapup(media, item.conversationId, item.participantId, item.communicationId));
    if (r.halted) return false;
    if (!r.ok) {
      await this.readFailed(item, r.error);
      return false;
    }
    const current = r.value?.code ?? null;
    this.h.fresh.readAnswered(item.key);
    item.readFailures = 0;
    item.observed = { ...observeCode(current, r.sentAt), ...(item.observed.acwSince !== undefined ? { acwSince: item.observed.acwSince } : {}) };
    this.h.fresh.mergeEvent(item); // an event that arrived while the read was out
    return this.carryOut(item, afterRead(item, item.observed.codeId, this.stepContext()));
  }

  /** One write. 'again': loop at once (429, 409); 'done': the worker ends (settled, backoff or halted). */
  private async write(item: BulkItem): Promise<'again' | 'done'> {
    const { code, notes, options } = this.h.job();
    const media = item.media!;
    this.h.tally.setStatus(item, 'in-flight');
    item.updatedAt = this.h.clock.now();
    // Stored BEFORE the request (checklist #18), counting this write: if the tab dies, it may have been processed.
    await this.h.journal.saveItem(this.h.job().id, inFlightCounts(item));
    this.h.emit();
    // The check must still hold when the write actually leaves (the gate may have waited).
    const r = await this.h.send(
      'write',
      () => {
        this.h.fresh.writeLeft(item.key);
        return this.h.platform.writeWrapup(media, item.conversationId, item.participantId, item.communicationId, {
          code,
          notes,
          method: options.method ?? 'post',
        });
      },
      () => this.h.fresh.validForWrite(item),
    );
    if (r.halted) {
      // Paused or stopped while waiting at the gate, or the check went stale: nothing was sent.
      this.h.tally.setStatus(item, 'pending');
      await this.save(item);
      return r.stale ? 'again' : 'done';
    }
    const error = r.ok ? null : r.error;
    // The audit names the write by the item's sends including it (the journal's in-flight record).
    this.reportWrite(inFlightCounts(item), error && itemError(error));
    const step = afterWrite(item, error, r.sentAt, this.stepContext());
    item.attempts += step.spent.attempts;
    item.sends += step.spent.sends;
    if (step.then === 'applied') {
      this.h.writeAccepted();
      this.h.fresh.flagIfRaced(item);
      item.observed = { status: 'coded', codeId: code.id, at: r.sentAt, live: true };
      await this.settle(item, 'applied', null, null);
      return 'done';
    }
    item.lastError = itemError(error!);
    this.h.tally.setStatus(item, 'pending');
    switch (step.then) {
      case 'session':
        await this.save(item);
        this.h.pauseFor({ kind: 'session' });
        return 'done';
      case 'throttled':
        await this.save(item);
        if (step.longWaitMs !== null) this.h.pauseRateLimited(r.sentAt + step.longWaitMs);
        return 'again';
      case 'later':
        item.notBefore = step.notBefore;
        if (step.unknownOutcome) item.unknownOutcome = true;
        await this.save(item);
        return 'done';
      case 'recheck':
        item.recheck = true;
        await this.save(item);
        return 'again';
      case 'refused': {
        await this.settle(item, 'failed', 'refused', step.message);
        if (step.streak) this.h.writeRefused(item, itemError(error!));
        return 'done';
      }
    }
  }

  private reportWrite(item: BulkItem, error: ItemError | null, resolved = false): void {
    const hook = this.h.onWrite;
    if (!hook) return;
    try {
      const e: WriteEvent = {
        jobId: this.h.job().id,
        item: { ...item },
        code: this.h.job().code,
        notes: this.h.job().notes,
        replace: this.h.job().options.replaceExisting,
        method: this.h.job().options.method ?? 'post',
        error,
        at: this.h.clock.now(),
      };
      if (resolved) e.resolved = true;
      hook(e);
    } catch {
      // the audit hook must never break the job
    }
  }

  async readFailed(item: BulkItem, err: ApiError): Promise<void> {
    item.lastError = itemError(err);
    const step = afterReadError(item, err, this.stepContext());
    switch (step.then) {
      case 'session':
        await this.save(item);
        this.h.pauseFor({ kind: 'session' });
        return;
      case 'later':
        item.readFailures = step.readFailures;
        item.notBefore = step.notBefore;
        await this.save(item);
        return;
      case 'rate-limited':
        await this.save(item);
        this.h.pauseRateLimited(this.h.clock.now() + step.waitMs);
        return;
      case 'settle':
        if (step.readFailures !== undefined) item.readFailures = step.readFailures;
        await this.settle(item, step.settle.status, step.settle.reason, step.settle.message);
    }
  }

  async settle(item: BulkItem, status: TerminalStatus, reason: ItemReason | null, message: string | null): Promise<void> {
    this.h.tally.setStatus(item, status);
    item.reason = reason;
    item.message = message;
    if (status !== 'failed' || reason !== 'unverified') item.unknownOutcome = false;
    item.recheck = false;
    // Per-write memory of an open item (the race flag is on the item by now).
    this.h.fresh.forget(item.key);
    item.updatedAt = this.h.clock.now();
    this.h.tally.finished(item.updatedAt);
    await this.h.journal.saveItem(this.h.job().id, item);
    this.h.emit();
  }

  async save(item: BulkItem): Promise<void> {
    item.updatedAt = this.h.clock.now();
    await this.h.journal.saveItem(this.h.job().id, item);
    this.h.emit();
  }
}
