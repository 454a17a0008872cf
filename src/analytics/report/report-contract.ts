/**
 * The analytics report, defined once: `agentlog report --json`, the `.json` file, and what the
 * Markdown and HTML renderers read. Evolve by adding fields. Times are epoch ms; days are UTC.
 */
export type Report = {
  version: 1;
  generatedAt: number;
  project: string;
  /** The window asked for (null: open). Messages without a timestamp count only when both are null. */
  window: { since: number | null; until: number | null };
  totals: ReportTotals;
  messagesBySpeaker: Share[];
  /** Assistant messages by the model that wrote them. */
  messagesByAgent: Share[];
  messagesBySource: Share[];
  messagesByRole: Share[];
  /** Messages per UTC day. */
  timeline: { day: number; messages: number }[];
  sessionsByStatus: { status: string; sessions: number; share: number }[];
  enrichment: EnrichmentCoverage;
  /** Messages whose domain chain includes each domain; share of enriched messages. */
  domains: EnrichedSection<Share>;
  tiers: EnrichedSection<Share>;
  tags: EnrichedSection<Share>;
  keywords: EnrichedSection<{ term: string; score: number }>;
  tools: EnrichedSection<ToolUsage> & { calls: number; failures: number; failureRate: number | null };
  tokens: TokenReport;
  collaboration: CollaborationScore;
};

export type ReportTotals = {
  messages: number;
  sessions: number;
  speakers: number;
  sources: number;
  activeDays: number;
  firstDay: number | null;
  lastDay: number | null;
  tokens: number;
  /** Estimated from the price table for the models it knows; see `tokens.unpricedModels`. */
  estimatedCostUsd: number;
};

/** `share`: of the section's whole (0-1). */
export type Share = { label: string; messages: number; share: number };

export type EnrichmentCoverage = {
  /** Messages with enrichment results (every enriched message has an ACE tier). */
  enriched: number;
  notEnriched: number;
  share: number;
};

/**
 * A section built from enrichment. `status` is `not_enriched` when no message of the window has
 * been enriched yet; `rows` are then empty, never guessed.
 */
export type EnrichedSection<T> = {
  status: 'ok' | 'not_enriched';
  enriched: number;
  notEnriched: number;
  rows: T[];
};

/** Messages calling a tool, and messages with a failed result of it. */
export type ToolUsage = { tool: string; calls: number; failures: number; failureRate: number | null };

export type TokenTotals = {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  responses: number;
  /** Cost of the tokens of priced models; tokens of unknown models add nothing. */
  costUsd: number;
};

export type TokenReport = {
  totals: TokenTotals;
  days: (TokenTotals & { day: number })[];
  byModel: (TokenTotals & { model: string; priced: boolean })[];
  unpricedModels: string[];
  /** Where the prices come from (see price-table.ts). */
  priceTable: string;
};

export const collaborationComponents = [
  'speakerDiversity',
  'domainCoverage',
  'messageConsistency',
  'metadataEnrichment',
  'tagCompleteness',
] as const;
export type CollaborationComponent = (typeof collaborationComponents)[number];

/** 0-100: five components of 20 points each (see collaboration-score.ts for their definitions). */
export type CollaborationScore = {
  score: number;
  components: { name: CollaborationComponent; value: number; points: number; detail: string }[];
};
