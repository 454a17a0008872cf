import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { AgentlogError } from '../domain/errors.ts';
import type { Columns } from './archive-rows.ts';

export type Duck = { connection: DuckDBConnection; close(): void };

/**
 * An in-memory DuckDB for Parquet work. It never installs or loads extensions by itself: JSON and
 * Parquet are built into the bundled binary, so nothing is fetched at run time (works offline).
 */
export async function openDuck(options: { threads?: number; memoryLimit?: string } = {}): Promise<Duck> {
  let instance: DuckDBInstance;
  try {
    // Loaded on first use: the native module costs every other command ~150 ms at start.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      threads: String(options.threads ?? 2),
      memory_limit: options.memoryLimit ?? '512MB',
      preserve_insertion_order: 'true',
    });
  } catch (cause) {
    throw new AgentlogError('UNAVAILABLE', 'DuckDB could not start.', {
      hint: 'Reinstall the @duckdb/node-api package for this platform.',
      cause,
    });
  }
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Converts a JSON Lines file (gzip or plain) of rows with these columns into a Parquet file
 * (zstd), streaming: DuckDB reads and writes in chunks. BLOB columns arrive as base64 text.
 */
export async function jsonLinesToParquet(
  duck: Duck,
  source: string,
  target: string,
  columns: Columns,
): Promise<void> {
  const read = columns.map(([name, type]) => `${name}: '${type === 'BLOB' ? 'VARCHAR' : type}'`).join(', ');
  const select = columns
    .map(([name, type]) => (type === 'BLOB' ? `from_base64("${name}") AS "${name}"` : `"${name}"`))
    .join(', ');
  await duck.connection.run(
    `COPY (SELECT ${select} FROM read_json(${sqlString(source)}, format = 'newline_delimited',
       columns = {${read}}, maximum_object_size = 67108864))
     TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 50000)`,
  );
}
