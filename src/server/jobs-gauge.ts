import type { JobRuntime } from '../jobs/job-runtime.ts';
import type { GaugeSource } from './server-metrics.ts';

/** `agentlog_jobs{state}`: the persistent queue's jobs by state, read when scraped. */
export function jobsGauge(jobs: Pick<JobRuntime, 'jobsByState'>): GaugeSource {
  return {
    name: 'agentlog_jobs',
    help: 'Jobs in the persistent queue, by state (queued, running, done, dead).',
    collect: async () =>
      Object.entries(await jobs.jobsByState()).map(([state, value]) => ({ labels: { state }, value })),
  };
}
