import type { Enricher } from './enricher.ts';
import type { MessageView } from './message-view.ts';

/** What is counted: everything the model read or wrote (prose, tool inputs, tool results). */
function countedText(view: MessageView): string {
  return view.full;
}

/** Messages larger than this are estimated even by the exact counter (the count is not worth it). */
const maxExact = 256 * 1024;
const encoding = 'o200k_base';

/** About four characters of ASCII text per token, fewer for other scripts (o200k_base averages). */
export function estimateTokens(text: string): number {
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 128) ascii++;
  return Math.ceil(ascii / 4 + (text.length - ascii) / 1.5);
}

/**
 * At ingest: an estimate (version 0). Loading and running the tokenizer costs about a second at
 * start and ~150-300 µs per KB, more than all the other work on a message together, so exact
 * counts are made by `agentlog enrich`, which finds the estimates as an older version.
 */
export const tokenEstimateEnricher: Enricher<'tokens'> = {
  name: 'tokens',
  version: 0,
  stage: 'ingest',
  facets: [],
  enrich({ view }) {
    return { value: { tokens: estimateTokens(countedText(view)), encoding, estimated: true } };
  },
};

/** Exact o200k_base counts with gpt-tokenizer, given its loaded `countTokens`. */
export function createTokenCounter(countTokens: (text: string) => number): Enricher<'tokens'> {
  return {
    name: 'tokens',
    version: 1,
    stage: 'deferred',
    facets: [],
    enrich({ view }) {
      const text = countedText(view);
      const estimated = view.truncated || text.length > maxExact;
      const tokens = estimated ? estimateTokens(text) : countTokens(text);
      return { value: { tokens, encoding, estimated } };
    },
  };
}

/** Loads gpt-tokenizer only when exact counts are asked for (it takes a while to load). */
export async function loadTokenCounter(): Promise<Enricher<'tokens'>> {
  const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
  // Special-token text (`<|endoftext|>`) in a message is counted as text, not refused.
  const asText = { disallowedSpecial: new Set<string>() };
  return createTokenCounter((text) => countTokens(text, asText));
}
