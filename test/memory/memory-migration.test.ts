import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { sessionIdFor } from '../../src/domain/ids.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { codeOf, memoryIn } from './memory-fixture.ts';

const tempDir = useTempDirs();

/** A copy of a store written by agentlog before session memory existed (see the fixture's README). */
function oldStore(): string {
  const dir = tempDir();
  copyFileSync(join(ownFixtures, 'memory', 'store-schema-2.db'), join(dir, 'agentlog.db'));
  return dir;
}

function appliedVersions(dir: string): number[] {
  const db = new DatabaseSync(join(dir, 'agentlog.db'), { readOnly: true });
  try {
    return (
      db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
    ).map((r) => r.version);
  } finally {
    db.close();
  }
}

describe('a store made before session memory', () => {
  it('migrates in place and serves its old sessions through the memory API', async () => {
    const dir = oldStore();
    expect(appliedVersions(dir)).toEqual([1, 2]);
    const memory = await memoryIn(dir);
    try {
      expect(appliedVersions(dir)).toContain(8);
      const old = sessionIdFor(1, 'api', 'chat-7');
      const recent = await memory.recentMessages(old, { limit: 10 });
      expect(recent.messages.map((m) => [m.agent, m.content])).toEqual([
        ['alice', 'Which size fits a 30 cm box?'],
        [null, 'The medium carton fits it.'],
        ['alice', 'And for two boxes?'],
        [null, 'Take the large carton.'],
      ]);
      const context = await memory.context(old, { maxTokens: 1000 });
      expect(context).toMatchObject({ included: 4, omitted: 0 });
      if (context.format === 'text')
        expect(context.text.split('\n')[0]).toBe('User (alice): Which size fits a 30 cm box?');
      expect((await memory.search({ session: old }, 'carton')).hits).toHaveLength(2);

      // The old session is a record of what was sent: memory continues it in a branch.
      expect(await codeOf(memory.addMessage(old, { role: 'user', content: 'x' }))).toBe('CONFLICT');
      const last = recent.messages.at(-1)!;
      await memory.branch(old, last.id, { name: 'chat-7 continued' });
      await memory.addMessage('chat-7 continued', { role: 'user', content: 'Thanks!', agent: 'alice' });
      const continued = await memory.context('chat-7 continued', { maxTokens: 1000, maxMessages: 2 });
      if (continued.format === 'text')
        expect(continued.text).toBe('Assistant: Take the large carton.\nUser (alice): Thanks!');
      expect(continued).toMatchObject({ included: 2, omitted: 3 });
      let exported = '';
      for await (const chunk of await memory.exportSession('chat-7 continued', 'json')) exported += chunk;
      expect((JSON.parse(exported) as { messages: unknown[] }).messages).toHaveLength(5);
    } finally {
      await memory.close();
    }
    // Opening the migrated store again changes nothing.
    const again = await memoryIn(dir);
    try {
      expect((await again.recentMessages('chat-7 continued')).messages).toHaveLength(5);
    } finally {
      await again.close();
    }
  });
});
