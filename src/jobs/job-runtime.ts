import type { JobsConfig } from '../config/jobs-config.ts';
import type { JobState } from '../domain/job.ts';
import type { JobQueue, Store } from '../storage/ports.ts';
import { createCompletionHandler } from './complete-session.ts';
import { InactivityMonitor } from './inactivity-monitor.ts';
import { JobWorker, type WorkerLog } from './job-worker.ts';
import { SessionLifecycle } from './session-lifecycle.ts';

export type JobRuntimeDeps = {
  store: Store;
  jobs: JobQueue;
  config: { jobs: JobsConfig; server: { inactivitySeconds: number } };
};

/** The session lifecycle, the job worker and the inactivity monitor, built from one configuration. */
export type JobRuntime = {
  lifecycle: SessionLifecycle;
  worker: JobWorker;
  monitor: InactivityMonitor;
  jobsByState(): Promise<Record<JobState, number>>;
  /** Queues what a crash left unqueued, then starts the worker (unless `jobs.workInServer` is off) and the monitor. */
  start(log: WorkerLog): Promise<void>;
  /** Stops the monitor and the worker; the job in flight finishes its stage and is given back. */
  close(): Promise<void>;
};

export function createWorker(deps: JobRuntimeDeps): JobWorker {
  const { jobs: settings } = deps.config;
  return new JobWorker(deps.jobs, [createCompletionHandler({ store: deps.store, settings })], {
    pollMs: settings.pollMs,
    leaseMs: settings.leaseSeconds * 1000,
  });
}

export function createLifecycle(deps: JobRuntimeDeps): SessionLifecycle {
  const { maxAttempts, backoffMs } = deps.config.jobs;
  return new SessionLifecycle(deps.store, deps.jobs, { maxAttempts, backoffMs });
}

export function createJobRuntime(deps: JobRuntimeDeps): JobRuntime {
  const lifecycle = createLifecycle(deps);
  const worker = createWorker(deps);
  lifecycle.onQueued(() => worker.wake());
  const monitor = new InactivityMonitor(deps.store, lifecycle, deps.config.server.inactivitySeconds * 1000);
  return {
    lifecycle,
    worker,
    monitor,
    jobsByState: () => deps.jobs.countByState(),
    async start(log) {
      const recovered = await lifecycle.recover();
      if (recovered > 0) log.info({ recovered }, `queued completion jobs for ${recovered} stopped sessions`);
      if (deps.config.jobs.workInServer) worker.start(log);
      monitor.start(log);
    },
    async close() {
      await monitor.stop();
      await worker.stop();
    },
  };
}
