/**
 * Test stand-ins for cross-tab plumbing (unit tests only): the Web Locks queue as browsers run it
 * (`ifAvailable` or a queued request, granted in order when the holder releases or its tab dies)
 * and a BroadcastChannel between "tabs" of one test.
 */
import type { JobChannel, JobMessage } from './job-channel.ts';
import type { LockManagerLike } from './job-lock.ts';

interface Waiter {
  tab: string;
  grant: () => void;
  cancel: () => void;
}

export class QueuedLockManager {
  readonly held = new Map<string, string>();
  private readonly drops = new Map<string, () => void>();
  private readonly queues = new Map<string, Waiter[]>();

  forTab(tab: string): LockManagerLike {
    return {
      request: (name, options, callback) =>
        new Promise((resolve, reject) => {
          const run = () => {
            this.held.set(name, tab);
            let drop!: () => void;
            const dropped = new Promise<void>((r) => (drop = r));
            this.drops.set(name, drop);
            const done = callback({ name, mode: 'exclusive' });
            void Promise.race([done, dropped]).then(() => {
              this.held.delete(name);
              this.drops.delete(name);
              resolve(undefined);
              this.queues.get(name)?.shift()?.grant();
            }, reject);
          };
          if (!this.held.has(name) && !(this.queues.get(name)?.length ?? 0)) return run();
          if (options.ifAvailable) return void callback(null).then(resolve, reject);
          const queue = this.queues.get(name) ?? [];
          this.queues.set(name, queue);
          const signal = options.signal;
          const onAbort = () => {
            const at = queue.indexOf(waiter);
            if (at >= 0) queue.splice(at, 1);
            reject(signal?.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
          };
          const waiter: Waiter = {
            tab,
            grant: () => {
              signal?.removeEventListener('abort', onAbort);
              run();
            },
            cancel: () => queue.splice(queue.indexOf(waiter), 1),
          };
          if (signal?.aborted) return onAbort();
          signal?.addEventListener('abort', onAbort, { once: true });
          queue.push(waiter);
        }),
    };
  }

  /** Requests waiting for `name`. */
  waiting(name: string): number {
    return this.queues.get(name)?.length ?? 0;
  }

  /** The tab is gone: its locks are released and its queued requests dropped, as browsers do. */
  crash(tab: string): void {
    for (const queue of this.queues.values()) for (const w of queue.filter((x) => x.tab === tab)) w.cancel();
    for (const [name, holder] of this.held) if (holder === tab) this.drops.get(name)?.();
  }
}

/** A BroadcastChannel between the tabs of one test: a message reaches every other tab, not the sender. */
export class ChannelBus {
  private readonly tabs = new Set<{ listeners: Set<(m: JobMessage) => void> }>();
  readonly sent: JobMessage[] = [];

  forTab(): JobChannel {
    const tab = { listeners: new Set<(m: JobMessage) => void>() };
    this.tabs.add(tab);
    return {
      post: (m) => {
        this.sent.push(m);
        const copy = structuredClone(m);
        // Delivered later, like a real channel (not during the post).
        for (const other of this.tabs) if (other !== tab) void Promise.resolve().then(() => other.listeners.forEach((l) => l(copy)));
      },
      subscribe: (l) => (tab.listeners.add(l), () => void tab.listeners.delete(l)),
      close: () => {
        tab.listeners.clear();
        this.tabs.delete(tab);
      },
    };
  }
}
