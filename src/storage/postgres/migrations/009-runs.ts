import type { PgMigration } from '../migrate.ts';

/** Runs launched under `agentlog run` (chain-of-custody ids) and their crash reports, as SQLite's 009. */
export const runs: PgMigration = {
  version: 9,
  name: 'runs',
  sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  chain_id TEXT NOT NULL UNIQUE,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  launch_type TEXT NOT NULL,
  command JSONB NOT NULL,
  cwd TEXT NOT NULL,
  host TEXT NOT NULL,
  config_path TEXT,
  git JSONB,
  meta JSONB NOT NULL DEFAULT '{}',
  session_id TEXT,
  conversation_key TEXT,
  log_key TEXT,
  warnings JSONB NOT NULL DEFAULT '[]',
  status TEXT NOT NULL,
  exit_code INTEGER,
  signal TEXT,
  started_at BIGINT NOT NULL,
  ended_at BIGINT
);
CREATE INDEX runs_project_started ON runs (project_id, started_at);

CREATE TABLE crash_reports (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs(id),
  created_at BIGINT NOT NULL,
  analyzer TEXT NOT NULL,
  signature TEXT NOT NULL,
  json TEXT NOT NULL,
  markdown TEXT NOT NULL
);
CREATE INDEX crash_reports_run ON crash_reports (run_id, created_at);
`,
};
