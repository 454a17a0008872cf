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

/** Epoch milliseconds or an ISO 8601 date-time with a zone, as a query parameter. */
const timeParam = z.union([
  z.string().regex(/^\d+$/).transform(Number),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

/** `GET /v1/search` query parameters (the same filters as `agentlog search`). */
export const searchQuerySchema = z.object({
  /** The words to find, all of them (a trailing `*` matches words starting so); never query syntax. */
  q: z.string().min(1).max(1000),
  source: z.string().min(1).optional(),
  /** A speaker name, or a role for messages without one. */
  speaker: z.string().min(1).optional(),
  /** Messages whose domain chain (enrichment) includes this domain. */
  domain: z.string().min(1).optional(),
  /** Message time: since inclusive, until exclusive. */
  since: timeParam.optional(),
  until: timeParam.optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'a positive whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
    .default(20),
  order: z.enum(searchOrders).default('relevance'),
});
