import type { PgMigration } from '../migrate.ts';

/** As SQLite's migration 16: titles waiting for their leaf message (`WriteBatch.leafTitles`). */
export const pendingSummaries: PgMigration = {
  version: 16,
  name: 'pending-summaries',
  sql: `
CREATE TABLE pending_summaries (
  project_id BIGINT NOT NULL,
  source TEXT NOT NULL,
  leaf_external_id TEXT NOT NULL,
  title TEXT NOT NULL,
  PRIMARY KEY (project_id, source, leaf_external_id)
);
`,
};
