import type { Migration } from '../migrate.ts';

/**
 * Enrichment (src/enrich): results per (message, enricher) with the enricher's version, labels
 * per facet for counting, each message's most frequent terms, and the project's document
 * frequencies for TF-IDF. Messages stay immutable; all of this can be computed again.
 */
export const enrichment: Migration = {
  version: 5,
  name: 'enrichment',
  sql: `
CREATE TABLE message_enrichments (
  message_id INTEGER NOT NULL,
  enricher TEXT NOT NULL,
  version INTEGER NOT NULL,
  value TEXT,
  error TEXT,
  enriched_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, enricher)
);
CREATE INDEX message_enrichments_version ON message_enrichments (enricher, version);

CREATE TABLE message_labels (
  project_id INTEGER NOT NULL,
  message_id INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  timestamp INTEGER,
  facet TEXT NOT NULL,
  label TEXT NOT NULL,
  rank INTEGER NOT NULL,
  PRIMARY KEY (message_id, facet, label)
);
CREATE INDEX message_labels_facet ON message_labels (project_id, facet, label);

CREATE TABLE message_terms (
  message_id INTEGER NOT NULL,
  term TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (message_id, term)
);

CREATE TABLE term_documents (
  project_id INTEGER NOT NULL,
  term TEXT NOT NULL,
  documents INTEGER NOT NULL,
  PRIMARY KEY (project_id, term)
);

CREATE TABLE corpus_documents (
  project_id INTEGER PRIMARY KEY,
  documents INTEGER NOT NULL
);
`,
};
