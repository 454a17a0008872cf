import type { Migration } from '../migrate.ts';

/**
 * Titles by leaf message (`WriteBatch.leafTitles`): a Claude `summary` names a conversation by a
 * leaf message that may be in a file imported later, and in several files (a resumed session
 * copies its history into a new one). Kept, so a session writing the leaf later is titled too;
 * one short row per summary line.
 */
export const leafTitles: Migration = {
  version: 16,
  name: 'leaf-titles',
  sql: `
CREATE TABLE leaf_titles (
  project_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  leaf_external_id TEXT NOT NULL,
  title TEXT NOT NULL,
  PRIMARY KEY (project_id, source, leaf_external_id)
) WITHOUT ROWID;
`,
};
