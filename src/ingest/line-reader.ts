import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createZstdDecompress } from 'node:zlib';

/**
 * One complete line. `bytes` stays valid until the `onChunk` after it returns (a caller may hold a
 * chunk's lines until then), not longer: the buffer is reused for the next chunk.
 */
export type Line = { bytes: Buffer; line: number; offset: number };

export type ReadPosition = { offset: number; lines: number };

/** Where reading ended; `tail` holds an unterminated last line, if the file ends without a newline. */
export type ReadEnd = ReadPosition & { tail: { bytes: Buffer; line: number; offset: number } | null };

const chunkSize = 1 << 20;

/** A file's bytes from `offset`, in reused 1 MiB chunks (each valid until the next is asked for). */
export async function* plainChunks(path: string, offset: number): AsyncIterable<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    let position = offset;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** A zstd-compressed file's decompressed bytes from `offset` (offsets count decompressed bytes). */
export async function* zstdChunks(path: string, offset: number): AsyncIterable<Buffer> {
  let skip = offset;
  for await (const chunk of createReadStream(path).pipe(createZstdDecompress())) {
    const bytes = chunk as Buffer;
    if (skip >= bytes.byteLength) {
      skip -= bytes.byteLength;
      continue;
    }
    yield skip > 0 ? bytes.subarray(skip) : bytes;
    skip = 0;
  }
}

export function chunksOf(path: string, offset: number): AsyncIterable<Buffer> {
  return path.endsWith('.zst') ? zstdChunks(path, offset) : plainChunks(path, offset);
}

/**
 * Reads complete lines from `start`, calling `onLine` for each and `onChunk` with the position
 * after the last complete line whenever a chunk is done (the place to commit progress). Lines of
 * any length are assembled across chunks; the file is never held whole in memory.
 */
export async function readLines(
  chunks: AsyncIterable<Buffer>,
  start: ReadPosition,
  onLine: (line: Line) => void,
  onChunk: (position: ReadPosition) => Promise<void>,
): Promise<ReadEnd> {
  let position = start.offset;
  let lineStart = start.offset;
  let lineNo = start.lines;
  let carry: Buffer[] = [];
  for await (const chunk of chunks) {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(10, from);
      if (newline === -1) break;
      const piece = chunk.subarray(from, newline);
      const bytes = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
      carry = [];
      lineNo++;
      onLine({ bytes, line: lineNo, offset: lineStart });
      lineStart = position + newline + 1;
      from = newline + 1;
    }
    if (from < chunk.byteLength) carry.push(Buffer.from(chunk.subarray(from)));
    position += chunk.byteLength;
    await onChunk({ offset: lineStart, lines: lineNo });
  }
  const tail =
    carry.length === 0 ? null : { bytes: Buffer.concat(carry), line: lineNo + 1, offset: lineStart };
  return { offset: lineStart, lines: lineNo, tail };
}
