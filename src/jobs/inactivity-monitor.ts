import type { Store } from '../storage/ports.ts';
import type { WorkerLog } from './job-worker.ts';
import type { SessionLifecycle } from './session-lifecycle.ts';

const sweepPage = 500;

/**
 * Stops active sessions that have had no message for `inactivityMs` (each then gets its
 * completion job). Activity is the session's last message time. Every session gets a full
 * window after the monitor starts, so a server restarted after a pause does not stop sessions
 * whose clients are about to resume.
 */
export class InactivityMonitor {
  private readonly store: Store;
  private readonly lifecycle: SessionLifecycle;
  private readonly inactivityMs: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(store: Store, lifecycle: SessionLifecycle, inactivityMs: number, now = Date.now) {
    this.store = store;
    this.lifecycle = lifecycle;
    this.inactivityMs = inactivityMs;
    this.now = now;
    this.startedAt = now();
  }

  /** Sweeps every tenth of the inactivity window (at least each second, at most each minute). */
  start(log: WorkerLog): void {
    if (this.timer !== null || this.inactivityMs <= 0) return;
    const every = Math.min(60_000, Math.max(1000, Math.floor(this.inactivityMs / 10)));
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => log.error({ err: error }, 'inactivity sweep failed'));
    }, every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** Stops the sessions idle at `at`; how many it stopped. One sweep at a time. */
  sweep(at = this.now()): Promise<number> {
    this.sweeping ??= this.stopIdle(at).finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async stopIdle(at: number): Promise<number> {
    const cutoff = at - this.inactivityMs;
    if (this.inactivityMs <= 0 || this.startedAt >= cutoff) return 0;
    const seconds = Math.round(this.inactivityMs / 1000);
    let stopped = 0;
    for (;;) {
      const idle = await this.store.sessionsInStatus({
        status: 'active',
        lastActivityBefore: cutoff,
        limit: sweepPage,
      });
      let stoppedNow = 0;
      for (const session of idle) {
        const last = session.endedAt ?? session.startedAt;
        const since = last === null ? 'no message time' : `last message ${new Date(last).toISOString()}`;
        const reason = `inactive: no message for ${seconds} s (${since})`;
        if ((await this.lifecycle.stop(session, reason, 'inactivity')) !== null) stoppedNow++;
      }
      stopped += stoppedNow;
      // Stopped sessions leave the query, so the next page starts from the top.
      if (idle.length < sweepPage || stoppedNow === 0) return stopped;
    }
  }
}
