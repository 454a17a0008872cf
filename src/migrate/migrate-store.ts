import type { BlobStore } from '../storage/ports.ts';
import { copyBlobObjects, verifyBlobObjects } from './copy-blobs.ts';
import { copyTables, planTables, type ChunkDone } from './copy-tables.ts';
import type { MigrationSide } from './migration-side.ts';
import type { MigrationReport } from './migration-report.ts';
import { prepareTarget } from './target-check.ts';
import { verifyTables } from './verify-copy.ts';

export type MigrateStoreInput = {
  direction: MigrationReport['direction'];
  source: MigrationSide;
  target: MigrationSide;
  /** Blob store objects to copy too (`--blobs`). */
  blobs?: { source: BlobStore; target: BlobStore } | undefined;
  chunkRows?: number | undefined;
  onChunk?: (done: ChunkDone) => Promise<void> | void;
  onBlob?: (key: string, copied: number) => void;
  onPhase?: (phase: 'copy' | 'blobs' | 'verify') => void;
};

const defaultChunkRows = 1_000;

/**
 * Copies a whole store into another of the other kind, then compares them table by table (and
 * the blob objects). Interrupted, it continues where the last committed chunk ended when run
 * again. The report says whether everything matched; it does not throw for a mismatch.
 */
export async function migrateStore(input: MigrateStoreInput): Promise<MigrationReport> {
  const started = Date.now();
  const { source, target } = input;
  const tables = await planTables(source, target);
  const { resumed, progress } = await prepareTarget(source, target, tables);
  input.onPhase?.('copy');
  const copiedRows = await copyTables(source, target, tables, progress, {
    chunkRows: input.chunkRows ?? defaultChunkRows,
    ...(input.onChunk === undefined ? {} : { onChunk: input.onChunk }),
  });
  let copiedBlobs = 0;
  if (input.blobs !== undefined) {
    input.onPhase?.('blobs');
    copiedBlobs = await copyBlobObjects(input.blobs.source, input.blobs.target, input.onBlob);
  }
  input.onPhase?.('verify');
  const checks = await verifyTables(source, target, tables);
  const blobs =
    input.blobs === undefined
      ? null
      : await verifyBlobObjects(input.blobs.source, input.blobs.target, copiedBlobs);
  return {
    direction: input.direction,
    source: source.description,
    target: target.description,
    resumed,
    copiedRows,
    tables: checks,
    blobs,
    ok: checks.every((c) => c.ok) && (blobs?.ok ?? true),
    durationMs: Date.now() - started,
  };
}
