import type { ParsedRecord } from '../sources/source-format.ts';
import type { PreparedItem, StoredRaw } from './prepared-item.ts';

/** Records to prepare, with the bytes they arrived as. */
export type PrepareInput = { record: ParsedRecord; raw: Uint8Array | null };

/**
 * How records cross between the writing thread and a prepare worker. A prepared record is mostly
 * its enrichment (several KB of small objects), and V8 rebuilds JSON 2-3x faster than a
 * structured clone of the same objects, on the writing thread, the one that limits throughput:
 * so records go as one JSON text, their bytes beside it. A batch carrying what JSON cannot hold
 * (image bytes) goes as a structured clone.
 */
export type Wire<T> = { json: string; bytes: (Uint8Array | null)[] } | { values: T[] };

type JsonRaw = Omit<StoredRaw, 'data'>;

export function encodeInputs(items: readonly PrepareInput[]): Wire<PrepareInput> {
  const bytes = items.map((item) => ownBytes(item.raw));
  const json = items.every(jsonSafe) ? jsonOf(items.map((item) => item.record)) : null;
  if (json === null) return { values: items.map((item, i) => ({ record: item.record, raw: bytes[i]! })) };
  return { json, bytes };
}

export function decodeInputs(wire: Wire<PrepareInput>): PrepareInput[] {
  if ('values' in wire) return wire.values;
  const records = JSON.parse(wire.json) as ParsedRecord[];
  return records.map((record, i) => ({ record, raw: wire.bytes[i] ?? null }));
}

export function encodePrepared(items: readonly PreparedItem[]): Wire<PreparedItem> {
  const plain = items.map(({ record, enrichment, raw }) => ({
    record,
    enrichment,
    raw: raw === null ? null : ({ hash: raw.hash, byteLength: raw.byteLength } satisfies JsonRaw),
  }));
  const json = items.every(jsonSafe) ? jsonOf(plain) : null;
  if (json === null) return { values: [...items] };
  return { json, bytes: items.map((item) => item.raw?.data ?? null) };
}

export function decodePrepared(wire: Wire<PreparedItem>): PreparedItem[] {
  if ('values' in wire) return wire.values;
  const plain = JSON.parse(wire.json) as {
    record: ParsedRecord;
    enrichment?: PreparedItem['enrichment'];
    raw: JsonRaw | null;
  }[];
  return plain.map(({ record, enrichment, raw }, i) => ({
    record,
    enrichment,
    raw: raw === null ? null : { ...raw, data: wire.bytes[i]! },
  }));
}

/** Null for values JSON cannot spell (a BigInt): those go as a structured clone, as they came. */
function jsonOf(value: unknown): string | null {
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}

function jsonSafe(item: { record: ParsedRecord }): boolean {
  return item.record.images.length === 0;
}

/**
 * A view's bytes copied out: a message clones a view's whole buffer, and small Buffers are cut
 * from a shared 8 KiB pool.
 */
function ownBytes(raw: Uint8Array | null): Uint8Array | null {
  if (raw === null || raw.byteLength === raw.buffer.byteLength) return raw;
  return new Uint8Array(raw);
}
