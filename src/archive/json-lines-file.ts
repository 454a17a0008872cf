import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
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
 * (of the bytes on disk, so a later read can be checked against it). `plainCopy` also writes the
 * text uncompressed there (DuckDB reads a plain file in parallel, a gzip one on one thread).
 */
export async function writeJsonLinesGz(
  path: string,
  rows: AsyncIterable<Record<string, unknown>>,
  options: { plainCopy?: string } = {},
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
  const plain = options.plainCopy === undefined ? null : createWriteStream(options.plainCopy);
  async function* text() {
    for await (const chunk of jsonLines(rows, counter)) {
      if (plain !== null && !plain.write(chunk)) await once(plain, 'drain');
      yield chunk;
    }
  }
  try {
    await pipeline(Readable.from(text()), createGzip({ level: 4 }), tap, createWriteStream(path));
  } finally {
    plain?.end();
  }
  if (plain !== null) await finished(plain);
  return { path, rows: counter.rows, bytes, sha256: hash.digest('hex'), textBytes: counter.textBytes };
}
