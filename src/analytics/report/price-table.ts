/**
 * List prices per model family in US dollars per million tokens, offline and approximate: the
 * providers' published standard prices as of November 2025 (first context tier, no batch or
 * regional discounts). Cache writes are Anthropic's 5-minute writes; OpenAI and Google bill no
 * separate cache write. A model no pattern matches is unpriced: its tokens are reported, its cost
 * is not guessed. The first matching pattern wins, so the narrower ones come first.
 */
export const priceTableSource = 'agentlog price table, list prices as of 2025-11 (USD per million tokens)';

export type ModelPrice = {
  family: string;
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
};

const table: [RegExp, ModelPrice][] = [
  [/claude-opus-4[-.]?[5-9]|claude-4[-.]5-opus/, price('claude-opus-4.5', 5, 25, 6.25, 0.5)],
  [/claude-(?:\d[-.])*opus|claude-opus/, price('claude-opus-4', 15, 75, 18.75, 1.5)],
  [/claude-(?:\d[-.])*sonnet|claude-sonnet/, price('claude-sonnet', 3, 15, 3.75, 0.3)],
  [/claude-haiku-4|claude-4[-.]5-haiku/, price('claude-haiku-4.5', 1, 5, 1.25, 0.1)],
  [/claude-3[-.]5-haiku/, price('claude-haiku-3.5', 0.8, 4, 1, 0.08)],
  [/claude-3-haiku/, price('claude-haiku-3', 0.25, 1.25, 0.3, 0.03)],
  [/gpt-5(?:\.\d+)?(?:-codex)?-nano/, price('gpt-5-nano', 0.05, 0.4, 0, 0.005)],
  [/gpt-5(?:\.\d+)?(?:-codex)?-mini/, price('gpt-5-mini', 0.25, 2, 0, 0.025)],
  [/gpt-5/, price('gpt-5', 1.25, 10, 0, 0.125)],
  [/gpt-4\.1-nano/, price('gpt-4.1-nano', 0.1, 0.4, 0, 0.025)],
  [/gpt-4\.1-mini/, price('gpt-4.1-mini', 0.4, 1.6, 0, 0.1)],
  [/gpt-4\.1/, price('gpt-4.1', 2, 8, 0, 0.5)],
  [/gpt-4o-mini/, price('gpt-4o-mini', 0.15, 0.6, 0, 0.075)],
  [/gpt-4o/, price('gpt-4o', 2.5, 10, 0, 1.25)],
  [/(?:^|[/.])o4-mini/, price('o4-mini', 1.1, 4.4, 0, 0.275)],
  [/(?:^|[/.])o3-mini/, price('o3-mini', 1.1, 4.4, 0, 0.55)],
  [/(?:^|[/.])o3/, price('o3', 2, 8, 0, 0.5)],
  [/gemini-3(?:\.\d+)?-pro/, price('gemini-3-pro', 2, 12, 0, 0.2)],
  [/gemini-2\.5-pro/, price('gemini-2.5-pro', 1.25, 10, 0, 0.31)],
  [/gemini-2\.5-flash-lite/, price('gemini-2.5-flash-lite', 0.1, 0.4, 0, 0.025)],
  [/gemini-2\.5-flash/, price('gemini-2.5-flash', 0.3, 2.5, 0, 0.075)],
  [/gemini-2\.0-flash/, price('gemini-2.0-flash', 0.1, 0.4, 0, 0.025)],
];

function price(
  family: string,
  input: number,
  output: number,
  cacheWrite: number,
  cacheRead: number,
): ModelPrice {
  return { family, input, output, cacheWrite, cacheRead };
}

/** The price of a model by its family, or null when the table does not know it. */
export function priceOf(model: string | null): ModelPrice | null {
  if (model === null) return null;
  const name = model.toLowerCase();
  for (const [pattern, entry] of table) if (pattern.test(name)) return entry;
  return null;
}

export type TokenCounts = {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
};

/** Estimated US dollars for these tokens at this price. */
export function costOf(tokens: TokenCounts, entry: ModelPrice): number {
  return (
    (tokens.inputTokens * entry.input +
      tokens.outputTokens * entry.output +
      tokens.cacheCreationTokens * entry.cacheWrite +
      tokens.cacheReadTokens * entry.cacheRead) /
    1_000_000
  );
}
