import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.ts';
import { memoryIn } from './memory-fixture.ts';

const tempDir = useTempDirs();

describe('concurrent writers to one session', () => {
  it('keeps the order of the calls and loses nothing', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const texts = Array.from({ length: 300 }, (_, i) => `message ${i}`);
      // All in flight at once: the group committer writes them in few transactions.
      const results = await Promise.all(
        texts.map((content) => memory.addMessage('busy', { role: 'user', content })),
      );
      expect(results.every((r) => r.status === 'stored')).toBe(true);
      const recent = await memory.recentMessages('busy', { limit: 1000 });
      expect(recent.messages.map((m) => m.content)).toEqual(texts);
      expect((await memory.getSession('busy')).messageCount).toBe(300);
    } finally {
      await memory.close();
    }
  });

  it('keeps each writer’s order when two connections write at once', async () => {
    const dir = tempDir();
    const [one, two] = await Promise.all([memoryIn(dir), memoryIn(dir)]);
    try {
      // Each writer waits for its previous message (a chat turn), both run at the same time.
      const write = async (memory: typeof one, name: string) => {
        for (let i = 0; i < 60; i++)
          await memory.addMessage('shared', { role: 'user', content: `${name} ${i}` });
      };
      await Promise.all([write(one, 'a'), write(two, 'b')]);
      const all = (await one.recentMessages('shared', { limit: 1000 })).messages.map((m) => m.content);
      expect(all).toHaveLength(120);
      expect(all.filter((c) => c.startsWith('a '))).toEqual(Array.from({ length: 60 }, (_, i) => `a ${i}`));
      expect(all.filter((c) => c.startsWith('b '))).toEqual(Array.from({ length: 60 }, (_, i) => `b ${i}`));
      // The other connection reads the same order.
      const seen = (await two.recentMessages('shared', { limit: 1000 })).messages.map((m) => m.content);
      expect(seen).toEqual(all);
      // Order is the store's: ids grow along the history.
      const ids = (await two.recentMessages('shared', { limit: 1000 })).messages.map((m) => m.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
