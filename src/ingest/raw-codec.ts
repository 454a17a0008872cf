import { createHash } from 'node:crypto';
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';

/** Raw records are stored zstd-compressed: fast at level 1 and about 5× smaller for JSON. */
export function compressRaw(bytes: Uint8Array): Uint8Array {
  return zstdCompressSync(bytes, { params: { [constants.ZSTD_c_compressionLevel]: 1 } });
}

export function decompressRaw(data: Uint8Array): Buffer {
  return zstdDecompressSync(data);
}

export function rawHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
