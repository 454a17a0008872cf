import type { EnrichmentResult, MessageEnrichment, TermCount } from '../../domain/enrichment.ts';
import { pgJson } from './pg-text.ts';
import type { PgTx } from './pg-tx.ts';

/** Terms kept per message for keyword sums (as SQLite); every distinct term still counts in the frequencies. */
const storedTermsPerMessage = 24;

export type EnrichmentTarget = {
  projectId: number;
  messageId: number;
  sessionId: string;
  timestamp: number | null;
};

type Pending = {
  target: EnrichmentTarget;
  results: Map<string, EnrichmentResult>;
  /** Facets whose labels are replaced, each with its new labels. */
  labels: Map<string, { label: string; rank: number }[]>;
  terms: TermCount[] | null;
};

const topTerms = (terms: readonly TermCount[]) =>
  [...terms].sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : 1)).slice(0, storedTermsPerMessage);

/**
 * Collects the enrichment of a transaction's messages and writes it at `flush` with one statement
 * per table (arrays through `unnest`), not one per row: a message carries a dozen results, labels
 * and terms, and each statement is a round trip to the server. A message written twice keeps the
 * later results, facets and terms, as two writes in a row would leave it.
 */
export class PgEnrichmentWriter {
  private readonly pending = new Map<number, Pending>();
  private readonly documentCounts = new Map<string, number>();
  private documents = 0;

  /** `counted`: the message's terms join the project's document frequencies (first storage only). */
  add(target: EnrichmentTarget, enrichment: MessageEnrichment, counted: boolean): void {
    let entry = this.pending.get(target.messageId);
    if (entry === undefined)
      this.pending.set(
        target.messageId,
        (entry = { target, results: new Map(), labels: new Map(), terms: null }),
      );
    for (const r of enrichment.results) entry.results.set(r.enricher, r);
    for (const facet of enrichment.facets) entry.labels.set(facet, []);
    for (const l of enrichment.labels) {
      let list = entry.labels.get(l.facet);
      if (list === undefined) entry.labels.set(l.facet, (list = []));
      if (!list.some((x) => x.label === l.label)) list.push({ label: l.label, rank: l.rank });
    }
    if (enrichment.terms === null) return;
    entry.terms = topTerms(enrichment.terms);
    if (!counted) return;
    this.documents++;
    for (const term of new Set(enrichment.terms.map((t) => t.term)))
      this.documentCounts.set(term, (this.documentCounts.get(term) ?? 0) + 1);
  }

  async flush(tx: PgTx, projectId: number): Promise<void> {
    const entries = [...this.pending.values()];
    this.pending.clear();
    const now = Date.now();
    const results = entries.flatMap((e) =>
      [...e.results.values()].map((r) => ({ id: e.target.messageId, r })),
    );
    const facets = entries.flatMap((e) =>
      [...e.labels.keys()].map((facet) => ({ id: e.target.messageId, facet })),
    );
    const labels = entries.flatMap((e) =>
      [...e.labels].flatMap(([facet, list]) => list.map((l) => ({ t: e.target, facet, ...l }))),
    );
    const withTerms = entries.filter((e) => e.terms !== null);
    const terms = withTerms.flatMap((e) => (e.terms ?? []).map((t) => ({ id: e.target.messageId, ...t })));
    if (facets.length > 0)
      await tx.q(
        `DELETE FROM message_labels l USING unnest(:ids::bigint[], :facets::text[]) AS d(message_id, facet)
         WHERE l.message_id = d.message_id AND l.facet = d.facet`,
        { ids: facets.map((f) => f.id), facets: facets.map((f) => f.facet) },
      );
    if (withTerms.length > 0)
      await tx.q('DELETE FROM message_terms WHERE message_id = ANY(:ids::bigint[])', {
        ids: withTerms.map((e) => e.target.messageId),
      });
    if (results.length > 0)
      await tx.q(
        `INSERT INTO message_enrichments (message_id, enricher, version, value, error, enriched_at)
         SELECT id, enricher, version, value::jsonb, error, :now
         FROM unnest(:ids::bigint[], :enrichers::text[], :versions::int[], :values::text[], :errors::text[])
           AS r(id, enricher, version, value, error)
         ON CONFLICT (message_id, enricher) DO UPDATE SET version = excluded.version, value = excluded.value,
           error = excluded.error, enriched_at = excluded.enriched_at`,
        {
          now,
          ids: results.map((x) => x.id),
          enrichers: results.map((x) => x.r.enricher),
          versions: results.map((x) => x.r.version),
          values: results.map((x) =>
            x.r.value === null || x.r.value === undefined ? null : pgJson(x.r.value),
          ),
          errors: results.map((x) => x.r.error),
        },
      );
    if (labels.length > 0)
      await tx.q(
        `INSERT INTO message_labels (project_id, message_id, session_id, timestamp, facet, label, rank)
         SELECT * FROM unnest(:projects::bigint[], :ids::bigint[], :sessions::text[], :times::bigint[],
           :facets::text[], :labels::text[], :ranks::int[])
         ON CONFLICT DO NOTHING`,
        {
          projects: labels.map((l) => l.t.projectId),
          ids: labels.map((l) => l.t.messageId),
          sessions: labels.map((l) => l.t.sessionId),
          times: labels.map((l) => l.t.timestamp),
          facets: labels.map((l) => l.facet),
          labels: labels.map((l) => l.label),
          ranks: labels.map((l) => l.rank),
        },
      );
    if (terms.length > 0)
      await tx.q(
        `INSERT INTO message_terms (message_id, term, count)
         SELECT * FROM unnest(:ids::bigint[], :terms::text[], :counts::int[]) ON CONFLICT DO NOTHING`,
        { ids: terms.map((t) => t.id), terms: terms.map((t) => t.term), counts: terms.map((t) => t.count) },
      );
    await this.flushDocuments(tx, projectId);
  }

  /** Forgets what a failed transaction left here. */
  reset(): void {
    this.pending.clear();
    this.documentCounts.clear();
    this.documents = 0;
  }

  private async flushDocuments(tx: PgTx, projectId: number): Promise<void> {
    if (this.documents === 0) return;
    // Sorted, so replicas adding to the same terms lock the rows in one order (no deadlock).
    const counts = [...this.documentCounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    await tx.q(
      `INSERT INTO term_documents (project_id, term, documents)
       SELECT :project, term, n FROM unnest(:terms::text[], :counts::bigint[]) AS d(term, n)
       ON CONFLICT (project_id, term) DO UPDATE SET documents = term_documents.documents + excluded.documents`,
      { project: projectId, terms: counts.map(([t]) => t), counts: counts.map(([, n]) => n) },
    );
    await tx.q(
      `INSERT INTO corpus_documents (project_id, documents) VALUES (:project, :n)
       ON CONFLICT (project_id) DO UPDATE SET documents = corpus_documents.documents + excluded.documents`,
      { project: projectId, n: this.documents },
    );
    this.documentCounts.clear();
    this.documents = 0;
  }
}
