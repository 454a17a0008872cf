import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importWith, messagesOf, sessionsOf, withStore } from '../chat-imports.ts';

const tempDir = useTempDirs();
const file = join(ownFixtures, 'sharegpt-roles', 'role-content.jsonl');

describe('ShareGPT conversations whose turns say role and content (re-exported datasets)', () => {
  it('are found by import auto and keep the media paths of LLaMA-Factory multimodal data', async () => {
    const data = tempDir();
    const summary = await importWith(data, 'auto', [file]);
    expect(summary.detected).toEqual({ sharegpt: 1 });
    expect(summary).toMatchObject({ sessions: 2, messages: 5, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const [trivia, shapes] = (await sessionsOf(agentlog, 'sharegpt')).sort((a, b) =>
        a.externalId.localeCompare(b.externalId),
      );
      expect(trivia!.title).toBe('What is the capital of Peru?');
      expect((await messagesOf(agentlog, trivia!)).map((m) => `${m.role}: ${m.text}`)).toEqual([
        'system: You answer trivia.',
        'user: What is the capital of Peru?',
        'assistant: Lima.',
      ]);
      expect(shapes!.meta).toMatchObject({ images: ['shapes/triangle.png'] });
    });
  });
});
