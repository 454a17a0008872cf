import { isObj, type Obj } from '../shared/fields.ts';

/** One `token_count` usage object. OpenAI counts cached input inside `input_tokens`, reasoning inside output. */
export type TokenCounts = { input: number; cached: number; output: number; reasoning: number; total: number };

export const zeroCounts = (): TokenCounts => ({ input: 0, cached: 0, output: 0, reasoning: 0, total: 0 });

const count = (o: Obj, key: string) => {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
};

export function readCounts(value: unknown): TokenCounts | null {
  if (!isObj(value)) return null;
  const input = count(value, 'input_tokens');
  const output = count(value, 'output_tokens');
  const total = count(value, 'total_tokens');
  return {
    input,
    cached: count(value, 'cached_input_tokens') || count(value, 'cache_read_input_tokens'),
    output,
    reasoning: count(value, 'reasoning_output_tokens'),
    total: total > 0 ? total : input + output,
  };
}

export function subtractCounts(current: TokenCounts, previous: TokenCounts): TokenCounts {
  const minus = (key: keyof TokenCounts) => Math.max(current[key] - previous[key], 0);
  return {
    input: minus('input'),
    cached: minus('cached'),
    output: minus('output'),
    reasoning: minus('reasoning'),
    total: minus('total'),
  };
}

export function sameCounts(a: TokenCounts, b: TokenCounts): boolean {
  return (
    a.input === b.input &&
    a.cached === b.cached &&
    a.output === b.output &&
    a.reasoning === b.reasoning &&
    a.total === b.total
  );
}

/**
 * Our usage from one response's counts, the way ccusage reports Codex: fresh input is input less
 * the cached part (never below zero), the cached part is a cache read, Codex has no cache writes.
 */
export function toUsage(c: TokenCounts) {
  const cached = Math.min(c.cached, c.input);
  return {
    inputTokens: c.input - cached,
    outputTokens: c.output,
    cacheCreationTokens: 0,
    cacheReadTokens: cached,
  };
}

/**
 * Which snapshots are one response: the thread's cumulative totals only grow, so equal totals are
 * the same snapshot written again (Codex re-emits it with new rate limits); without totals, the line.
 */
export function usageKey(threadId: string, totals: TokenCounts | null, lineKey: string): string {
  if (totals === null) return `${threadId}:line:${lineKey}`;
  return `${threadId}:total:${totals.input}/${totals.cached}/${totals.output}/${totals.reasoning}/${totals.total}`;
}
