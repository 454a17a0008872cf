import type { Session } from '../domain/session.ts';
import type { SessionLifecycle } from '../jobs/session-lifecycle.ts';
import type { Store } from '../storage/ports.ts';

/** How many sessions are remembered as already handled, so a busy transcript costs no query per import. */
const maxRemembered = 10_000;

/**
 * Brings sessions that arrive by live capture (watch, hooks) into the session lifecycle, so they
 * are completed like sessions sent to the server: a session seen being written goes from
 * `imported` to `active`; its agent's SessionEnd hook (or the inactivity monitor of `serve` or
 * `watch`) stops it, which queues its completion job. Batch imports of old transcripts stay
 * `imported`: nothing is live there to stop.
 */
export class LiveSessions {
  private readonly store: Store;
  private readonly lifecycle: SessionLifecycle;
  private readonly projectId: number;
  private readonly activated = new Set<string>();

  constructor(store: Store, lifecycle: SessionLifecycle, projectId: number) {
    this.store = store;
    this.lifecycle = lifecycle;
    this.projectId = projectId;
  }

  /** The sessions (by their source's own ids) an import of live transcripts wrote to are active. */
  async written(externalIds: Iterable<string>, reason: string): Promise<void> {
    for (const externalId of externalIds) {
      if (this.activated.has(externalId)) continue;
      for (const session of await this.sessions(externalId)) await this.lifecycle.activate(session, reason);
      if (this.activated.size >= maxRemembered) this.activated.clear();
      this.activated.add(externalId);
    }
  }

  /**
   * The agent said these sessions ended: each is stopped (made active first, with `written` as
   * the reason, if it was still `imported`), which queues its completion. How many it stopped.
   */
  async ended(externalIds: Iterable<string>, reasons: { written: string; ended: string }): Promise<number> {
    let stopped = 0;
    for (const externalId of externalIds) {
      for (const session of await this.sessions(externalId)) {
        await this.lifecycle.activate(session, reasons.written);
        if ((await this.lifecycle.stop(session, reasons.ended, 'client')) !== null) stopped++;
      }
    }
    return stopped;
  }

  private async sessions(externalId: string): Promise<Session[]> {
    const found = await this.store.findSessions(this.projectId, externalId);
    return found.filter((s) => s.externalId === externalId);
  }
}
