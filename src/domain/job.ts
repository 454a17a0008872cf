/**
 * A unit of background work in the persistent queue (storage/ports.ts `JobQueue`).
 *
 * queued  waiting; claimable once `runAt` has passed (a retry waits out its backoff here)
 * running claimed by `lockedBy` until `runAt` (the lease); an expired lease makes it claimable again
 * done    finished; `result` holds what the work reported
 * dead    failed for good (permanently, or out of attempts); `lastError` says why; `jobs retry` revives it
 */
export const jobStates = ['queued', 'running', 'done', 'dead'] as const;
export type JobState = (typeof jobStates)[number];

export function isJobState(value: string): value is JobState {
  return (jobStates as readonly string[]).includes(value);
}

export type Job = {
  id: number;
  kind: string;
  /** The natural key: one job per (kind, key), so enqueueing the same work twice adds nothing. */
  key: string;
  /** JSON, checked against the kind's schema (jobs/job-payloads.ts) when the job runs. */
  payload: unknown;
  /** Higher runs first; equal priorities run oldest first. */
  priority: number;
  state: JobState;
  /** Claims so far (a claim whose worker vanished counts too). */
  attempts: number;
  maxAttempts: number;
  /** The first retry waits this long; each further one twice as long as the one before. */
  backoffMs: number;
  /** queued: not before this time (epoch ms); running: the lease ends at this time. */
  runAt: number;
  lockedBy: string | null;
  lastError: string | null;
  result: unknown;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
};

/** What a job gets when its enqueue leaves a setting out. */
export const jobDefaults = { priority: 0, maxAttempts: 5, backoffMs: 5000 } as const;

/** The longest a retry waits, however many attempts came before. */
const maxRetryDelayMs = 6 * 60 * 60 * 1000;

/** Exponential backoff: the wait before the retry that follows attempt `attempts` (1-based). */
export function retryDelayMs(backoffMs: number, attempts: number): number {
  return Math.min(backoffMs * 2 ** Math.max(0, attempts - 1), maxRetryDelayMs);
}
