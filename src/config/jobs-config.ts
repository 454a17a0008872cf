import { z } from 'zod';

/** The job queue's worker and the session completion pipeline (src/jobs/). */
export const jobsSchema = z
  .object({
    /** Run the worker inside `agentlog serve`; off, run `agentlog jobs work` (or `--once` from cron). */
    workInServer: z.boolean().default(true),
    /** How often an idle worker looks for ready jobs (work queued in the same process wakes it at once). */
    pollMs: z.number().int().min(10).max(60_000).default(1000),
    /** A claimed job is the worker's this long, renewed between stages; then another worker may take it. */
    leaseSeconds: z.number().int().min(1).default(300),
    /** Attempts before a job is dead (kept with its last error until `agentlog jobs retry`). */
    maxAttempts: z.number().int().min(1).max(100).default(5),
    /** The wait before the first retry; each further retry waits twice as long. */
    backoffMs: z.number().int().min(0).default(5000),
    /** The validate stage's rule for a tool call that no result answers: fail the session, or count it. */
    unansweredToolCalls: z.enum(['fail', 'warn']).default('fail'),
  })
  .prefault({});

export type JobsConfig = z.infer<typeof jobsSchema>;
