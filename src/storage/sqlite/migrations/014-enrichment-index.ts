import type { Migration } from '../migrate.ts';

/**
 * Every read of `message_enrichments` goes by message (its primary key): the re-enrichment scan
 * asks per message whether an enricher's result is current, reads fetch a page of messages'
 * results. The `(enricher, version)` index of migration 005 served no query and cost an entry per
 * result written, nine per message at ingest.
 */
export const enrichmentIndex: Migration = {
  version: 14,
  name: 'enrichment-index',
  sql: `
DROP INDEX IF EXISTS message_enrichments_version;
`,
};
