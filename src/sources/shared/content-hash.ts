import { hash } from 'node:crypto';
import type { Block } from '../../domain/blocks.ts';

/**
 * Hash of what a message says (role and blocks), the same whichever source it came from.
 * One-shot `hash` over the joined text: the same bytes as updating a Hash piece by piece (the
 * new line keeps a surrogate of the role from pairing with the JSON), without its per-call cost.
 */
export function contentHash(role: string, blocks: readonly Block[]): string {
  return hash('sha256', `${role}\n${JSON.stringify(blocks)}`).slice(0, 32);
}
