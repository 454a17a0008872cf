import type { PgMigration } from '../migrate.ts';

/** The job queue; `run_at` is when a queued job becomes ready, or when a running job's lease ends. */
export const jobs: PgMigration = {
  version: 1,
  name: 'jobs',
  sql: `
CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  job_key TEXT NOT NULL,
  payload JSONB NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  backoff_ms BIGINT NOT NULL,
  run_at BIGINT NOT NULL,
  locked_by TEXT,
  last_error TEXT,
  result JSONB,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT,
  UNIQUE (kind, job_key)
);
CREATE INDEX jobs_claimable ON jobs (priority DESC, run_at, id) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_state ON jobs (state, id);
`,
};
