import type { ParsedRecord } from '../sources/source-format.ts';
import type { PreparedItem, StoredRaw } from './prepared-item.ts';
import { isZstd } from './raw-codec.ts';

/** Records to prepare, with the bytes they arrived as. */
export type PrepareInput = { record: ParsedRecord; raw: Uint8Array | null };

/**
 * How records cross between the writing thread and a prepare worker. A prepared record is mostly
 * its enrichment (several KB of small objects), and V8 rebuilds JSON 2-3x faster than a
 * structured clone of the same objects, on the writing thread, the one that limits throughput:
 * so records go as one JSON text, their bytes beside it. A batch carrying what JSON cannot hold
 * (image bytes) goes as a structured clone. What the sender already holds is not sent back: most
 * records have nothing to redact, and small raw records are stored as they came.
 */
export type Wire<T> = { json: string; bytes: (Uint8Array | null)[] } | { values: T[] };

/** A prepared record in JSON: `record` absent when unchanged; `data` absent when the input's bytes are stored. */
type JsonItem = {
  record?: ParsedRecord;
  enrichment?: PreparedItem['enrichment'];
  raw: Omit<StoredRaw, 'data'> | null;
};

/** `sent`: the inputs as sent (their bytes copied out), which decoding the answer needs. */
export function encodeInputs(items: readonly PrepareInput[]): {
  wire: Wire<PrepareInput>;
  sent: PrepareInput[];
} {
  const sent = items.map((item) => ({ record: item.record, raw: ownBytes(item.raw) }));
  const json = items.every(jsonSafe) ? jsonOf(items.map((item) => item.record)) : null;
  if (json === null) return { wire: { values: sent }, sent };
  return { wire: { json, bytes: sent.map((item) => item.raw) }, sent };
}

export function decodeInputs(wire: Wire<PrepareInput>): PrepareInput[] {
  if ('values' in wire) return wire.values;
  const records = JSON.parse(wire.json) as ParsedRecord[];
  return records.map((record, i) => ({ record, raw: wire.bytes[i] ?? null }));
}

/** In the worker: `inputs` are the records as it received them. */
export function encodePrepared(
  items: readonly PreparedItem[],
  inputs: readonly PrepareInput[],
): Wire<PreparedItem> {
  const bytes: (Uint8Array | null)[] = [];
  const plain = items.map(({ record, enrichment, raw }, i): JsonItem => {
    const input = inputs[i]!;
    const same = raw !== null && input.raw !== null && !isZstd(raw.data) && equalBytes(raw.data, input.raw);
    bytes.push(raw === null || same ? null : raw.data);
    const out: JsonItem = {
      enrichment,
      raw: raw === null ? null : { hash: raw.hash, byteLength: raw.byteLength },
    };
    if (record !== input.record) out.record = record;
    return out;
  });
  const json = items.every(jsonSafe) ? jsonOf(plain) : null;
  if (json === null) return { values: [...items] };
  return { json, bytes };
}

/** On the sending thread: `sent` as `encodeInputs` returned it. */
export function decodePrepared(wire: Wire<PreparedItem>, sent: readonly PrepareInput[]): PreparedItem[] {
  if ('values' in wire) return wire.values;
  const plain = JSON.parse(wire.json) as JsonItem[];
  return plain.map(({ record, enrichment, raw }, i) => {
    const input = sent[i]!;
    return {
      record: record ?? input.record,
      enrichment,
      raw: raw === null ? null : { ...raw, data: wire.bytes[i] ?? input.raw! },
    };
  });
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
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
