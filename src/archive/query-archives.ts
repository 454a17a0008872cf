import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AgentlogError } from '../domain/errors.ts';
import type { RedactionCounts } from '../enrich/text-redactor.ts';
import type { BlobStore, Store } from '../storage/ports.ts';
import { archivedMessageColumns, rawRecordColumns, type Columns } from './archive-rows.ts';
import { openDuck, sqlString, type Duck } from './duckdb.ts';
import { SecretGate } from './secret-gate.ts';
import { readManifest } from './verify-checkpoint.ts';

export type ArchiveQuery = {
  /** Columns of the answer, with their DuckDB types. */
  columns: { name: string; type: string }[];
  /**
   * Rows as JSON values (BIGINT beyond 2^53 and decimals as strings), a chunk at a time, through
   * the secret gate: archives copy the store, which may hold secrets (redaction off, older rules).
   */
  rows: AsyncIterable<unknown[][]>;
  /** Secrets the gate masked in the rows read so far, by kind (complete once `rows` is done). */
  secretsMasked: RedactionCounts;
};

export type ArchiveSession = {
  /** The project's checkpoints readable as the views `messages`, `raw_records` and `checkpoints`. */
  query(sql: string): Promise<ArchiveQuery>;
  close(): Promise<void>;
};

/**
 * Opens the project's archives for SQL (DuckDB): `messages` and `raw_records` read the Parquet
 * files of every checkpoint (`messages.time` is the timestamp as a TIMESTAMP), `checkpoints` is
 * the index. Files not on the local disk are copied to a temporary directory first.
 */
export async function openArchives(deps: {
  store: Store;
  blobs: BlobStore;
  projectId: number;
}): Promise<ArchiveSession> {
  const checkpoints = await deps.store.listCheckpoints(deps.projectId);
  const cache = await mkdtemp(join(tmpdir(), 'agentlog-query-'));
  const duck = await openDuck();
  try {
    const files: Record<'messages' | 'raw_records', string[]> = { messages: [], raw_records: [] };
    for (const checkpoint of checkpoints) {
      const read = await readManifest(deps.blobs, checkpoint);
      if ('problem' in read) {
        throw new AgentlogError('CONFLICT', `Checkpoint ${checkpoint.seq} cannot be read: ${read.problem}.`, {
          hint: 'Run `npx agentlog checkpoint verify` to see which checkpoints are damaged.',
        });
      }
      for (const file of read.manifest.files) {
        if (file.format !== 'parquet') continue;
        files[file.table].push(await localCopy(deps.blobs, file.key, cache));
      }
    }
    await view(duck, 'messages', archivedMessageColumns, files.messages, ', epoch_ms("timestamp") AS time');
    await view(duck, 'raw_records', rawRecordColumns, files.raw_records, '');
    await duck.connection.run(
      `CREATE TABLE checkpoints (seq INTEGER, label VARCHAR, created_at TIMESTAMP, messages BIGINT,
         raw_records BIGINT, first_time TIMESTAMP, last_time TIMESTAMP, bytes BIGINT, sha256 VARCHAR, verified_at TIMESTAMP)`,
    );
    for (const c of checkpoints) {
      const ms = (v: number | null) => (v === null ? 'NULL' : `epoch_ms(${Math.trunc(v)})`);
      await duck.connection.run(
        `INSERT INTO checkpoints VALUES (${c.seq}, ${c.label === null ? 'NULL' : sqlString(c.label)}, ${ms(c.createdAt)},
           ${c.messages}, ${c.rawRecords}, ${ms(c.firstTimestamp)}, ${ms(c.lastTimestamp)}, ${c.bytes},
           ${sqlString(c.sha256)}, ${ms(c.verifiedAt)})`,
      );
    }
  } catch (error) {
    duck.close();
    await rm(cache, { recursive: true, force: true });
    throw error;
  }
  return {
    query: (sql) => runQuery(duck, sql),
    async close() {
      duck.close();
      await rm(cache, { recursive: true, force: true });
    },
  };
}

async function view(
  duck: Duck,
  name: string,
  columns: Columns,
  paths: string[],
  extra: string,
): Promise<void> {
  if (paths.length > 0) {
    const list = paths.map(sqlString).join(', ');
    await duck.connection.run(
      `CREATE VIEW ${name} AS SELECT *${extra} FROM read_parquet([${list}], union_by_name = true)`,
    );
    return;
  }
  // No archive yet: the same columns, no rows.
  const empty = columns.map(([column, type]) => `CAST(NULL AS ${type}) AS "${column}"`).join(', ');
  await duck.connection.run(`CREATE VIEW ${name} AS SELECT *${extra} FROM (SELECT ${empty}) WHERE false`);
}

async function localCopy(blobs: BlobStore, key: string, cache: string): Promise<string> {
  const path = blobs.locate(key);
  if (existsSync(path)) return path;
  const body = await blobs.get(key);
  if (body === null) throw new AgentlogError('NOT_FOUND', `The archive file ${key} is missing.`);
  const copy = join(cache, key.replaceAll('/', '_'));
  await pipeline(Readable.from(body), createWriteStream(copy));
  return copy;
}

async function runQuery(duck: Duck, sql: string): Promise<ArchiveQuery> {
  let result;
  try {
    result = await duck.connection.stream(sql);
  } catch (cause) {
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `The query failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        hint: 'Tables: messages, raw_records, checkpoints (DuckDB SQL). Try: SELECT COUNT(*) FROM messages',
      },
    );
  }
  const names = result.columnNames();
  const types = result.columnTypes().map((t) => t.toString());
  const gate = new SecretGate();
  return {
    columns: names.map((name, i) => ({ name, type: types[i] ?? 'UNKNOWN' })),
    rows: (async function* () {
      for await (const rows of result.yieldRowsJson()) {
        yield (rows as unknown[][]).map((row) => row.map((cell) => gate.value(cell)));
      }
    })(),
    secretsMasked: gate.masked,
  };
}
