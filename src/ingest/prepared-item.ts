import type { MessageEnrichment } from '../domain/enrichment.ts';
import type { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import type { ParsedRecord } from '../sources/source-format.ts';
import { compressRaw, rawHash } from './raw-codec.ts';

/** Raw bytes as stored: the hash of the (redacted) bytes, what is written, and how many bytes they were. */
export type StoredRaw = { hash: string; data: Uint8Array; byteLength: number };

/**
 * A record after everything `Ingestor.add` does before queueing: redacted, enriched, its raw
 * bytes redacted, hashed and compressed. Plain data, so a worker thread can make it.
 */
export type PreparedItem = {
  record: ParsedRecord;
  enrichment: MessageEnrichment | undefined;
  raw: StoredRaw | null;
};

export function storedRaw(bytes: Uint8Array): StoredRaw {
  return { hash: rawHash(bytes), data: compressRaw(bytes), byteLength: bytes.byteLength };
}

/** The CPU work of ingesting one record that does not touch the store. */
export function prepareItem(
  pipeline: IngestPipeline,
  record: ParsedRecord,
  raw: Uint8Array | null,
): PreparedItem {
  const prepared = pipeline.prepare(record, raw);
  return {
    record: prepared.record,
    enrichment: prepared.enrichment,
    raw: prepared.raw === null ? null : storedRaw(prepared.raw),
  };
}
