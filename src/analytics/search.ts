import { AgentlogError } from '../domain/errors.ts';
import { SecretGate } from '../archive/secret-gate.ts';
import type { Store } from '../storage/ports.ts';
import type { SearchOrder, SearchResponse } from './search-contract.ts';
import { makeSnippet, searchTerms } from './snippet.ts';
import { maxSearchLimit } from './search-limit.ts';

export type SearchOptions = {
  text: string;
  source?: string;
  speaker?: string;
  domain?: string;
  since?: number;
  until?: number;
  limit?: number;
  order?: SearchOrder;
};

/**
 * Full-text search over the project's messages. What the user typed is searched as words (all
 * required, `word*` for prefixes): query syntax never reaches the index, so no query is an error.
 */
export async function searchMessages(
  store: Store,
  projectId: number,
  options: SearchOptions,
): Promise<SearchResponse> {
  if (!store.capabilities.fullTextSearch) {
    throw new AgentlogError('UNAVAILABLE', 'This store has no full-text index.', {
      hint: 'Search needs a store with full-text search (the embedded SQLite store has it).',
    });
  }
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxSearchLimit) {
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `The limit must be a whole number from 1 to ${maxSearchLimit}.`,
    );
  }
  const hits = await store.searchText({
    projectId,
    text: options.text,
    limit,
    order: options.order ?? 'relevance',
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.speaker === undefined ? {} : { speaker: options.speaker }),
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
  });
  const terms = searchTerms(options.text);
  // Text leaves through the secret gate, as exports do: a store kept with redaction off, or
  // written before a rule existed, may hold a secret; the snippet is cut from the masked text.
  const gate = new SecretGate();
  return {
    results: hits.map((h) => ({
      sessionId: h.sessionId,
      messageId: h.messageId,
      timestamp: h.timestamp,
      speaker: h.speaker?.name ?? h.role,
      role: h.role,
      source: h.source,
      ...makeSnippet(gate.text(h.text), terms),
    })),
  };
}
