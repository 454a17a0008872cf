import type { EnrichmentFacet, EnrichmentLabel, EnrichmentValues, TermCount } from '../domain/enrichment.ts';
import type { MessageView } from './message-view.ts';

/** The project's document frequencies, loaded before deferred enrichers run (see keywords.ts). */
export type Corpus = { documents: number; frequencies: ReadonlyMap<string, number> };

export type EnrichContext = {
  view: MessageView;
  /** Values of the enrichers that ran before this one on the same message. */
  prior: Partial<EnrichmentValues>;
  corpus: Corpus | null;
};

export type EnrichOutput<V> = { value: V; labels?: EnrichmentLabel[]; terms?: TermCount[] };

/**
 * One enricher: a name, a version (raise it when its output changes, so `agentlog enrich` redoes
 * older results), when it runs, and the facets its labels fill. `ingest` enrichers run on every
 * message before its first write; `deferred` ones (which need the corpus) run in `agentlog enrich`.
 */
export type Enricher<N extends keyof EnrichmentValues = keyof EnrichmentValues> = {
  readonly name: N;
  readonly version: number;
  readonly stage: 'ingest' | 'deferred';
  readonly facets: readonly EnrichmentFacet[];
  enrich(context: EnrichContext): EnrichOutput<EnrichmentValues[N]>;
};
