import type { PgMigration } from '../migrate.ts';

/**
 * Training files, as SQLite's 011: the file, its sessions (a junction; a session is in a file at
 * most once) and its builds (numbered versions whose files live in the blob store). The build's
 * file list and summary are kept as the JSON text written. A session's top domain and tier come
 * from message_labels' own session index (003), which SQLite needed a new index for.
 */
export const datasets: PgMigration = {
  version: 11,
  name: 'datasets',
  sql: `
CREATE TABLE training_files (
  id TEXT PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  name TEXT NOT NULL,
  description TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE training_file_sessions (
  file_id TEXT NOT NULL REFERENCES training_files(id),
  session_id TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (file_id, session_id)
);
CREATE INDEX training_file_sessions_session ON training_file_sessions (session_id);

CREATE TABLE training_file_builds (
  file_id TEXT NOT NULL REFERENCES training_files(id),
  version INTEGER NOT NULL,
  format TEXT NOT NULL,
  digest TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  files TEXT NOT NULL,
  summary TEXT NOT NULL,
  PRIMARY KEY (file_id, version)
);
`,
};
