import { hash } from 'node:crypto';
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';

const params = { [constants.ZSTD_c_compressionLevel]: 1 };
const defaultChunk = 16 * 1024;

/**
 * Below this, a JSON record is stored as it is: a one-shot zstd call costs ~15 µs whatever the
 * size (a third of the ingest of a 400-byte API message) and saves a few hundred bytes at most.
 * Checkpoints compress these when they archive them (`asZstd`), so archives hold zstd only.
 */
const plainBelowBytes = 512;

/** Every zstd frame starts with these bytes; a JSON record starts with `{` or `[`. */
const zstdMagic = [0x28, 0xb5, 0x2f, 0xfd] as const;

export function isZstd(data: Uint8Array): boolean {
  return zstdMagic.every((byte, i) => data[i] === byte);
}

/** Raw records are stored zstd-compressed (fast at level 1, about 5× smaller for JSON), small JSON ones as they are. */
export function compressRaw(bytes: Uint8Array): Uint8Array {
  const first = bytes[0];
  if (bytes.byteLength < plainBelowBytes && (first === 0x7b || first === 0x5b)) return copyOf(bytes);
  return zstd(bytes);
}

/** The bytes zstd-compressed, whichever way they were stored. */
export function asZstd(data: Uint8Array): Uint8Array {
  return isZstd(data) ? data : zstd(data);
}

export function decompressRaw(data: Uint8Array): Buffer {
  return isZstd(data) ? zstdDecompressSync(data) : Buffer.from(data);
}

export function rawHash(bytes: Uint8Array): string {
  return hash('sha256', bytes);
}

function zstd(bytes: Uint8Array): Uint8Array {
  // An output buffer about the input's size instead of zlib's 16 KiB: most records are small.
  const chunkSize = Math.min(defaultChunk, Math.max(64, bytes.byteLength + 64));
  return copyOf(zstdCompressSync(bytes, { chunkSize, params }));
}

/**
 * Views are copied out, or each queued record would keep (and a worker would send to the writing
 * thread) the whole buffer it was cut from.
 */
function copyOf(bytes: Uint8Array): Uint8Array {
  return bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
