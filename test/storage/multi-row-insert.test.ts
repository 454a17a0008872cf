import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MultiRowInsert } from '../../src/storage/sqlite/multi-row-insert.ts';

describe('MultiRowInsert', () => {
  it('writes every queued row once, in order, whatever the count (full chunks and the pieces of the rest)', () => {
    const db = new DatabaseSync(':memory:');
    try {
      db.exec('CREATE TABLE t (batch INTEGER NOT NULL, n INTEGER NOT NULL, label TEXT NOT NULL)');
      const insert = new MultiRowInsert(db, 'INSERT INTO t (batch, n, label)', 3);
      const counts = [0, 1, 2, 3, 31, 63, 64, 65, 127, 128, 200, 1000];
      for (const [batch, count] of counts.entries()) {
        for (let n = 0; n < count; n++) insert.add(batch, n, `row ${n}`);
        insert.flush();
      }
      for (const [batch, count] of counts.entries()) {
        const rows = db.prepare('SELECT n, label FROM t WHERE batch = ? ORDER BY rowid').all(batch) as {
          n: number;
          label: string;
        }[];
        expect(
          rows.map((r) => r.n),
          `${count} rows`,
        ).toEqual([...Array(count).keys()]);
        expect(rows.every((r) => r.label === `row ${r.n}`)).toBe(true);
      }
    } finally {
      db.close();
    }
  });
});
