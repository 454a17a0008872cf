import type { Migration } from '../migrate.ts';

/**
 * The persistent job queue. `run_at` is when a queued job becomes ready, or when a running job's
 * lease ends; one partial index serves the claim (ready jobs by priority, then age).
 */
export const jobs: Migration = {
  version: 4,
  name: 'jobs',
  sql: `
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  job_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  backoff_ms INTEGER NOT NULL,
  run_at INTEGER NOT NULL,
  locked_by TEXT,
  last_error TEXT,
  result TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  UNIQUE (kind, job_key)
);
CREATE INDEX jobs_claimable ON jobs (priority DESC, run_at, id) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_state ON jobs (state, id);
`,
};
