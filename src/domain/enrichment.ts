/**
 * What enrichment says about a message (see src/enrich): one result per enricher, each with the
 * enricher's version so results of an older version can be computed again, plus labels (facets)
 * that reports count and term counts that keyword scoring sums.
 */

export const domainCategories = [
  'system_architecture',
  'ui_ux',
  'agent_collaboration',
  'testing_validation',
  'data_pipeline',
  'infrastructure_devops',
  'security',
  'documentation',
  'debugging',
  'performance',
  'other',
] as const;
/** The built-in domains; users may add their own in config, so stored values are plain strings. */
export type DomainCategory = (typeof domainCategories)[number];

export const aceTiers = ['architectural', 'collaborative', 'execution'] as const;
export type AceTier = (typeof aceTiers)[number];

/** Kinds of label stored per message for counting: one row per (message, facet, label). */
export const enrichmentFacets = [
  'domain',
  'tier',
  'tag',
  'tool',
  'tool_error',
  'language',
  'redacted',
  'failed',
] as const;
export type EnrichmentFacet = (typeof enrichmentFacets)[number];

/** The value each enricher stores, by enricher name. */
export type EnrichmentValues = {
  /** Domains that matched, best first (the chain); `other` alone when none did. */
  domain: { chain: string[]; scores: Record<string, number> };
  tier: { tier: AceTier };
  /** SHL tags: `@Status-…`, `@Chain-…`, `@Tier-…`. */
  tags: { tags: string[] };
  /** TF-IDF against the project's corpus when enriched; computed by `agentlog enrich`. */
  keywords: { keywords: { term: string; score: number }[] };
  /** Words counted for TF-IDF (the terms themselves are stored apart, see MessageEnrichment). */
  terms: { distinct: number; words: number };
  /** sha256 of the message's (redacted) text and blocks, for exact-duplicate detection. */
  hash: { sha256: string };
  /** o200k_base tokens; `estimated` when the text was too large to count exactly. */
  tokens: { tokens: number; encoding: string; estimated: boolean };
  /**
   * ISO 639-1 code (`und` when undetermined: too little prose, or only code and logs), the
   * dominant Unicode script (`none` without letters), and how sure the guess is (0 to 1).
   */
  language: { language: string; script: string; confidence: number };
  /**
   * Tool calls made and tool results seen in the message. A result names its tool when the call
   * was seen earlier in the same ingest (null otherwise).
   */
  tools: {
    calls: { name: string; id: string }[];
    results: { id: string; name: string | null; failed: boolean }[];
  };
  /**
   * What redaction did before the message was first stored (recorded at ingest only): findings by
   * kind in the message, and in the raw record it came from (on the record's first message).
   */
  redaction: {
    policy: RedactionPolicy;
    counts: Record<string, number>;
    raw: Record<string, number>;
    dropped: boolean;
  };
};
export type EnricherName = keyof EnrichmentValues;

export const redactionPolicies = ['off', 'mask', 'drop-message'] as const;
export type RedactionPolicy = (typeof redactionPolicies)[number];

/** One enricher's result for one message. `value` is null when the enricher failed; `error` says why. */
export type EnrichmentResult = {
  enricher: string;
  version: number;
  value: unknown;
  error: string | null;
};

export type EnrichmentLabel = { facet: EnrichmentFacet; label: string; rank: number };

export type TermCount = { term: string; count: number };

/** Everything enrichment attaches to one message, written with it (or over its older results). */
export type MessageEnrichment = {
  results: EnrichmentResult[];
  /** Replace these facets' labels (the facets of the enrichers that ran). */
  labels: EnrichmentLabel[];
  facets: EnrichmentFacet[];
  /**
   * The message's most frequent terms, or null when the terms enricher did not run. A message's
   * terms count once in the project's document frequencies, when the message is first stored.
   */
  terms: TermCount[] | null;
};

/** An enrichment result as stored. */
export type StoredEnrichment = EnrichmentResult & { enrichedAt: number };
