import { createHash } from 'node:crypto';
import { chunksOf } from './line-reader.ts';

export const headBytes = 64 * 1024;
const fingerprintBytes = 4096;

/** The first bytes of a file (decompressed for .zst): for detection, and to notice a replaced file. */
export async function readHead(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunksOf(path, 0)) {
    parts.push(Buffer.from(chunk.subarray(0, headBytes - length)));
    length += parts.at(-1)!.byteLength;
    if (length >= headBytes) break;
  }
  return Buffer.concat(parts);
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
