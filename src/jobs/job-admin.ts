import type { z } from 'zod';
import type { Agentlog } from '../agentlog.ts';
import { AgentlogError } from '../domain/errors.ts';
import type { Job } from '../domain/job.ts';
import type { JobListQuery } from '../storage/ports.ts';
import type { jobListOutput, jobShowOutput, jobWorkOutput } from './job-json.ts';
import { jobPayloadSchemas } from './job-payloads.ts';
import { createLifecycle, createWorker } from './job-runtime.ts';
import type { WorkerLog } from './job-worker.ts';

/** What `agentlog jobs ...` does, over an opened agentlog. */

type Core = Pick<Agentlog, 'store' | 'jobs' | 'config'>;

export async function listJobs(core: Core, query: JobListQuery): Promise<z.infer<typeof jobListOutput>> {
  return { jobs: await core.jobs.list(query), counts: await core.jobs.countByState() };
}

export async function requireJob(core: Core, id: number): Promise<Job> {
  const job = await core.jobs.get(id);
  if (job === null)
    throw new AgentlogError('NOT_FOUND', `There is no job ${id}.`, { hint: 'See `npx agentlog jobs list`.' });
  return job;
}

export async function showJob(core: Core, id: number): Promise<z.infer<typeof jobShowOutput>> {
  const job = await requireJob(core, id);
  const payload = jobPayloadSchemas['session.complete'].safeParse(job.payload);
  if (job.kind !== 'session.complete' || !payload.success) return { job, session: null };
  const session = await core.store.getSession(payload.data.sessionId);
  if (session === null) return { job, session: null };
  const transitions = (await core.store.sessionTransitions(session.id)).map(({ from, to, reason, at }) => ({
    from,
    to,
    reason,
    at,
  }));
  return { job, session: { id: session.id, status: session.status, transitions } };
}

/** Queues a dead job again with fresh attempts (or runs a waiting one now). */
export async function retryJob(core: Core, id: number): Promise<Job> {
  const outcome = await core.jobs.retry(id, Date.now());
  switch (outcome.status) {
    case 'retried':
      return outcome.job;
    case 'not_found':
      throw new AgentlogError('NOT_FOUND', `There is no job ${id}.`, {
        hint: 'See `npx agentlog jobs list`.',
      });
    case 'not_retryable':
      throw new AgentlogError(
        'CONFLICT',
        `Job ${id} is ${outcome.job.state}; only a dead job, or one waiting to retry, can be retried.`,
        { hint: outcome.job.state === 'running' ? 'Wait for it to finish.' : undefined },
      );
    default:
      return outcome satisfies never;
  }
}

/** Queues what a crash left unqueued, then runs every ready job once (`jobs work --once`). */
export async function workOnce(core: Core, log: WorkerLog): Promise<z.infer<typeof jobWorkOutput>> {
  const recovered = await createLifecycle(core).recover();
  const summary = await createWorker(core).drain(log);
  return { recovered, ...summary };
}
