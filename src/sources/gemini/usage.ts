import type { Usage } from '../../domain/usage.ts';
import { optNumber, type Obj } from '../shared/fields.ts';

/**
 * Gemini's `tokens` (from the API's usageMetadata) in our terms. `input` (the prompt) includes the
 * `cached` part, so fresh input is input − cached; the prompt for tool use (`tool`) is input too;
 * thinking is billed as output, so output + thoughts. The four then add up to Gemini's `total`.
 * ccusage reports the same input, cache and total; its output leaves thinking out.
 */
export function readTokens(tokens: Obj): Usage {
  const read = (key: string) => optNumber(tokens, key, `tokens.${key}`) ?? 0;
  const cached = read('cached');
  return {
    inputTokens: Math.max(0, read('input') - cached) + read('tool'),
    outputTokens: read('output') + read('thoughts'),
    cacheCreationTokens: 0,
    cacheReadTokens: cached,
  };
}

/** One usage row per Gemini message: its copies (tokens are often filled in later) count once. */
export function usageKey(session: string, messageId: string): string {
  return `${session}:${messageId}`;
}
