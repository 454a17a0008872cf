import type { Writable } from 'node:stream';

/** Where a command writes: results to stdout, progress and messages to stderr. */
export type CliIo = {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
};

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
