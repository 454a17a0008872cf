import { createHash } from 'node:crypto';
import type { Block } from '../../domain/blocks.ts';

/** Hash of what a message says (role and blocks), the same whichever source it came from. */
export function contentHash(role: string, blocks: readonly Block[]): string {
  return createHash('sha256')
    .update(role)
    .update('\n')
    .update(JSON.stringify(blocks))
    .digest('hex')
    .slice(0, 32);
}
