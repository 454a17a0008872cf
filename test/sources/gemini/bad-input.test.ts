import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../support/temp-dir.ts';
import { geminiFixtures, hasRaw, importGemini, messagesOf, withStore } from './imported-store.ts';

const tempDir = useTempDirs();

describe('gemini bad input', () => {
  const chats = join(geminiFixtures, 'bad', 'tmp', 'proj', 'chats');
  const broken = join(chats, 'session-2026-05-03T10-00-bad0bad0.jsonl');
  const claude = join(chats, 'session-2026-05-03T11-00-11111111.jsonl');

  it('reports each broken line with its number and reason, and keeps the lines around it', async () => {
    const data = tempDir();
    const summary = await importGemini(data, [join(geminiFixtures, 'bad', 'tmp')]);
    expect(summary.skippedLines).toEqual([
      { file: broken, line: 3, reason: expect.stringMatching(/^invalid JSON/) },
      { file: broken, line: 4, reason: 'not a JSON object' },
      { file: broken, line: 5, reason: expect.stringContaining('not a Gemini chat record') },
      { file: broken, line: 6, reason: 'timestamp: not a valid timestamp: "yesterday"' },
    ]);
    await withStore(data, async (agentlog) => {
      const messages = await messagesOf(agentlog, 'bad0bad0-0000-4000-8000-000000000003');
      expect(messages.map((m) => m.text)).toEqual(['hello', 'Hello! How can I help?']);
      // A line that parses but cannot be normalised is still kept raw.
      const line6 = readFileSync(broken, 'utf8').split('\n')[5]!;
      expect(await hasRaw(agentlog, line6)).toBe(true);
    });
  });

  it('skips a file in a chats folder that is not a Gemini chat, judged by its content', async () => {
    const summary = await importGemini(tempDir(), [claude]);
    expect(summary).toMatchObject({ files: 1, filesSkipped: 1, messages: 0 });
    expect(summary.skippedFiles).toEqual([
      { file: claude, reason: expect.stringContaining('not a Gemini CLI chat') },
    ]);
  });
});
