import { createHash } from 'node:crypto';
import type { Enricher } from './enricher.ts';

/**
 * sha256 of what the message says, after redaction, with runs of white space in text made one
 * space: the same words from any source or session give the same hash (exact-duplicate detection).
 * Reads the whole message, not the capped view: two huge messages differing at the end differ.
 */
export const contentHashEnricher: Enricher<'hash'> = {
  name: 'hash',
  version: 1,
  stage: 'ingest',
  facets: [],
  enrich({ view }) {
    const hash = createHash('sha256').update(view.role);
    for (const block of view.message.blocks) {
      hash.update('\u0000');
      if (block.type === 'text') hash.update(block.text.replace(/\s+/g, ' ').trim());
      else if (block.type === 'thinking') hash.update(block.thinking.replace(/\s+/g, ' ').trim());
      else hash.update(JSON.stringify(block));
    }
    return { value: { sha256: hash.digest('hex') } };
  },
};
