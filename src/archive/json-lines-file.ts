import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export type WrittenFile = {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
  /** Bytes of the JSON Lines text before compression. */
  textBytes: number;
};

/** Lines are joined into chunks of about this size before compression: fewer, larger writes. */
const chunkChars = 256 * 1024;

export type LineCounter = { rows: number; textBytes: number };

/** Rows as JSON Lines text, in chunks; the counter counts the rows and bytes given out. */
export async function* jsonLines(rows: AsyncIterable<Record<string, unknown>>, counter: LineCounter) {
  let buffer = '';
  for await (const row of rows) {
    buffer += `${JSON.stringify(row)}\n`;
    counter.rows++;
    if (buffer.length >= chunkChars) {
      counter.textBytes += Buffer.byteLength(buffer);
      yield buffer;
      buffer = '';
    }
  }
  counter.textBytes += Buffer.byteLength(buffer);
  if (buffer.length > 0) yield buffer;
}

/**
 * Writes rows as gzip-compressed JSON Lines, streaming, and returns the file's size and sha256
 * (of the bytes on disk, so a later read can be checked against it).
 */
export async function writeJsonLinesGz(
  path: string,
  rows: AsyncIterable<Record<string, unknown>>,
): Promise<WrittenFile> {
  const counter: LineCounter = { rows: 0, textBytes: 0 };
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      done(null, chunk);
    },
  });
  await pipeline(
    Readable.from(jsonLines(rows, counter)),
    createGzip({ level: 4 }),
    tap,
    createWriteStream(path),
  );
  return { path, rows: counter.rows, bytes, sha256: hash.digest('hex'), textBytes: counter.textBytes };
}
