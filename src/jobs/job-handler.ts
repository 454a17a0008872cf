import type { Job } from '../domain/job.ts';
import type { JobKind } from './job-payloads.ts';

/** What a running job may ask of its worker. */
export type JobControl = {
  attempt: number;
  maxAttempts: number;
  /** True once the worker is stopping: finish the step in flight, then give the job back. */
  shouldStop(): boolean;
  /** Renews the worker's lease on the job; throws when the job is no longer the worker's. */
  renewLease(): Promise<void>;
};

/** How a job ended: finished, failed (retried unless permanent or out of attempts), or given back unfinished. */
export type JobOutcome =
  | { status: 'done'; result: unknown }
  | { status: 'failed'; error: string; permanent: boolean; result?: unknown }
  | { status: 'released' };

/**
 * The work behind one kind of job. `run` parses the payload with the kind's schema
 * (jobs/job-payloads.ts) and never leaves its subject half-done: every way out is an outcome.
 */
export type JobHandler = {
  kind: JobKind;
  run(job: Job, control: JobControl): Promise<JobOutcome>;
  /** The job will not run again (its worker vanished during its last attempt): settle its subject. */
  abandon(job: Job, error: string): Promise<void>;
};
