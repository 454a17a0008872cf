import type { Migration } from '../migrate.ts';

/** API keys (stored hashed) and the history of session status changes. */
export const apiKeys: Migration = {
  version: 2,
  name: 'api-keys',
  sql: `
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  name TEXT,
  scopes TEXT NOT NULL,
  secret_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX api_keys_project ON api_keys (project_id);

CREATE TABLE session_transitions (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX session_transitions_session ON session_transitions (session_id, id);
CREATE INDEX sessions_status ON sessions (project_id, status);
`,
};
