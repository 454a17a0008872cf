import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importWith, messagesOf, sessionByExternalId, withStore } from '../chat-imports.ts';

const tempDir = useTempDirs();
const exportFile = join(ownFixtures, 'chatgpt-tool-chain', 'conversations.json');
const node = (n: number) => `0c1b2c3d-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;

describe('chatgpt export: a tool that answers in several messages', () => {
  it('links each of them to the call above them (an image, then the note to the model)', async () => {
    const data = tempDir();
    expect(await importWith(data, 'auto', [exportFile])).toMatchObject({ messages: 6, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const session = await sessionByExternalId(agentlog, '6790a1b2-0000-4000-8000-000000000003');
      const messages = new Map((await messagesOf(agentlog, session)).map((m) => [m.externalId, m]));
      expect(messages.get(node(3))!.blocks).toEqual([
        {
          type: 'tool_use',
          id: node(3),
          name: 'dalle.text2im',
          input: { size: '1024x1024', prompt: 'A lighthouse at dusk, warm light' },
        },
      ]);
      for (const answer of [node(4), node(5)]) {
        expect(messages.get(answer)).toMatchObject({
          role: 'tool',
          kind: 'tool_result',
          blocks: [{ type: 'tool_result', toolUseId: node(3), isError: false }],
        });
      }
    });
  });
});
