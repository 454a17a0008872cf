import type {
  EnrichmentFacet,
  EnrichmentLabel,
  EnrichmentResult,
  EnrichmentValues,
  MessageEnrichment,
  TermCount,
} from '../domain/enrichment.ts';
import type { Corpus, Enricher } from './enricher.ts';
import { MessageView, type EnrichableMessage } from './message-view.ts';

/**
 * Runs enrichers over one message, in order (later ones read earlier values). An enricher that
 * throws is recorded as failed (its error, a `failed` label) and the others still run: enrichment
 * never fails an ingest.
 */
export function runEnrichers(
  enrichers: readonly Enricher[],
  message: EnrichableMessage,
  corpus: Corpus | null = null,
): MessageEnrichment {
  const results: EnrichmentResult[] = [];
  const labels: EnrichmentLabel[] = [];
  const facets = new Set<EnrichmentFacet>(['failed']);
  const prior: Partial<EnrichmentValues> = {};
  let terms: TermCount[] | null = null;
  let view: MessageView;
  try {
    view = new MessageView(message);
  } catch (error) {
    for (const e of enrichers) results.push(failure(e, error));
    return { results, labels: enrichers.map((e) => failedLabel(e.name)), facets: [...facets], terms };
  }
  for (const enricher of enrichers) {
    for (const facet of enricher.facets) facets.add(facet);
    try {
      const out = enricher.enrich({ view, prior, corpus });
      (prior as Record<string, unknown>)[enricher.name] = out.value;
      results.push({ enricher: enricher.name, version: enricher.version, value: out.value, error: null });
      if (out.labels) labels.push(...out.labels);
      if (out.terms) terms = out.terms;
    } catch (error) {
      results.push(failure(enricher, error));
      labels.push(failedLabel(enricher.name));
    }
  }
  return { results, labels, facets: [...facets], terms };
}

function failure(enricher: Enricher, error: unknown): EnrichmentResult {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { enricher: enricher.name, version: enricher.version, value: null, error: reason.slice(0, 500) };
}

function failedLabel(name: string): EnrichmentLabel {
  return { facet: 'failed', label: name, rank: 0 };
}
