import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job } from '../domain/job.ts';
import type { JobQueue } from '../storage/ports.ts';
import type { JobControl, JobHandler, JobOutcome } from './job-handler.ts';

export type WorkerSettings = {
  /** How long an idle worker waits before looking for ready jobs again (a wake-up cuts it short). */
  pollMs: number;
  leaseMs: number;
};

/** The subset of a pino logger the worker writes to. */
export type WorkerLog = {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
};

/** What became of one claimed job. `lost`: its lease ended and another worker holds it now. */
export type JobEnd = 'done' | 'retrying' | 'dead' | 'released' | 'lost';

export type WorkSummary = Record<JobEnd, number> & { processed: number };

const silent: WorkerLog = { info: () => {}, warn: () => {}, error: () => {} };

class LeaseLost extends Error {}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Claims ready jobs one at a time and runs each with its kind's handler. Runs as a loop inside
 * the server (`start`) or until nothing is ready (`drain`, for `agentlog jobs work --once`).
 * `stop` stops claiming; the job in flight finishes its current step and is given back.
 */
export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly jobs: JobQueue;
  private readonly handlers: ReadonlyMap<string, JobHandler>;
  private readonly settings: WorkerSettings;
  private readonly now: () => number;
  private log: WorkerLog = silent;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private current: Promise<JobEnd | null> | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(jobs: JobQueue, handlers: readonly JobHandler[], settings: WorkerSettings, now = Date.now) {
    this.jobs = jobs;
    this.handlers = new Map(handlers.map((h) => [h.kind, h]));
    this.settings = settings;
    this.now = now;
  }

  start(log: WorkerLog = silent): void {
    if (this.loop !== null) return;
    this.log = log;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Looks for work now instead of at the next poll (a job was just queued in this process). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Runs ready jobs until none is left (jobs waiting out a backoff are not waited for). */
  async drain(log: WorkerLog = silent): Promise<WorkSummary> {
    this.log = log;
    const summary: WorkSummary = { processed: 0, done: 0, retrying: 0, dead: 0, released: 0, lost: 0 };
    while (!this.stopping) {
      const end = await this.runOne();
      if (end === null) break;
      summary.processed++;
      summary[end]++;
    }
    return summary;
  }

  /** Stops claiming; resolves when the job in flight has finished its step and been settled. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    await this.current;
    this.loop = null;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let end: JobEnd | null = null;
      try {
        end = await this.runOne();
      } catch (error) {
        this.log.error({ err: error }, 'job worker: the queue failed; trying again after the poll interval');
      }
      if (end === null && !this.stopping) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wakeUp?.(), this.settings.pollMs);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  private async runOne(): Promise<JobEnd | null> {
    this.current = this.claimAndRun();
    try {
      return await this.current;
    } finally {
      this.current = null;
    }
  }

  /** Claims one ready job and settles it; null when none is ready. */
  private async claimAndRun(): Promise<JobEnd | null> {
    const job = await this.jobs.claim({
      worker: this.id,
      now: this.now(),
      leaseMs: this.settings.leaseMs,
      kinds: [...this.handlers.keys()],
    });
    if (job === null) return null;
    const handler = this.handlers.get(job.kind)!;
    const outcome = await this.attempt(handler, job);
    const end = await this.settle(job, outcome);
    const fields = { job: job.id, kind: job.kind, attempt: job.attempts, end };
    if (end === 'done' || end === 'released') this.log.info(fields, `job ${job.id} ${end}`);
    else
      this.log.warn(
        { ...fields, error: outcome.status === 'failed' ? outcome.error : undefined },
        `job ${job.id} ${end}`,
      );
    return end;
  }

  private async attempt(handler: JobHandler, job: Job): Promise<JobOutcome> {
    // The previous claim used the last attempt and its worker vanished: do not run it again.
    if (job.attempts > job.maxAttempts) {
      const error = `its worker stopped during the last of ${job.maxAttempts} attempts (the lease ended)`;
      await handler.abandon(job, error);
      return { status: 'failed', error, permanent: true };
    }
    let leaseEnd = job.runAt;
    const control: JobControl = {
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      shouldStop: () => this.stopping,
      renewLease: async () => {
        const now = this.now();
        // Each renewal is a commit: only once half the lease has passed.
        if (leaseEnd - now > this.settings.leaseMs / 2) return;
        if (!(await this.jobs.extendLease(job.id, this.id, now, this.settings.leaseMs)))
          throw new LeaseLost(`job ${job.id} is no longer this worker's (its lease ended)`);
        leaseEnd = now + this.settings.leaseMs;
      },
    };
    try {
      return await handler.run(job, control);
    } catch (error) {
      return { status: 'failed', error: messageOf(error), permanent: false };
    }
  }

  private async settle(job: Job, outcome: JobOutcome): Promise<JobEnd> {
    const now = this.now();
    switch (outcome.status) {
      case 'done':
        return (await this.jobs.complete(job.id, this.id, { now, result: outcome.result })) ? 'done' : 'lost';
      case 'released':
        return (await this.jobs.release(job.id, this.id, now)) ? 'released' : 'lost';
      case 'failed': {
        const failed = await this.jobs.fail(job.id, this.id, {
          now,
          error: outcome.error,
          permanent: outcome.permanent,
          ...(outcome.result === undefined ? {} : { result: outcome.result }),
        });
        if (failed === null) return 'lost';
        return failed.state === 'dead' ? 'dead' : 'retrying';
      }
      default:
        return outcome satisfies never;
    }
  }
}
