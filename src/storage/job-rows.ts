import type { Job, JobState } from '../domain/job.ts';

/**
 * The jobs table as both job queue adapters read it, and the rules they share. The adapters
 * differ only in how the JSON columns come back (SQLite: text; pg: parsed values).
 */
export type JobRowFields = {
  id: number;
  kind: string;
  job_key: string;
  priority: number;
  state: string;
  attempts: number;
  max_attempts: number;
  backoff_ms: number;
  run_at: number;
  locked_by: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
};

export const jobFromRow = (row: JobRowFields, payload: unknown, result: unknown): Job => ({
  id: row.id,
  kind: row.kind,
  key: row.job_key,
  payload,
  priority: row.priority,
  state: row.state as JobState,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  backoffMs: row.backoff_ms,
  runAt: row.run_at,
  lockedBy: row.locked_by,
  lastError: row.last_error,
  result,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  finishedAt: row.finished_at,
});

/**
 * What `retry` sets on a job in `state` (`:now` bound): a dead job is queued again with fresh
 * attempts, a queued one is made ready now; null for a job that cannot be retried.
 */
export function retryAssignments(state: JobState): string | null {
  if (state === 'dead')
    return `state = 'queued', attempts = 0, run_at = :now, finished_at = NULL, updated_at = :now`;
  if (state === 'queued') return 'run_at = :now, updated_at = :now';
  return null;
}
