import type { EnrichmentLabel, EnrichmentValues } from '../domain/enrichment.ts';
import type { Enricher } from './enricher.ts';
import type { MessageView } from './message-view.ts';

/** `system_architecture` → `SystemArchitecture`. */
function pascal(name: string): string {
  return name
    .split(/[_\s-]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/**
 * Where the message stands: a failure (API error, failed tool result), work under way (tool calls
 * waiting for results), a request (a person asking), a result, or an answer.
 */
export function messageStatus(view: MessageView, tools: EnrichmentValues['tools'] | undefined): string {
  if (view.kind === 'api_error' || tools?.results.some((r) => r.failed) === true) return 'Failed';
  if (view.calls.length > 0) return 'InProgress';
  if (view.results.length > 0 || view.kind === 'tool_result') return 'Result';
  if (view.role === 'user' && view.kind === 'message') return 'Request';
  if (view.role === 'assistant') return 'Done';
  return 'Info';
}

/** SHL tags: `@Status-…`, one `@Chain-…` per domain of the chain, `@Tier-…`. Runs after domain, tier, tools. */
export const tagsEnricher: Enricher<'tags'> = {
  name: 'tags',
  version: 1,
  stage: 'ingest',
  facets: ['tag'],
  enrich({ view, prior }) {
    const tags = [`@Status-${messageStatus(view, prior.tools)}`];
    for (const domain of prior.domain?.chain ?? []) tags.push(`@Chain-${pascal(domain)}`);
    if (prior.tier !== undefined) tags.push(`@Tier-${pascal(prior.tier.tier)}`);
    const labels: EnrichmentLabel[] = tags.map((label, rank) => ({ facet: 'tag', label, rank }));
    return { value: { tags }, labels };
  },
};
