import type { Job } from '../domain/job.ts';
import type { Session } from '../domain/session.ts';
import type { SessionTransition } from '../domain/session-transition.ts';
import type { JobQueue, Store } from '../storage/ports.ts';
import type { JobPayload } from './job-payloads.ts';

export type CompletionJobSettings = { maxAttempts: number; backoffMs: number };

type Trigger = JobPayload<'session.complete'>['trigger'];

/** A client waiting on its own stop goes before sessions stopped for idling or found at start-up. */
const priorityOf: Record<Trigger, number> = { client: 1, inactivity: 0, recovered: 0 };

const recoverPage = 500;

/**
 * Where a session's life after `active` starts: stopping it records the change and queues its
 * completion job. The job's natural key is the session, so a stop repeated, or a stop followed
 * by a start-up sweep, still queues one job.
 */
export class SessionLifecycle {
  private readonly store: Store;
  private readonly jobs: JobQueue;
  private readonly settings: CompletionJobSettings;
  private readonly now: () => number;
  private readonly listeners: (() => void)[] = [];

  constructor(store: Store, jobs: JobQueue, settings: CompletionJobSettings, now = Date.now) {
    this.store = store;
    this.jobs = jobs;
    this.settings = settings;
    this.now = now;
  }

  /** Calls `listener` whenever a job is queued (the in-process worker wakes up). */
  onQueued(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Stops an active session and queues its completion. A session already stopped gets its job
   * queued if it has none yet (a crash between the two writes leaves exactly that). Null when
   * nothing changed.
   */
  async stop(
    session: Session,
    reason: string,
    trigger: Exclude<Trigger, 'recovered'>,
  ): Promise<SessionTransition | null> {
    const transition = await this.store.transitionSession({
      sessionId: session.id,
      from: ['active'],
      to: 'stopped',
      reason,
      at: this.now(),
    });
    if (transition !== null) await this.queueCompletion(session, trigger, transition.at);
    else if ((await this.store.getSession(session.id))?.status === 'stopped')
      await this.queueCompletion(session, trigger, this.now());
    return transition;
  }

  /**
   * Makes an imported session `active`: live capture (watch, hooks) found it being written, so it
   * joins the lifecycle and will be stopped by its agent or for idling. Null when it was not `imported`.
   */
  async activate(session: Session, reason: string): Promise<SessionTransition | null> {
    return this.store.transitionSession({
      sessionId: session.id,
      from: ['imported'],
      to: 'active',
      reason,
      at: this.now(),
    });
  }

  /** Queues the completion of a stopped session, unless a job for it exists already. */
  async queueCompletion(
    session: Session,
    trigger: Trigger,
    stoppedAt: number,
  ): Promise<{ job: Job; created: boolean }> {
    const payload: JobPayload<'session.complete'> = {
      sessionId: session.id,
      projectId: session.projectId,
      trigger,
      stoppedAt,
    };
    const queued = await this.jobs.enqueue({
      kind: 'session.complete',
      key: await this.completionKey(session.id),
      payload,
      priority: priorityOf[trigger],
      maxAttempts: this.settings.maxAttempts,
      backoffMs: this.settings.backoffMs,
      now: this.now(),
    });
    if (queued.created) for (const listener of this.listeners) listener();
    return queued;
  }

  /**
   * One completion job per life of a session: its id, then `<id>#2`, `<id>#3`… for each time new
   * messages reopened it after it was completed (the ingest path records that as completed → active).
   */
  private async completionKey(sessionId: string): Promise<string> {
    const transitions = await this.store.sessionTransitions(sessionId);
    const reopened = transitions.filter((t) => t.from === 'completed' && t.to === 'active').length;
    return reopened === 0 ? sessionId : `${sessionId}#${reopened + 1}`;
  }

  /** Queues completion jobs for stopped sessions that have none (the process died between stop and queue). */
  async recover(): Promise<number> {
    let queued = 0;
    let afterId: string | undefined;
    for (;;) {
      const page = await this.store.sessionsInStatus({
        status: 'stopped',
        limit: recoverPage,
        ...(afterId === undefined ? {} : { afterId }),
      });
      for (const session of page)
        if ((await this.queueCompletion(session, 'recovered', this.now())).created) queued++;
      if (page.length < recoverPage) return queued;
      afterId = page.at(-1)?.id;
    }
  }
}
