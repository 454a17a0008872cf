/** The `--json` output of `agentlog migrate`: a stable contract, evolved by adding optional fields. */

/** Rows and an order-free hash of the key and content-hash columns (see table-plan.ts). */
export type TableDigest = { rows: number; hash: string };

export type TableCheck = { table: string; source: TableDigest; target: TableDigest; ok: boolean };

/** Objects of the blob store, hashed by key and the sha256 of their bytes. */
export type BlobCheck = {
  source: TableDigest & { bytes: number };
  target: TableDigest & { bytes: number };
  /** Objects copied by this run (the others were there already, from an earlier run). */
  copied: number;
  ok: boolean;
};

export type MigrationReport = {
  direction: 'to-postgres' | 'from-postgres';
  source: string;
  target: string;
  /** True when this run continued an interrupted one. */
  resumed: boolean;
  /** Rows this run inserted (a resumed run counts only its own). */
  copiedRows: number;
  tables: TableCheck[];
  /** Null when no `--blobs` was given: blob store objects were not copied. */
  blobs: BlobCheck | null;
  ok: boolean;
  durationMs: number;
};
