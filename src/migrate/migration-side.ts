/**
 * One end of `agentlog migrate`: the embedded SQLite file or a PostgreSQL schema. The copier
 * reads the source and writes the target through this port only, table by table, so each
 * direction is the same code with the two ends swapped.
 */

/** A cell as both ends hand it over: JSON columns as compact JSON text, binary as bytes. */
export type Cell = string | number | Uint8Array | null;
export type Row = Cell[];

/** Where a resumed copy of one table starts: after this key (in the source's key order). */
export type TableProgress = { after: Cell[] | null; rows: number };

/** Which store a target was filled from, so a rerun resumes only the same migration. */
export type SourceIdentity = { kind: 'sqlite' | 'postgres'; location: string };

export interface MigrationSide {
  /** For people: a file path, or a URL without its password and the schema. */
  readonly description: string;
  /** Every table of the store (the copier refuses tables it has no plan for). */
  tables(): Promise<string[]>;
  /** The table's columns that hold data (not generated ones), in table order. */
  columns(table: string): Promise<string[]>;
  count(table: string, where: string | undefined): Promise<number>;
  /** Up to `limit` rows after `after` in key order; the key columns must lead `columns`. */
  readChunk(read: ChunkRead): Promise<Row[]>;
  /**
   * Inserts the rows (a row already there is left as it is) and records `progress` for the
   * table, in one transaction: a chunk is either copied and marked, or neither.
   */
  writeChunk(
    table: string,
    columns: readonly string[],
    rows: readonly Row[],
    progress: TableProgress,
  ): Promise<void>;
  /** The resume marks of a previous run into this store, or null when there was none. */
  readProgress(): Promise<{ source: SourceIdentity; tables: Map<string, TableProgress> } | null>;
  /** Starts a migration into this store: records where it comes from. */
  beginProgress(source: SourceIdentity): Promise<void>;
  /** After the copy: whatever the store derives from explicit ids (sequences) is brought up to date. */
  finishCopy(): Promise<void>;
  identity(): SourceIdentity;
  close(): Promise<void>;
}

export type ChunkRead = {
  table: string;
  columns: readonly string[];
  key: readonly string[];
  where: string | undefined;
  after: readonly Cell[] | null;
  limit: number;
};
