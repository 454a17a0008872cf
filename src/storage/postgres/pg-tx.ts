import type pg from 'pg';
import { named } from './named-params.ts';

/** Queries with `:name` parameters on one connection (inside a transaction, or on the pool). */
export type PgTx = {
  q<T extends pg.QueryResultRow>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
};

export const pgQueries = (client: pg.Pool | pg.PoolClient): PgTx => ({
  q: async <T extends pg.QueryResultRow>(sql: string, params: Record<string, unknown> = {}) =>
    (await client.query<T>(named(sql, params))).rows,
});

/** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
export async function inPgTransaction<T>(pool: pg.Pool, work: (tx: PgTx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(pgQueries(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
