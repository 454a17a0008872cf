import { hash } from 'node:crypto';
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
    // One string hashed once: the bytes are those of hashing each part in turn, since the NUL
    // before every part keeps a lone surrogate at a part's end from pairing with the next one.
    let text = view.role;
    for (const block of view.message.blocks) {
      if (block.type === 'text') text += `\u0000${block.text.replace(/\s+/g, ' ').trim()}`;
      else if (block.type === 'thinking') text += `\u0000${block.thinking.replace(/\s+/g, ' ').trim()}`;
      else text += `\u0000${JSON.stringify(block)}`;
    }
    return { value: { sha256: hash('sha256', text) } };
  },
};
