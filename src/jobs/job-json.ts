import { z } from 'zod';
import { jobStates } from '../domain/job.ts';
import { sessionStatuses } from '../domain/session.ts';

/** The `--json` outputs of `agentlog jobs ...`: a stable contract, evolved by adding fields. */

export const jobResource = z.object({
  id: z.number().int(),
  kind: z.string(),
  key: z.string(),
  payload: z.unknown(),
  priority: z.number().int(),
  state: z.enum(jobStates),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  backoffMs: z.number().int(),
  /** queued: ready from this time; running: the lease ends at this time (epoch ms). */
  runAt: z.number(),
  lockedBy: z.string().nullable(),
  lastError: z.string().nullable(),
  /** What the work reported: for session.complete, `{ stages: [...] }` (jobs/completion-pipeline.ts). */
  result: z.unknown(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
});

const counts = z.object(Object.fromEntries(jobStates.map((s) => [s, z.number().int()])));

/** `jobs list --json` */
export const jobListOutput = z.object({ jobs: z.array(jobResource), counts });

/** `jobs show --json`: for a session.complete job, the session's status and its transitions too. */
export const jobShowOutput = z.object({
  job: jobResource,
  session: z
    .object({
      id: z.string(),
      status: z.enum(sessionStatuses),
      transitions: z.array(
        z.object({
          from: z.enum(sessionStatuses),
          to: z.enum(sessionStatuses),
          reason: z.string(),
          at: z.number(),
        }),
      ),
    })
    .nullable(),
});

/** `jobs retry --json` */
export const jobRetryOutput = z.object({ job: jobResource });

/** `jobs work --json`: stopped sessions found without a job, and what became of each job run. */
export const jobWorkOutput = z.object({
  recovered: z.number().int(),
  processed: z.number().int(),
  done: z.number().int(),
  retrying: z.number().int(),
  dead: z.number().int(),
  released: z.number().int(),
  lost: z.number().int(),
});
