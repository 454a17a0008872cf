import type { Migration } from '../migrate.ts';

/**
 * What the store needs to tell copies of one response apart (UsageCopyRules): which copy is
 * secondary, a weight to break ties, and per replay group whether it has a primary row and which
 * row stands for its secondary ones.
 */
export const usageCopies: Migration = {
  version: 3,
  name: 'usage-copies',
  sql: `
ALTER TABLE usage ADD COLUMN secondary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage ADD COLUMN weight REAL NOT NULL DEFAULT 0;

CREATE TABLE usage_replay_groups (
  project_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  group_key TEXT NOT NULL,
  has_primary INTEGER NOT NULL DEFAULT 0,
  secondary_key TEXT,
  PRIMARY KEY (project_id, source, group_key)
) WITHOUT ROWID;
CREATE INDEX usage_replay_groups_secondary ON usage_replay_groups (project_id, source, secondary_key)
  WHERE secondary_key IS NOT NULL;
`,
};
