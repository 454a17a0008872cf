import { z } from 'zod';

/**
 * The answer of `agentlog search --json` and `GET /v1/search`, defined once. Evolve by adding
 * optional fields.
 */
export const searchResultSchema = z.object({
  sessionId: z.string(),
  messageId: z.number().int(),
  /** Epoch ms, or null for a message without a time. */
  timestamp: z.number().nullable(),
  /** The speaker's name, or the role (`user`, `assistant`, …) for messages without one. */
  speaker: z.string(),
  role: z.string(),
  source: z.string(),
  /** Text around the matches, plain. */
  snippet: z.string(),
  /** [start, end) character offsets of the matched words in `snippet`. */
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
});

export const searchResponseSchema = z.object({ results: z.array(searchResultSchema) });

export type SearchResult = z.infer<typeof searchResultSchema>;
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const searchOrders = ['relevance', 'recent'] as const;
export type SearchOrder = (typeof searchOrders)[number];
