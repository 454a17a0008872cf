import { domainCategories } from '../../domain/enrichment.ts';
import { tfIdf } from '../../enrich/keywords.ts';
import type { ReportWindow, Store } from '../../storage/ports.ts';
import type { EnrichedSection, EnrichmentCoverage, Report, Share, ToolUsage } from './report-contract.ts';

/** What the report reads from enrichment, and what the score needs of it. */
export type EnrichmentPart = Pick<
  Report,
  'enrichment' | 'domains' | 'tiers' | 'tags' | 'keywords' | 'tools'
> & {
  domainsSeen: number;
  domainsKnown: number;
  completelyTagged: number;
};

const shownLabels = 30;
const shownKeywords = 20;

type FacetCount = { label: string; messages: number };

/**
 * The sections built from enrichment: its labels (facets) and terms, read from the store's report
 * aggregates. A message counts as enriched when it has an ACE tier: the tier enricher labels every
 * message it sees. Messages not enriched yet are counted, never guessed at.
 */
export async function enrichmentSections(
  store: Store,
  window: ReportWindow,
  messages: number,
): Promise<EnrichmentPart> {
  const query = { projectId: window.projectId, ...times(window) };
  const tiers = await store.reportFacets({ ...query, facet: 'tier' });
  const enriched = Math.min(messages, sum(tiers));
  const coverage: EnrichmentCoverage = {
    enriched,
    notEnriched: Math.max(0, messages - enriched),
    share: messages === 0 ? 0 : enriched / messages,
  };
  const section = <T>(rows: T[]): EnrichedSection<T> => ({
    status: enriched > 0 ? 'ok' : 'not_enriched',
    enriched,
    notEnriched: coverage.notEnriched,
    rows: enriched > 0 ? rows : [],
  });
  if (enriched === 0) {
    return {
      enrichment: coverage,
      domains: section([]),
      tiers: section([]),
      tags: section([]),
      keywords: section([]),
      tools: { ...section([]), calls: 0, failures: 0, failureRate: null },
      domainsSeen: 0,
      domainsKnown: domainCategories.length - 1,
      completelyTagged: 0,
    };
  }
  const domains = await store.reportFacets({ ...query, facet: 'domain' });
  const tags = await store.reportFacets({ ...query, facet: 'tag' });
  const calls = await store.reportFacets({ ...query, facet: 'tool' });
  const errors = await store.reportFacets({ ...query, facet: 'tool_error' });
  const keywords = await topKeywords(store, window);
  const specific = domains.filter((d) => d.label !== 'other' && d.messages > 0).length;
  const tools = toolUsage(calls, errors);
  const callTotal = sum(calls);
  const failureTotal = sum(errors);
  return {
    enrichment: coverage,
    domains: section(shares(domains, enriched).slice(0, shownLabels)),
    tiers: section(shares(tiers, enriched)),
    tags: section(shares(tags, enriched).slice(0, shownLabels)),
    keywords: section(keywords),
    tools: {
      ...section(tools.slice(0, shownLabels)),
      calls: callTotal,
      failures: failureTotal,
      failureRate: callTotal === 0 ? null : failureTotal / callTotal,
    },
    domainsSeen: specific,
    domainsKnown: Math.max(domainCategories.length - 1, specific),
    completelyTagged: completeTags(tags),
  };
}

function times(window: ReportWindow): { since?: number; until?: number } {
  return {
    ...(window.since === undefined ? {} : { since: window.since }),
    ...(window.until === undefined ? {} : { until: window.until }),
  };
}

function sum(rows: FacetCount[]): number {
  return rows.reduce((total, r) => total + r.messages, 0);
}

function shares(rows: FacetCount[], whole: number): Share[] {
  return rows.map((r) => ({
    label: r.label,
    messages: r.messages,
    share: whole === 0 ? 0 : r.messages / whole,
  }));
}

/** Per tool: messages calling it, and messages with a failed result of it (`unknown`: no call seen). */
function toolUsage(calls: FacetCount[], errors: FacetCount[]): ToolUsage[] {
  const rows = new Map<string, ToolUsage>();
  for (const c of calls)
    rows.set(c.label, { tool: c.label, calls: c.messages, failures: 0, failureRate: null });
  for (const e of errors) {
    const row = rows.get(e.label) ?? { tool: e.label, calls: 0, failures: 0, failureRate: null };
    row.failures = e.messages;
    rows.set(e.label, row);
  }
  for (const row of rows.values()) row.failureRate = row.calls === 0 ? null : row.failures / row.calls;
  return [...rows.values()].sort(
    (a, b) => b.calls - a.calls || b.failures - a.failures || (a.tool < b.tool ? -1 : 1),
  );
}

/**
 * Messages with a status tag and a tier tag whose chain is not `@Chain-Other` alone (the tags
 * enricher gives every message one status and one tier, and `@Chain-Other` only when no domain
 * matched).
 */
function completeTags(tags: FacetCount[]): number {
  let status = 0;
  let tier = 0;
  let other = 0;
  for (const t of tags) {
    if (t.label.startsWith('@Status-')) status += t.messages;
    else if (t.label.startsWith('@Tier-')) tier += t.messages;
    else if (t.label === '@Chain-Other') other += t.messages;
  }
  return Math.max(0, Math.min(status, tier) - other);
}

/**
 * Keywords of the window as enrich/keywords.ts ranks them: among the most frequent terms, the
 * highest TF-IDF (count in the window, weighed by rarity in the project).
 */
async function topKeywords(store: Store, window: ReportWindow): Promise<{ term: string; score: number }[]> {
  const totals = await store.reportTerms(window, shownKeywords * 10);
  return totals.terms
    .map((t) => ({ term: t.term, score: tfIdf(t.count, t.documents, totals.documents) }))
    .filter((k) => k.score > 0)
    .sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1))
    .slice(0, shownKeywords)
    .map((k) => ({ term: k.term, score: Math.round(k.score * 1000) / 1000 }));
}
