import type pg from 'pg';
import { AgentlogError } from '../../domain/errors.ts';
import { pgMigrations } from './migrations/index.ts';
import { quoteIdentifier } from './pg-pool.ts';

export type PgMigration = { version: number; name: string; sql: string };

/** Any fixed number: the lock every replica takes while it migrates, so only one migrates at a time. */
const migrationLock = 0x6167_6c67;

/**
 * Brings the schema up to date in one transaction under an advisory lock: several replicas may
 * start at once, and each sees either the old schema or the whole new one. Every known version
 * not applied yet is applied, in version order, even below the newest applied: areas take
 * numbers from separate ranges, so a gap can be filled later.
 */
export async function migratePg(
  pool: pg.Pool,
  schema?: string,
  migrations: readonly PgMigration[] = pgMigrations,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
    // The pool's search_path names the schema; it must exist before the first table goes in.
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => !known.has(v)).sort((a, b) => a - b);
    if (unknown.length > 0) {
      throw new AgentlogError(
        'STORE_TOO_NEW',
        `The PostgreSQL store has schema versions this agentlog does not know: ${unknown.join(', ')}.`,
        { hint: 'Upgrade agentlog on this machine to the version the other replicas run.' },
      );
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
