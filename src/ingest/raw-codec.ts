import { hash } from 'node:crypto';
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';

const params = { [constants.ZSTD_c_compressionLevel]: 1 };
const defaultChunk = 16 * 1024;

/** Raw records are stored zstd-compressed: fast at level 1 and about 5× smaller for JSON. */
export function compressRaw(bytes: Uint8Array): Uint8Array {
  // An output buffer about the input's size instead of zlib's 16 KiB: most records are small.
  const chunkSize = Math.min(defaultChunk, Math.max(64, bytes.byteLength + 64));
  const out = zstdCompressSync(bytes, { chunkSize, params });
  // The result is a view of that buffer: copy it out, or each queued record would keep (and a
  // worker would send to the writing thread) the whole buffer.
  return out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out);
}

export function decompressRaw(data: Uint8Array): Buffer {
  return zstdDecompressSync(data);
}

export function rawHash(bytes: Uint8Array): string {
  return hash('sha256', bytes);
}
