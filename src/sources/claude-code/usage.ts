import { optNumber, type Obj } from '../shared/fields.ts';

/**
 * Which lines repeat one model response's usage, as ccusage counts them (its totals are the
 * reference users compare with): lines sharing message id and request id are one response; without
 * a request id, sidechain lines sharing a message id are one response; any other line counts alone.
 */
export function usageKey(
  responseId: string | null,
  requestId: string | undefined,
  isSidechain: boolean,
  uuid: string,
): string {
  if (responseId !== null && requestId !== undefined) return `${responseId}:${requestId}`;
  if (responseId !== null && isSidechain) return `sidechain:${responseId}`;
  return `line:${uuid}`;
}

export function readUsage(usage: Obj) {
  const read = (key: string) => optNumber(usage, key, `message.usage.${key}`) ?? 0;
  return {
    inputTokens: read('input_tokens'),
    outputTokens: read('output_tokens'),
    cacheCreationTokens: read('cache_creation_input_tokens'),
    cacheReadTokens: read('cache_read_input_tokens'),
  };
}
