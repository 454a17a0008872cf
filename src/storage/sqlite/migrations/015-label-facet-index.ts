import type { Migration } from '../migrate.ts';

/**
 * `message_labels_facet` (project, facet, label) served one read, `Store.facetCounts`, which no
 * command, route or report calls (reports count labels from `label_stats`), and it was the most
 * expensive index of the import: ~7.5 label rows per message land in ~50 (facet, label) groups,
 * so every commit dirtied a leaf page of each group. Measured on the 50 MB Claude corpus: 13 % of
 * the bytes written to the WAL (225 → 196 MB) and ~8 % of the writer thread's CPU. Without it,
 * `facetCounts` reads the table in order instead of the index plus one table lookup per label of
 * the facet: for the common facets about the same work, slower only for rare ones. The other
 * readers keep their indexes: by message (primary key: search's domain filter, report edges,
 * retention, revisions), domain labels in message order (012), a session's top labels (011).
 */
export const labelFacetIndex: Migration = {
  version: 15,
  name: 'label-facet-index',
  sql: `
DROP INDEX IF EXISTS message_labels_facet;
`,
};
