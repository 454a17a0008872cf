import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const flushAt = 1 << 20;

/** A JSON Lines file written in ~1 MB appends, counting the bytes written. */
export class JsonlFile {
  bytes = 0;
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  write(record: unknown): void {
    const line = `${JSON.stringify(record)}\n`;
    this.parts.push(line);
    this.pending += line.length;
    if (this.pending >= flushAt) this.flush();
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.bytes += writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }
}
