import type pg from 'pg';
import { jobDefaults, retryDelayMs, type Job, type JobState } from '../../domain/job.ts';
import { jobFromRow, retryAssignments, type JobRowFields } from '../job-rows.ts';
import type { JobClaim, JobFailure, JobListQuery, JobQueue, JobRetryOutcome, NewJob } from '../ports.ts';
import { named } from './named-params.ts';

type JobRow = JobRowFields & { payload: unknown; result: unknown };

const toJob = (row: JobRow): Job => jobFromRow(row, row.payload, row.result);

const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** Only rows a given worker still holds. */
const heldBy = `id = :id AND state = 'running' AND locked_by = :worker`;

/**
 * The job queue in PostgreSQL, shared by every replica. A claim is one UPDATE over a row picked
 * with FOR UPDATE SKIP LOCKED: racing claimers skip each other's rows instead of waiting.
 */
export class PgJobQueue implements JobQueue {
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  async enqueue(job: NewJob): Promise<{ job: Job; created: boolean }> {
    const inserted = await this.one(
      `INSERT INTO jobs (kind, job_key, payload, priority, state, attempts, max_attempts, backoff_ms, run_at,
         created_at, updated_at)
       VALUES (:kind, :key, :payload::jsonb, :priority, 'queued', 0, :maxAttempts, :backoffMs, :runAt, :now, :now)
       ON CONFLICT (kind, job_key) DO NOTHING RETURNING *`,
      {
        kind: job.kind,
        key: job.key,
        payload: JSON.stringify(job.payload),
        priority: job.priority ?? jobDefaults.priority,
        maxAttempts: job.maxAttempts ?? jobDefaults.maxAttempts,
        backoffMs: job.backoffMs ?? jobDefaults.backoffMs,
        runAt: job.runAt ?? job.now,
        now: job.now,
      },
    );
    if (inserted !== null) return { job: inserted, created: true };
    const existing = await this.one('SELECT * FROM jobs WHERE kind = :kind AND job_key = :key', {
      kind: job.kind,
      key: job.key,
    });
    if (existing === null) return this.enqueue(job); // deleted between the two statements: try again
    return { job: existing, created: false };
  }

  async claim(request: JobClaim): Promise<Job | null> {
    if (request.kinds.length === 0) return null;
    // A running job whose lease has ended is claimable like a queued one: its worker is gone.
    return this.one(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = :worker, run_at = :leaseEnd,
         updated_at = :now
       WHERE id = (SELECT id FROM jobs WHERE state IN ('queued', 'running') AND run_at <= :now
                     AND kind = ANY(:kinds::text[]) ORDER BY priority DESC, run_at, id LIMIT 1
                     FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      {
        worker: request.worker,
        now: request.now,
        leaseEnd: request.now + request.leaseMs,
        kinds: request.kinds,
      },
    );
  }

  async extendLease(id: number, worker: string, now: number, leaseMs: number): Promise<boolean> {
    const row = await this.one(
      `UPDATE jobs SET run_at = :until, updated_at = :now WHERE ${heldBy} RETURNING *`,
      {
        id,
        worker,
        now,
        until: now + leaseMs,
      },
    );
    return row !== null;
  }

  async complete(
    id: number,
    worker: string,
    outcome: { now: number; result?: unknown },
  ): Promise<Job | null> {
    return this.one(
      `UPDATE jobs SET state = 'done', locked_by = NULL, result = :result::jsonb, finished_at = :now,
         updated_at = :now
       WHERE ${heldBy} RETURNING *`,
      { id, worker, now: outcome.now, result: jsonOrNull(outcome.result) },
    );
  }

  async fail(id: number, worker: string, failure: JobFailure): Promise<Job | null> {
    const current = await this.get(id);
    if (current === null || current.state !== 'running' || current.lockedBy !== worker) return null;
    const dead = failure.permanent === true || current.attempts >= current.maxAttempts;
    // Another claim since the read (lease ended) changes `attempts`: then this worker holds nothing.
    return this.one(
      `UPDATE jobs SET state = :state, locked_by = NULL, run_at = :runAt, last_error = :error,
         result = COALESCE(:result::jsonb, result), finished_at = :finished, updated_at = :now
       WHERE ${heldBy} AND attempts = :attempts RETURNING *`,
      {
        id,
        worker,
        now: failure.now,
        state: dead ? 'dead' : 'queued',
        runAt: dead ? failure.now : failure.now + retryDelayMs(current.backoffMs, current.attempts),
        error: failure.error,
        result: jsonOrNull(failure.result),
        finished: dead ? failure.now : null,
        attempts: current.attempts,
      },
    );
  }

  async release(id: number, worker: string, now: number): Promise<Job | null> {
    return this.one(
      `UPDATE jobs SET state = 'queued', attempts = attempts - 1, locked_by = NULL, run_at = :now,
         updated_at = :now
       WHERE ${heldBy} RETURNING *`,
      { id, worker, now },
    );
  }

  async retry(id: number, now: number): Promise<JobRetryOutcome> {
    const job = await this.get(id);
    if (job === null) return { status: 'not_found' };
    const revive = retryAssignments(job.state);
    if (revive === null) return { status: 'not_retryable', job };
    const row = await this.one(`UPDATE jobs SET ${revive} WHERE id = :id AND state = :state RETURNING *`, {
      id,
      now,
      state: job.state,
    });
    if (row !== null) return { status: 'retried', job: row };
    return { status: 'not_retryable', job: (await this.get(id)) ?? job };
  }

  async get(id: number): Promise<Job | null> {
    return this.one('SELECT * FROM jobs WHERE id = :id', { id });
  }

  async list(query: JobListQuery): Promise<Job[]> {
    const { text, values } = named(
      `SELECT * FROM jobs WHERE (:state::text IS NULL OR state = :state) AND (:kind::text IS NULL OR kind = :kind)
       ORDER BY id DESC LIMIT :limit`,
      { state: query.state ?? null, kind: query.kind ?? null, limit: query.limit ?? null },
    );
    const { rows } = await this.pool.query<JobRow>(text, values);
    return rows.map(toJob);
  }

  async countByState(): Promise<Record<JobState, number>> {
    const counts: Record<JobState, number> = { queued: 0, running: 0, done: 0, dead: 0 };
    const { rows } = await this.pool.query<{ state: JobState; n: number }>(
      'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state',
    );
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  private async one(sql: string, params: Record<string, unknown>): Promise<Job | null> {
    const { text, values } = named(sql, params);
    const { rows } = await this.pool.query<JobRow>(text, values);
    const row = rows[0];
    return row === undefined ? null : toJob(row);
  }
}
