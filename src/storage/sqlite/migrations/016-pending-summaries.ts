import type { Migration } from '../migrate.ts';

/**
 * Titles waiting for their message (`WriteBatch.leafTitles`): a Claude `summary` names the
 * conversation by a leaf message that may sit in a file imported later. One row per leaf, removed
 * when the message is written; few rows (summaries whose leaf was never imported stay).
 */
export const pendingSummaries: Migration = {
  version: 16,
  name: 'pending-summaries',
  sql: `
CREATE TABLE pending_summaries (
  project_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  leaf_external_id TEXT NOT NULL,
  title TEXT NOT NULL,
  PRIMARY KEY (project_id, source, leaf_external_id)
) WITHOUT ROWID;
`,
};
