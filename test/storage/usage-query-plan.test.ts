import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { UsageGroup } from '../../src/storage/ports.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { usageSql } from '../../src/storage/sqlite/usage-queries.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

describe('the stats usage query on SQLite', () => {
  it('reads the usage_report index alone, whatever the grouping and filters', async () => {
    const path = join(tempDir(), 'agentlog.db');
    await new SqliteStore(path).close();
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      for (const groupBy of ['bucket', 'model', 'session'] satisfies UsageGroup[]) {
        for (const source of [null, 'claude-code']) {
          const plan = db
            .prepare(`EXPLAIN QUERY PLAN ${usageSql(groupBy)}`)
            .all(1, source, source, 0, Date.now())
            .map((r) => (r as { detail: string }).detail);
          expect(plan[0], `${groupBy} ${source}`).toMatch(/^SEARCH usage USING COVERING INDEX usage_report /);
        }
      }
    } finally {
      db.close();
    }
  });
});
