import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/domain/blocks.ts';
import { contentHashEnricher } from '../../src/enrich/content-hash.ts';
import { MessageView } from '../../src/enrich/message-view.ts';
import { contentHash } from '../../src/sources/shared/content-hash.ts';

/** Blocks with lone surrogates at the edges of parts, where joining strings could pair them. */
const blocks: Block[] = [
  { type: 'text', text: '\udc00 fix  the\n parser \ud83d' },
  { type: 'thinking', thinking: '\ude00 think\t\tfirst ' },
  { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls \ud800' } },
  { type: 'tool_result', toolUseId: 't1', content: '\udc00ok', isError: false },
];
/** Sources hash any role string; the enricher sees the message's role. */
const role = 'assistant\ud83d';

/** The hashes as stored so far: each part fed to one Hash in turn (they must not change). */
function storedContentHash(): string {
  return createHash('sha256')
    .update(role)
    .update('\n')
    .update(JSON.stringify(blocks))
    .digest('hex')
    .slice(0, 32);
}

function storedEnrichmentHash(): string {
  const hash = createHash('sha256').update('assistant');
  for (const block of blocks) {
    hash.update('\u0000');
    if (block.type === 'text') hash.update(block.text.replace(/\s+/g, ' ').trim());
    else if (block.type === 'thinking') hash.update(block.thinking.replace(/\s+/g, ' ').trim());
    else hash.update(JSON.stringify(block));
  }
  return hash.digest('hex');
}

describe('content hashes computed in one call', () => {
  it('are the hashes of the parts fed one by one, lone surrogates included', () => {
    expect(contentHash(role, blocks)).toBe(storedContentHash());
    const view = new MessageView({ role: 'assistant', kind: 'message', blocks, text: '' });
    const out = contentHashEnricher.enrich({ view, prior: {}, corpus: null });
    expect(out.value).toEqual({ sha256: storedEnrichmentHash() });
  });
});
