import type { PgMigration } from '../migrate.ts';

/** As SQLite's migration 16: titles by leaf message (`WriteBatch.leafTitles`). */
export const leafTitles: PgMigration = {
  version: 16,
  name: 'leaf-titles',
  sql: `
CREATE TABLE leaf_titles (
  project_id BIGINT NOT NULL,
  source TEXT NOT NULL,
  leaf_external_id TEXT NOT NULL,
  title TEXT NOT NULL,
  PRIMARY KEY (project_id, source, leaf_external_id)
);
`,
};
