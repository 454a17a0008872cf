import type { PgMigration } from '../migrate.ts';

/**
 * Session memory reads a memory session's messages in id order (a partial index on the `memory`
 * source, as SQLite's 008); reports count messages, usage and labels per UTC day from the rows
 * through time indexes; alerts as SQLite's 006.
 */
export const memoryReports: PgMigration = {
  version: 4,
  name: 'memory-reports',
  sql: `
CREATE INDEX messages_memory ON messages (session_id, id) WHERE source = 'memory';
CREATE INDEX messages_time ON messages (project_id, timestamp);
CREATE INDEX message_labels_time ON message_labels (project_id, facet, timestamp);

CREATE TABLE alerts (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  message TEXT NOT NULL,
  value DOUBLE PRECISION,
  threshold DOUBLE PRECISION,
  report TEXT,
  notified_at BIGINT,
  notify_error TEXT
);
CREATE INDEX alerts_project ON alerts (project_id, created_at);
`,
};
