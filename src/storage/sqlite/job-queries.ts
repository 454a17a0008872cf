import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { jobDefaults, retryDelayMs, type Job, type JobState } from '../../domain/job.ts';
import { jobFromRow, retryAssignments, type JobRowFields } from '../job-rows.ts';
import type { JobClaim, JobFailure, JobListQuery, JobQueue, JobRetryOutcome, NewJob } from '../ports.ts';

type JobRow = JobRowFields & { payload: string; result: string | null };

const toJob = (row: JobRow): Job =>
  jobFromRow(row, JSON.parse(row.payload), row.result === null ? null : JSON.parse(row.result));

const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Only rows a given worker still holds. */
const heldBy = 'id = :id AND state = :running AND locked_by = :worker';

/**
 * The job queue in the store's SQLite database (same connection: node:sqlite is synchronous, so
 * every statement here is atomic and a claim is one UPDATE ... RETURNING).
 */
export class SqliteJobQueue implements JobQueue {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  async enqueue(job: NewJob): Promise<{ job: Job; created: boolean }> {
    const inserted = this.db
      .prepare(
        `INSERT INTO jobs (kind, job_key, payload, priority, state, attempts, max_attempts, backoff_ms, run_at,
           created_at, updated_at)
         VALUES (:kind, :key, :payload, :priority, 'queued', 0, :maxAttempts, :backoffMs, :runAt, :now, :now)
         ON CONFLICT (kind, job_key) DO NOTHING RETURNING *`,
      )
      .get({
        kind: job.kind,
        key: job.key,
        payload: JSON.stringify(job.payload),
        priority: job.priority ?? jobDefaults.priority,
        maxAttempts: job.maxAttempts ?? jobDefaults.maxAttempts,
        backoffMs: job.backoffMs ?? jobDefaults.backoffMs,
        runAt: job.runAt ?? job.now,
        now: job.now,
      }) as JobRow | undefined;
    if (inserted !== undefined) return { job: toJob(inserted), created: true };
    const existing = this.db
      .prepare('SELECT * FROM jobs WHERE kind = ? AND job_key = ?')
      .get(job.kind, job.key) as JobRow;
    return { job: toJob(existing), created: false };
  }

  async claim(request: JobClaim): Promise<Job | null> {
    if (request.kinds.length === 0) return null;
    const kinds = request.kinds.map((_, i) => `:kind${i}`).join(', ');
    const params: Record<string, SQLInputValue> = {
      worker: request.worker,
      now: request.now,
      leaseEnd: request.now + request.leaseMs,
    };
    request.kinds.forEach((kind, i) => (params[`kind${i}`] = kind));
    // A running job whose lease has ended is claimable like a queued one: its worker is gone.
    const row = this.db
      .prepare(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = :worker, run_at = :leaseEnd,
           updated_at = :now
         WHERE id = (SELECT id FROM jobs WHERE state IN ('queued', 'running') AND run_at <= :now
                       AND kind IN (${kinds}) ORDER BY priority DESC, run_at, id LIMIT 1)
         RETURNING *`,
      )
      .get(params) as JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }

  async extendLease(id: number, worker: string, now: number, leaseMs: number): Promise<boolean> {
    const result = this.db
      .prepare(`UPDATE jobs SET run_at = :until, updated_at = :now WHERE ${heldBy}`)
      .run({ id, worker, running: 'running', now, until: now + leaseMs });
    return Number(result.changes) > 0;
  }

  async complete(
    id: number,
    worker: string,
    outcome: { now: number; result?: unknown },
  ): Promise<Job | null> {
    return this.updateHeld(
      `state = 'done', locked_by = NULL, result = :result, finished_at = :now, updated_at = :now`,
      { id, worker, now: outcome.now, result: jsonOrNull(outcome.result) },
    );
  }

  async fail(id: number, worker: string, failure: JobFailure): Promise<Job | null> {
    const current = await this.get(id);
    if (current === null || current.state !== 'running' || current.lockedBy !== worker) return null;
    const dead = failure.permanent === true || current.attempts >= current.maxAttempts;
    return this.updateHeld(
      `state = :state, locked_by = NULL, run_at = :runAt, last_error = :error,
       result = COALESCE(:result, result), finished_at = :finished, updated_at = :now`,
      {
        id,
        worker,
        now: failure.now,
        state: dead ? 'dead' : 'queued',
        runAt: dead ? failure.now : failure.now + retryDelayMs(current.backoffMs, current.attempts),
        error: failure.error,
        result: jsonOrNull(failure.result),
        finished: dead ? failure.now : null,
      },
      // Another claim since the read (lease ended) changes `attempts`: then this worker holds nothing.
      'attempts = :attempts',
      { attempts: current.attempts },
    );
  }

  async release(id: number, worker: string, now: number): Promise<Job | null> {
    return this.updateHeld(
      `state = 'queued', attempts = attempts - 1, locked_by = NULL, run_at = :now, updated_at = :now`,
      { id, worker, now },
    );
  }

  async retry(id: number, now: number): Promise<JobRetryOutcome> {
    const job = await this.get(id);
    if (job === null) return { status: 'not_found' };
    const revive = retryAssignments(job.state);
    if (revive === null) return { status: 'not_retryable', job };
    const row = this.db
      .prepare(`UPDATE jobs SET ${revive} WHERE id = :id AND state = :state RETURNING *`)
      .get({ id, now, state: job.state }) as JobRow | undefined;
    if (row !== undefined) return { status: 'retried', job: toJob(row) };
    return { status: 'not_retryable', job: (await this.get(id)) ?? job };
  }

  async get(id: number): Promise<Job | null> {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }

  async list(query: JobListQuery): Promise<Job[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM jobs WHERE (:state IS NULL OR state = :state) AND (:kind IS NULL OR kind = :kind)
         ORDER BY id DESC LIMIT :limit`,
      )
      .all({ state: query.state ?? null, kind: query.kind ?? null, limit: query.limit ?? -1 }) as JobRow[];
    return rows.map(toJob);
  }

  async countByState(): Promise<Record<JobState, number>> {
    const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, dead: 0 };
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as {
      state: JobState;
      n: number;
    }[];
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  private updateHeld(
    set: string,
    params: Record<string, SQLInputValue> & { id: number; worker: string },
    extraCondition = '1 = 1',
    extraParams: Record<string, SQLInputValue> = {},
  ): Job | null {
    const row = this.db
      .prepare(`UPDATE jobs SET ${set} WHERE ${heldBy} AND ${extraCondition} RETURNING *`)
      .get({ ...params, ...extraParams, running: 'running' }) as JobRow | undefined;
    return row === undefined ? null : toJob(row);
  }
}
