import type { Enricher } from './enricher.ts';
import { contentHashEnricher } from './content-hash.ts';
import { builtinDomainRules, type DomainRule } from './domain-rules.ts';
import { compileDomainRules, createDomainEnricher } from './domain.ts';
import { keywordsEnricher } from './keywords.ts';
import { languageEnricher } from './language.ts';
import { tagsEnricher } from './tags.ts';
import { termsEnricher } from './terms.ts';
import { tierEnricher } from './tier.ts';
import { tokenEstimateEnricher } from './tokens.ts';
import { createToolsEnricher, ToolCallMemory } from './tools.ts';

/**
 * The enrichers of one pipeline, in the order they run (tags reads domain, tier and tools).
 * `extraRules` are the user's domain rules from config, added to the built-in ones.
 */
export function ingestEnrichers(extraRules: readonly DomainRule[] = []): Enricher[] {
  const domain = createDomainEnricher(compileDomainRules([...builtinDomainRules, ...extraRules]));
  return [
    contentHashEnricher,
    languageEnricher,
    createToolsEnricher(new ToolCallMemory()),
    domain,
    tierEnricher,
    tagsEnricher,
    termsEnricher,
    tokenEstimateEnricher,
  ];
}

/**
 * Everything `agentlog enrich` runs: the ingest enrichers again (at their current versions), exact
 * token counts in place of the estimate, and keywords against the corpus.
 */
export function allEnrichers(
  extraRules: readonly DomainRule[],
  tokenCounter: Enricher<'tokens'>,
): Enricher[] {
  const ingest = ingestEnrichers(extraRules).filter((e) => e.name !== 'tokens');
  return [...ingest, tokenCounter, keywordsEnricher];
}
