import type { DatabaseSync } from 'node:sqlite';
import { AgentlogError } from '../../domain/errors.ts';

export type Migration = { version: number; name: string; sql: string };

/** Brings a store up to the latest schema in place; each step commits with its version record. */
export function migrate(db: DatabaseSync, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new AgentlogError(
      'STORE_TOO_NEW',
      `The store was written by a newer agentlog (schema ${current}; this version knows up to ${latest}).`,
      { hint: 'Upgrade agentlog, or point --data-dir at another store.' },
    );
  }
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    // Each version not yet applied, not only those above the highest: numbers reserved side by side
    // can land out of order (a store at 9 still gets 4 when 4 arrives later).
    if (applied.has(migration.version)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
