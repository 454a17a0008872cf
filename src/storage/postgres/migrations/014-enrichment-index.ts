import type { PgMigration } from '../migrate.ts';

/**
 * As SQLite's migration 14: every read of `message_enrichments` goes by message (its primary
 * key); the `(enricher, version)` index served no query and cost an entry per result written.
 */
export const enrichmentIndex: PgMigration = {
  version: 14,
  name: 'enrichment-index',
  sql: `
DROP INDEX IF EXISTS message_enrichments_version;
`,
};
