import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/sources/auto/detect-format.ts';
import { sourceFormats } from '../../../src/sources/registry.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importWith, messagesOf, sessionsOf, withStore } from '../chat-imports.ts';

const tempDir = useTempDirs();
// A ChatGPT export saved again by a Windows tool: a UTF-8 byte order mark, CRLF line ends.
const saved = join(ownFixtures, 'chatgpt', 'saved-on-windows', 'conversations.json');
const headOf = (path: string, text = readFileSync(path, 'utf8')) => ({ path, text, complete: true });
const claimsOf = (head: ReturnType<typeof headOf>) =>
  sourceFormats.filter((f) => (f.formatFor?.(head) ?? f).detect(head).ok).map((f) => f.name);

describe('a whole-document transcript that starts with a byte order mark', () => {
  it('is claimed by its format alone, as it is without the mark', () => {
    expect(readFileSync(saved).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(claimsOf(headOf(saved))).toEqual(['chatgpt']);
    // The other formats written as one document: the mark does not change who claims them.
    for (const [format, file] of [
      ['gemini', join('gemini', 'legacy', 'session-v2.json')],
      ['gemini', join('gemini', 'tmp', 'my-project', 'logs.json')],
      ['openai-chat', join('openai-chat', 'dataset.json')],
      ['sharegpt', join('sharegpt', 'dataset.json')],
    ] as const) {
      const path = join(ownFixtures, file);
      const marked = headOf(path, `\uFEFF${readFileSync(path, 'utf8')}`);
      expect(claimsOf(marked), file).toEqual([format]);
      expect(detectFormat(marked, sourceFormats).format?.name).toBe(format);
    }
  });

  it('is imported, by its source and by `import auto`', async () => {
    for (const source of ['chatgpt', 'auto']) {
      const data = tempDir();
      const summary = await importWith(data, source, [saved]);
      expect(summary, source).toMatchObject({ files: 1, sessions: 1, newMessages: 2, skippedFiles: [] });
      await withStore(data, async (agentlog) => {
        const [session] = await sessionsOf(agentlog, 'chatgpt');
        expect(session!.title).toBe('Garlic planting');
        const messages = await messagesOf(agentlog, session!);
        expect(messages.map((m) => [m.role, m.text])).toEqual([
          ['user', 'Which month is best for planting garlic?'],
          ['assistant', 'October, a few weeks before the ground freezes.'],
        ]);
      });
    }
  });
});
