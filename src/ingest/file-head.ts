import { createHash } from 'node:crypto';
import { chunksOf } from './line-reader.ts';

export const headBytes = 64 * 1024;
const fingerprintBytes = 4096;

/**
 * The first bytes of a file (decompressed for .zst), and whether they are the whole file: reading
 * reached its end (for .zst, decompression did), which the file's size cannot tell when it is
 * compressed. A file of exactly `headBytes` is complete: reading goes on until a byte past them.
 */
export async function readFileHead(path: string): Promise<{ bytes: Buffer; complete: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunksOf(path, 0)) {
    if (length + chunk.byteLength > headBytes) {
      parts.push(Buffer.from(chunk.subarray(0, headBytes - length)));
      return { bytes: Buffer.concat(parts), complete: false };
    }
    // Copied: a chunk's buffer is reused for the next one.
    parts.push(Buffer.from(chunk));
    length += chunk.byteLength;
  }
  return { bytes: Buffer.concat(parts), complete: true };
}

/** The first bytes of a file (decompressed for .zst): for detection, and to notice a replaced file. */
export async function readHead(path: string): Promise<Buffer> {
  return (await readFileHead(path)).bytes;
}

/** Fingerprint of the first `min(upTo, 4096)` bytes, with the length it covers. */
export function headFingerprint(head: Buffer, upTo: number): string {
  const length = Math.min(upTo, fingerprintBytes, head.byteLength);
  return `${length}:${createHash('sha256').update(head.subarray(0, length)).digest('hex').slice(0, 32)}`;
}

/** Whether a file still starts with the bytes it started with when `fingerprint` was taken. */
export function sameHead(head: Buffer, fingerprint: string): boolean {
  const length = Number(fingerprint.slice(0, fingerprint.indexOf(':')));
  return headFingerprint(head, length) === fingerprint;
}
