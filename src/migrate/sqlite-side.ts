import { existsSync, realpathSync } from 'node:fs';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { AgentlogError } from '../domain/errors.ts';
import { migrate } from '../storage/sqlite/migrate.ts';
import { migrations } from '../storage/sqlite/migrations/index.ts';
import { openDatabase } from '../storage/sqlite/open-database.ts';
import type { ChunkRead, MigrationSide, Row, SourceIdentity, TableProgress } from './migration-side.ts';
import { chunkWhere, quoted } from './sql-text.ts';
import { parseProgressRows, progressTable } from './progress-rows.ts';

/**
 * The embedded store's end of a migration. Rows go in through plain INSERTs on the same schema;
 * the full-text index, which SQLite keeps beside `messages` rather than in it, is written with
 * each chunk of messages.
 */
export class SqliteSide implements MigrationSide {
  readonly description: string;
  private readonly statements = new Map<string, StatementSync>();

  private readonly db: DatabaseSync;
  private readonly path: string;

  private constructor(db: DatabaseSync, path: string) {
    this.db = db;
    this.path = path;
    this.description = path;
  }

  /** The store at `path`, brought up to the current schema; a source must exist already. */
  static open(path: string, role: 'source' | 'target'): SqliteSide {
    if (role === 'source' && !existsSync(path))
      throw new AgentlogError('NOT_FOUND', `There is no embedded store at ${path}: nothing to migrate.`, {
        hint: 'Point --data-dir (or AGENTLOG_HOME) at the directory holding agentlog.db.',
      });
    const db = openDatabase(path);
    migrate(db, migrations);
    return new SqliteSide(db, realpathSync(path));
  }

  identity(): SourceIdentity {
    return { kind: 'sqlite', location: this.path };
  }

  async tables(): Promise<string[]> {
    const rows = this.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
    return rows.map((r) => String(r.name));
  }

  async columns(table: string): Promise<string[]> {
    // table_xinfo marks generated and virtual-table hidden columns with hidden != 0.
    const rows = this.db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?)`).all(table);
    return rows.filter((r) => r.hidden === 0).map((r) => String(r.name));
  }

  async count(table: string, where: string | undefined): Promise<number> {
    const sql = `SELECT COUNT(*) AS n FROM ${quoted(table)}${where === undefined ? '' : ` WHERE ${where}`}`;
    return Number(this.db.prepare(sql).get()?.n ?? 0);
  }

  async readChunk(read: ChunkRead): Promise<Row[]> {
    const sql =
      `SELECT ${read.columns.map(quoted).join(', ')} FROM ${quoted(read.table)} ` +
      `${chunkWhere(read.where, read.key, read.after, () => '?')} ` +
      `ORDER BY ${read.key.map(quoted).join(', ')} LIMIT ?`;
    const statement = this.statement(sql);
    statement.setReturnArrays(true);
    const params = [...(read.after ?? []), read.limit] as SQLInputValue[];
    return statement.all(...params) as unknown as Row[];
  }

  async writeChunk(
    table: string,
    columns: readonly string[],
    rows: readonly Row[],
    progress: TableProgress,
  ): Promise<void> {
    const insert = this.statement(
      `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) ` +
        `VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`,
    );
    const fts = table === 'messages' ? this.ftsWriter(columns) : undefined;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const row of rows) {
        const { changes } = insert.run(...(row as SQLInputValue[]));
        if (changes > 0) fts?.(row);
      }
      this.statement(
        `INSERT INTO ${progressTable} (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      ).run(`table:${table}`, JSON.stringify(progress));
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async readProgress(): Promise<{ source: SourceIdentity; tables: Map<string, TableProgress> } | null> {
    if (!(await this.tables()).includes(progressTable)) return null;
    const rows = this.db.prepare(`SELECT name, value FROM ${progressTable}`).all();
    return parseProgressRows(rows.map((r) => ({ name: String(r.name), value: String(r.value) })));
  }

  async beginProgress(source: SourceIdentity): Promise<void> {
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${progressTable} (name TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    this.db
      .prepare(
        `INSERT INTO ${progressTable} (name, value) VALUES ('source', ?) ON CONFLICT (name) DO NOTHING`,
      )
      .run(JSON.stringify(source));
  }

  async finishCopy(): Promise<void> {
    // Nothing derived: INTEGER PRIMARY KEY ids continue after the largest one copied.
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * `messages_fts` is an external-content index: each new message's text goes in under its id,
   * as the batch writer does it (a message without text is not indexed).
   */
  private ftsWriter(columns: readonly string[]): (row: Row) => void {
    const id = columns.indexOf('id');
    const text = columns.indexOf('text');
    const insert = this.statement('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)');
    return (row) => {
      const value = row[text];
      if (typeof value === 'string' && value.length > 0) insert.run(row[id] as SQLInputValue, value);
    };
  }
}
