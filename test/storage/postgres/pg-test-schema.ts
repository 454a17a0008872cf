import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPgPool } from '../../../src/storage/postgres/pg-pool.ts';

/** The test server on this machine (trust auth, database `test`). */
export const testDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh schema for one store: test files run in parallel on one database, so each keeps to its
 * own schema, dropped at the end.
 */
export async function freshPgSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `agentlog_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    url: testDatabaseUrl,
    schema,
    drop: async () => {
      const pool = createPgPool({ url: testDatabaseUrl, max: 1 });
      try {
        await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}
