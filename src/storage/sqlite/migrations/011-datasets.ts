import type { Migration } from '../migrate.ts';

/**
 * Training files (src/datasets): the file, its sessions (a junction; a session is in a file at
 * most once), and its builds (numbered versions whose files live in the blob store). A partial
 * index gives a session's domain and tier labels without visiting each of its messages (two
 * entries per message, written at ingest).
 */
export const datasets: Migration = {
  version: 11,
  name: 'datasets',
  sql: `
CREATE TABLE training_files (
  id TEXT PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  name TEXT NOT NULL,
  description TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE training_file_sessions (
  file_id TEXT NOT NULL REFERENCES training_files(id),
  session_id TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (file_id, session_id)
);
CREATE INDEX training_file_sessions_session ON training_file_sessions (session_id);

CREATE TABLE training_file_builds (
  file_id TEXT NOT NULL REFERENCES training_files(id),
  version INTEGER NOT NULL,
  format TEXT NOT NULL,
  digest TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  files TEXT NOT NULL,
  summary TEXT NOT NULL,
  PRIMARY KEY (file_id, version)
);

CREATE INDEX message_labels_session_top ON message_labels (session_id, facet, label)
  WHERE rank = 0 AND facet IN ('domain', 'tier');
`,
};
