import type { DatabaseSync } from 'node:sqlite';
import { AgentlogError } from '../../domain/errors.ts';

export type Migration = { version: number; name: string; sql: string };

/**
 * Brings a store up to the latest schema in place; each step commits with its version record.
 * A store already current costs one read and takes no lock, so every command can call it.
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[]): void {
  const applied = appliedVersions(db);
  const current = Math.max(0, ...applied);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new AgentlogError(
      'STORE_TOO_NEW',
      `The store was written by a newer agentlog (schema ${current}; this version knows up to ${latest}).`,
      { hint: 'Upgrade agentlog, or point --data-dir at another store.' },
    );
  }
  // Each version not yet applied, not only those above the highest: numbers reserved side by side
  // can land out of order (a store at 9 still gets 4 when 4 arrives later).
  const pending = migrations.filter((m) => !applied.has(m.version));
  if (pending.length === 0) return;
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of pending) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process opening the same store may have applied it since we looked.
      if (done.get(migration.version) === undefined) {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, Date.now());
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** The versions recorded in schema_migrations; none for a new store. */
function appliedVersions(db: DatabaseSync): Set<number> {
  const table = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return new Set();
  const rows = db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[];
  return new Set(rows.map((r) => r.version));
}

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
