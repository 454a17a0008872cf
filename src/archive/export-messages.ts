import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { AgentlogError } from '../domain/errors.ts';
import type { MessageScan, Store } from '../storage/ports.ts';
import { messageColumns, messageRow } from './archive-rows.ts';
import { jsonLinesToParquet, openDuck } from './duckdb.ts';
import { jsonLines, type LineCounter } from './json-lines-file.ts';
import { SecretGate } from './secret-gate.ts';

export const exportFormats = ['jsonl', 'parquet'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export type ExportOutcome = {
  format: ExportFormat;
  out: string;
  messages: number;
  bytes: number;
  /** Secrets the gate masked on the way out, by kind (see secret-gate.ts); usually none. */
  secretsMasked: Record<string, number>;
};

/** The hot store's messages in id order, as rows of the archive format, through the secret gate. */
export function exportRows(
  store: Store,
  scan: MessageScan,
  gate: SecretGate,
): AsyncIterable<Record<string, unknown>> {
  return (async function* () {
    for await (const m of store.scanMessages(scan)) yield gate.pass(messageRow(m, scan.projectId));
  })();
}

/**
 * Exports messages to a file: JSON Lines (gzip when the name ends in .gz) or Parquet. The file
 * appears whole: it is written beside the target, then renamed over it.
 */
export async function exportMessages(
  store: Store,
  scan: MessageScan,
  options: { format: ExportFormat; out: string },
): Promise<ExportOutcome> {
  const staging = await mkdtemp(join(dirname(options.out), '.agentlog-export-')).catch((cause: unknown) => {
    throw new AgentlogError('INVALID_ARGUMENT', `Cannot write to ${dirname(options.out)}.`, {
      hint: 'Choose a writable directory for --out.',
      cause,
    });
  });
  const gate = new SecretGate();
  try {
    const target = join(staging, 'export');
    const counter: LineCounter = { rows: 0, textBytes: 0 };
    if (options.format === 'parquet') {
      const staged = join(staging, 'rows.jsonl');
      await pipeline(
        Readable.from(jsonLines(exportRows(store, scan, gate), counter)),
        createWriteStream(staged),
      );
      const duck = await openDuck({ threads: 1 });
      try {
        await jsonLinesToParquet(duck, staged, target, messageColumns);
      } finally {
        duck.close();
      }
    } else {
      const text = Readable.from(jsonLines(exportRows(store, scan, gate), counter));
      const file = createWriteStream(target);
      if (options.out.endsWith('.gz')) await pipeline(text, createGzip({ level: 6 }), file);
      else await pipeline(text, file);
    }
    await rename(target, options.out);
    return {
      format: options.format,
      out: options.out,
      messages: counter.rows,
      bytes: (await stat(options.out)).size,
      secretsMasked: gate.masked,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** JSON Lines to an open stream (stdout for `--out -`), which stays open. */
export async function exportToStream(
  store: Store,
  scan: MessageScan,
  stream: Writable,
): Promise<{ messages: number; secretsMasked: Record<string, number> }> {
  const gate = new SecretGate();
  const counter: LineCounter = { rows: 0, textBytes: 0 };
  for await (const chunk of jsonLines(exportRows(store, scan, gate), counter)) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  return { messages: counter.rows, secretsMasked: gate.masked };
}
