import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../../src/domain/blocks.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { geminiFixtures, importGemini, messagesOf, withStore } from './imported-store.ts';

// Tool calls whose record has no `result` parts: one finished with only what the CLI displayed
// (`resultDisplay`), one the user cancelled before it ran. Earlier copies of the message hold the
// same calls still running, which have no result yet.
const tempDir = useTempDirs();
const session = 'c0ffee05-5e55-4a1d-9b0b-000000000005';
const dir = join(geminiFixtures, 'tool-results', 'tmp');

describe('gemini tool calls without result parts', () => {
  it('keeps what was displayed as the result, and marks a cancelled call failed', async () => {
    const data = tempDir();
    const summary = await importGemini(data, [dir]);
    expect(summary).toMatchObject({ files: 1, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const reply = (await messagesOf(agentlog, session)).find((m) => m.role === 'assistant')!;
      const results = reply.blocks.filter(
        (b): b is Extract<Block, { type: 'tool_result' }> => b.type === 'tool_result',
      );
      expect(results).toEqual([
        { type: 'tool_result', toolUseId: 'grep-1', content: 'Found 3 matches', isError: false },
        { type: 'tool_result', toolUseId: 'rm-1', content: '', isError: true },
      ]);
      expect(reply.meta).toMatchObject({ toolStatus: { 'rm-1': 'cancelled' } });
    });
  });
});
