import type { PgMigration } from '../migrate.ts';

/**
 * Enrichment, as SQLite's 005: results per (message, enricher) with the enricher's version, labels
 * per facet for counting, each message's most frequent terms, and the project's document
 * frequencies for TF-IDF. Reports count labels and terms from these rows (no aggregate tables).
 */
export const enrichment: PgMigration = {
  version: 3,
  name: 'enrichment',
  sql: `
CREATE TABLE message_enrichments (
  message_id BIGINT NOT NULL,
  enricher TEXT NOT NULL,
  version INTEGER NOT NULL,
  value JSONB,
  error TEXT,
  enriched_at BIGINT NOT NULL,
  PRIMARY KEY (message_id, enricher)
);
CREATE INDEX message_enrichments_version ON message_enrichments (enricher, version);

CREATE TABLE message_labels (
  project_id BIGINT NOT NULL,
  message_id BIGINT NOT NULL,
  session_id TEXT NOT NULL,
  timestamp BIGINT,
  facet TEXT NOT NULL,
  label TEXT NOT NULL,
  rank INTEGER NOT NULL,
  PRIMARY KEY (message_id, facet, label)
);
CREATE INDEX message_labels_facet ON message_labels (project_id, facet, label);
CREATE INDEX message_labels_session ON message_labels (session_id, facet) WHERE rank = 0;

CREATE TABLE message_terms (
  message_id BIGINT NOT NULL,
  term TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (message_id, term)
);

CREATE TABLE term_documents (
  project_id BIGINT NOT NULL,
  term TEXT NOT NULL,
  documents BIGINT NOT NULL,
  PRIMARY KEY (project_id, term)
);

CREATE TABLE corpus_documents (
  project_id BIGINT PRIMARY KEY,
  documents BIGINT NOT NULL
);
`,
};
