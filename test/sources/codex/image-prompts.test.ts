import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexFixtures, importCodex, messagesOf, sessionOf, withStore } from './imported-store.ts';

// Prompts with pasted images, as Codex has written them since late 2025: the item wraps each image
// in `<image name=[Image #n]>` … `</image>` text parts (or one `<image … path="…"></image>` tag),
// while the UI's user_message keeps only what was typed, with an `[Image #n]` placeholder.
const thread = '019e2000-0000-7000-8000-0000000000d1';

describe('Codex: prompts with images', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-codex-images-'));
    await importCodex(dataDir, [join(codexFixtures, 'images')]);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps each prompt once: the image tags do not hide that the event mirrors the item', async () => {
    await withStore(dataDir, async (agentlog) => {
      const users = (await messagesOf(agentlog, thread)).filter((m) => m.role === 'user');
      expect(users.map((m) => [m.seq, m.kind])).toEqual([
        [3, 'message'],
        [8, 'message'],
        [11, 'message'],
        [14, 'message'],
      ]);
      // The item is the copy kept: it holds the image itself.
      expect(users[0]!.blocks.map((b) => b.type)).toEqual(['text', 'image', 'text', 'text']);
      expect(users[1]!.blocks.map((b) => b.type)).toEqual(['text', 'image', 'text', 'text']);
    });
  });

  it('titles the session with the words typed, not the image tags', async () => {
    await withStore(dataDir, async (agentlog) => {
      expect((await sessionOf(agentlog, thread)).title).toBe('why is the save button grey?');
    });
  });
});
