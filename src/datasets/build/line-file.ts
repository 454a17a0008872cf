import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export type WrittenLines = { path: string; bytes: number; sha256: string; records: number };

/** Lines are gathered into chunks of about this many characters before each write. */
const chunkChars = 1 << 20;

/** A file written line by line (or as text), with its size and sha256 taken as it is written. */
export class LineFile {
  readonly path: string;
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private buffer = '';
  private bytes = 0;
  records = 0;

  constructor(path: string) {
    this.path = path;
    this.stream = createWriteStream(path, { flags: 'wx' });
  }

  async line(text: string): Promise<void> {
    this.records++;
    await this.text(`${text}\n`);
  }

  async text(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= chunkChars) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const bytes = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    this.hash.update(bytes);
    this.bytes += bytes.byteLength;
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
  }

  async close(): Promise<WrittenLines> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    return { path: this.path, bytes: this.bytes, sha256: this.hash.digest('hex'), records: this.records };
  }

  /** Closes the file after a failure; its content no longer matters. */
  destroy(): void {
    this.stream.destroy();
  }
}

export async function* readLineFile(path: string): AsyncIterable<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line.length > 0) yield line;
}

/** sha256 and size of a file written by another tool (DuckDB). */
export async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}
