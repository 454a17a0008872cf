import type pg from 'pg';
import { AgentlogError } from '../domain/errors.ts';
import { migratePg } from '../storage/postgres/migrate.ts';
import { createPgPool, pgUnavailable } from '../storage/postgres/pg-pool.ts';
import type { ChunkRead, Cell, MigrationSide, Row, SourceIdentity, TableProgress } from './migration-side.ts';
import { parseProgressRows, progressTable } from './progress-rows.ts';
import { chunkWhere, quoted } from './sql-text.ts';
import { pgParam } from '../storage/postgres/pg-text.ts';

/** PostgreSQL's limit on the parameters of one statement is 65,535; a chunk's insert is split below it. */
const maxParams = 30_000;

/**
 * A PostgreSQL schema's end of a migration. jsonb columns travel as compact JSON text (read as
 * text, since `pg` would turn a JSON `null` and SQL NULL into the same value), bytea as bytes.
 */
export class PgSide implements MigrationSide {
  readonly description: string;
  private readonly jsonColumns = new Map<string, Set<string>>();

  private readonly pool: pg.Pool;
  private readonly location: string;

  private constructor(pool: pg.Pool, location: string) {
    this.pool = pool;
    this.location = location;
    this.description = location;
  }

  /** The schema at `url`, brought up to the current version; a source must hold a store already. */
  static async open(url: string, schema: string | undefined, role: 'source' | 'target'): Promise<PgSide> {
    const pool = createPgPool({ url, schema, max: 2 });
    const location = `${describeUrl(url)}${schema === undefined ? '' : ` (schema ${schema})`}`;
    try {
      if (role === 'source') {
        const { rows } = await pool.query<{ t: string | null }>(
          "SELECT to_regclass('schema_migrations') AS t",
        );
        if (rows[0]?.t == null)
          throw new AgentlogError(
            'NOT_FOUND',
            `There is no agentlog store at ${location}: nothing to migrate.`,
            {
              hint: 'Check the URL and --schema (or AGENTLOG_DATABASE_SCHEMA).',
            },
          );
      }
      await migratePg(pool, schema);
    } catch (cause) {
      await pool.end().catch(() => {});
      if (cause instanceof AgentlogError) throw cause;
      throw pgUnavailable(url, cause);
    }
    return new PgSide(pool, location);
  }

  identity(): SourceIdentity {
    return { kind: 'postgres', location: this.location };
  }

  async tables(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    return rows.map((r) => r.name);
  }

  async columns(table: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
       ORDER BY ordinal_position`,
      [table],
    );
    this.jsonColumns.set(
      table,
      new Set(rows.filter((r) => r.type === 'jsonb' || r.type === 'json').map((r) => r.name)),
    );
    return rows.map((r) => r.name);
  }

  async count(table: string, where: string | undefined): Promise<number> {
    const sql = `SELECT COUNT(*) AS n FROM ${quoted(table)}${where === undefined ? '' : ` WHERE ${where}`}`;
    const { rows } = await this.pool.query<{ n: number }>(sql);
    return Number(rows[0]?.n ?? 0);
  }

  async readChunk(read: ChunkRead): Promise<Row[]> {
    const json = this.jsonColumns.get(read.table) ?? new Set<string>();
    const select = read.columns.map((c) => (json.has(c) ? `${quoted(c)}::text` : quoted(c)));
    const after = read.after ?? [];
    const sql =
      `SELECT ${select.join(', ')} FROM ${quoted(read.table)} ` +
      `${chunkWhere(read.where, read.key, read.after, (i) => `$${i + 1}`)} ` +
      `ORDER BY ${read.key.map(quoted).join(', ')} LIMIT $${after.length + 1}`;
    const { rows } = await this.pool.query<Cell[]>({
      text: sql,
      values: [...after, read.limit],
      rowMode: 'array',
    });
    const jsonAt = read.columns.flatMap((c, i) => (json.has(c) ? [i] : []));
    // jsonb's text has spaces after ':' and ','; the embedded store keeps JSON as written, compact.
    for (const row of rows)
      for (const i of jsonAt) if (typeof row[i] === 'string') row[i] = JSON.stringify(JSON.parse(row[i]));
    return rows;
  }

  async writeChunk(
    table: string,
    columns: readonly string[],
    rows: readonly Row[],
    progress: TableProgress,
  ): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const perInsert = Math.max(1, Math.floor(maxParams / Math.max(1, columns.length)));
      for (let start = 0; start < rows.length; start += perInsert)
        await client.query(insertSql(table, columns, rows.slice(start, start + perInsert)));
      await client.query(
        `INSERT INTO ${progressTable} (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [`table:${table}`, JSON.stringify(progress)],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async readProgress(): Promise<{ source: SourceIdentity; tables: Map<string, TableProgress> } | null> {
    if (!(await this.tables()).includes(progressTable)) return null;
    const { rows } = await this.pool.query<{ name: string; value: string }>(
      `SELECT name, value FROM ${progressTable}`,
    );
    return parseProgressRows(rows);
  }

  async beginProgress(source: SourceIdentity): Promise<void> {
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${progressTable} (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    );
    await this.pool.query(
      `INSERT INTO ${progressTable} (name, value) VALUES ('source', $1) ON CONFLICT (name) DO NOTHING`,
      [JSON.stringify(source)],
    );
  }

  /** Ids were copied explicitly, so each serial's sequence is moved past the largest one. */
  async finishCopy(): Promise<void> {
    const { rows } = await this.pool.query<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
    );
    for (const { t, c } of rows)
      await this.pool.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${quoted(c)}), 0) + 1, false) FROM ${quoted(t)}`,
        [quoted(t), c],
      );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function insertSql(table: string, columns: readonly string[], rows: readonly Row[]): pg.QueryConfig {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const marks = row.map((cell) => {
      values.push(cell instanceof Uint8Array && !Buffer.isBuffer(cell) ? Buffer.from(cell) : pgParam(cell));
      return `$${values.length}`;
    });
    return `(${marks.join(', ')})`;
  });
  return {
    text:
      `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES ${tuples.join(', ')} ` +
      'ON CONFLICT DO NOTHING',
    values,
  };
}

/** host:port/database, without credentials: the URL may carry a password. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the PostgreSQL URL given';
  }
}
