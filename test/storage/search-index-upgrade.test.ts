import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { searchMessages } from '../../src/analytics/search.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { writeBare } from '../analytics/seed.ts';

const tempDir = useTempDirs();

function ftsDefinition(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").get() as { sql: string })
      .sql;
  } finally {
    db.close();
  }
}

describe('the search index with prefix indexes (migration 12)', () => {
  it('replaces the index of an old store in place, from its stored text', async () => {
    const path = join(tempDir(), 'agentlog.db');
    copyFileSync(join(ownFixtures, 'stores', 'schema-v1.db'), path);
    expect(ftsDefinition(path)).not.toContain('prefix');
    // A message without text (a tool result), which the writer never gives the index.
    const old = new DatabaseSync(path);
    old.exec(`CREATE TEMP TABLE copy AS SELECT * FROM messages WHERE id = 1;
      UPDATE copy SET id = (SELECT max(id) + 1 FROM messages), external_id = 'no-text', text = '';
      INSERT INTO messages SELECT * FROM copy;`);
    old.close();
    const store = new SqliteStore(path);
    const project = await store.ensureProject('default');
    const find = async (text: string) =>
      (await searchMessages(store, project.id, { text, order: 'recent' })).results.map((r) =>
        r.snippet.slice(0, 16),
      );
    expect(await find('regex')).toEqual(['What does this r']);
    expect(await find('heal*')).toEqual(['Add a health che']);
    expect(await find('he*')).toEqual(['Add a health che']);
    expect(await find('endpoi* ad*')).toEqual(['Add a health che']);
    // New messages are indexed, and the index agrees with the table it is built from.
    await writeBare(store, project.id, 'api', [
      { session: 's', id: 'n', role: 'user', text: 'Healthy endpoint', timestamp: 1 },
    ]);
    expect(await find('heal* endpoint*')).toEqual(['Healthy endpoint', 'Add a health che']);
    await store.close();
    expect(ftsDefinition(path)).toContain("prefix = '2 3 4 5 6'");
    const db = new DatabaseSync(path);
    try {
      // The index's own structure (against the table it would also count the messages without text,
      // which the writer never indexes: FTS5 calls a store written from scratch malformed too).
      expect(() =>
        db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')"),
      ).not.toThrow();
      // Indexed as the writer indexes: messages with text, each once.
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM messages_fts_docsize')).toBe(
        count("SELECT count(*) AS n FROM messages WHERE text <> ''"),
      );
      expect(count('SELECT count(*) AS n FROM messages')).toBeGreaterThan(
        count("SELECT count(*) AS n FROM messages WHERE text <> ''"),
      );
    } finally {
      db.close();
    }
  });
});
