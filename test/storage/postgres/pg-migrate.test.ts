import { describe, expect, it } from 'vitest';
import { migratePg, type PgMigration } from '../../../src/storage/postgres/migrate.ts';
import { createPgPool } from '../../../src/storage/postgres/pg-pool.ts';
import { freshPgSchema } from './pg-test-schema.ts';

const table = (version: number): PgMigration => ({
  version,
  name: `t${version}`,
  sql: `CREATE TABLE t${version} (id INTEGER)`,
});

async function withSchema(work: (pool: ReturnType<typeof createPgPool>, schema: string) => Promise<void>) {
  const target = await freshPgSchema();
  const pool = createPgPool({ ...target, max: 2 });
  try {
    await work(pool, target.schema);
  } finally {
    await pool.end();
    await target.drop();
  }
}

const versions = async (pool: ReturnType<typeof createPgPool>) =>
  (await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map(
    (r) => r.version,
  );

describe('PostgreSQL migrations', () => {
  it('apply every missing version, also one below the newest applied, in version order', async () => {
    await withSchema(async (pool, schema) => {
      await migratePg(pool, schema, [table(1), table(10)]);
      expect(await versions(pool)).toEqual([1, 10]);
      // A range filled later (another area's numbers), listed out of order.
      await migratePg(pool, schema, [table(11), table(1), table(5), table(10), table(4)]);
      expect(await versions(pool)).toEqual([1, 4, 5, 10, 11]);
      const tables = await pool.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE 't%'`,
        [schema],
      );
      expect(tables.rows[0]?.n).toBe(5);
    });
  });

  it('refuse a schema holding a version this agentlog does not know, even below its newest', async () => {
    await withSchema(async (pool, schema) => {
      await migratePg(pool, schema, [table(1), table(5), table(10)]);
      const refused = await migratePg(pool, schema, [table(1), table(10), table(11)]).catch(
        (e: unknown) => e,
      );
      expect(refused).toMatchObject({ code: 'STORE_TOO_NEW', message: expect.stringContaining('5') });
      expect(await versions(pool)).toEqual([1, 5, 10]);
    });
  });
});
