import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export const headBytes = 64 * 1024;
const fingerprintBytes = 4096;

/** The first bytes of a file: for format detection, and to notice a file replaced under the same name. */
export async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(headBytes);
    const { bytesRead } = await handle.read(buffer, 0, headBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
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
