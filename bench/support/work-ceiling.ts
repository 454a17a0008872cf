import { readFileSync } from 'node:fs';
import { IngestPipeline } from '../../src/enrich/ingest-pipeline.ts';
import { sourceFormat } from '../../src/sources/registry.ts';
import type { ParsedRecord, SourceFormat } from '../../src/sources/source-format.ts';
import { serveTimedShare, timedShares } from './timed-workers.ts';

/**
 * How fast an import could possibly go if storing cost nothing: every file read, every line
 * parsed (`JSON.parse` and the source's parser) and, with `prepare`, redacted and enriched as the
 * design requires before the first durable write (DESIGN.md rule 9; the ingest path runs
 * validate → redact → enrich → store). Run on `threads` worker threads, files dealt round-robin.
 * An import's throughput can only be below this, so it bounds what the import goal can reach.
 */
export type CeilingMode = 'parse' | 'prepare';

type Share = { source: string; files: string[]; mode: CeilingMode };
type Done = { records: number; cpuMs: number };

export async function workCeiling(
  source: string,
  files: readonly string[],
  mode: CeilingMode,
  threads: number,
): Promise<{ wallMs: number; cpuMs: number; records: number }> {
  const { wallMs, results } = await timedShares<Share, Done>(
    new URL(import.meta.url),
    files,
    threads,
    (share) => ({ source, files: share, mode }),
  );
  return {
    wallMs,
    cpuMs: results.reduce((sum, d) => sum + d.cpuMs, 0),
    records: results.reduce((sum, d) => sum + d.records, 0),
  };
}

const encoder = new TextEncoder();

function runShare({ source, files, mode }: Share): Done {
  const before = process.threadCpuUsage();
  const pipeline = mode === 'prepare' ? new IngestPipeline() : null;
  const line = sourceFormat(source);
  let records = 0;
  const handle = (record: ParsedRecord, raw: Uint8Array) => {
    records++;
    pipeline?.prepare(record, raw);
  };
  for (const file of files) {
    const bytes = readFileSync(file);
    const format = formatOf(line, file, bytes);
    if (format.layout === 'document') {
      for (const { record, raw } of format.parseDocument(file, JSON.parse(bytes.toString('utf8'))))
        handle(record, encoder.encode(JSON.stringify(raw)));
      continue;
    }
    const parser = format.createParser(file);
    // A format that coalesces copies of a message (Gemini CLI) prepares only the deciding ones, as
    // the import does; here the whole file is one chunk.
    const held: { record: ParsedRecord; raw: Uint8Array }[] = [];
    const take =
      parser.coalesce === undefined
        ? handle
        : (record: ParsedRecord, raw: Uint8Array) => void held.push({ record, raw });
    let from = 0;
    let number = 0;
    while (from < bytes.byteLength) {
      let end = bytes.indexOf(10, from);
      if (end === -1) end = bytes.byteLength;
      number++;
      const raw = bytes.subarray(from, end);
      from = end + 1;
      if (raw.byteLength === 0) continue;
      let value: unknown;
      try {
        value = JSON.parse(raw.toString('utf8'));
      } catch {
        continue; // the import reports and skips such a line; it costs the same here
      }
      const parsed = parser.parse(value, number);
      for (const record of Array.isArray(parsed) ? parsed : [parsed as ParsedRecord]) take(record, raw);
    }
    if (parser.coalesce !== undefined) {
      const kept = parser.coalesce(held.map((h) => h.record));
      kept.forEach((record, i) => handle(record, held[i]!.raw));
    }
  }
  const used = process.threadCpuUsage(before);
  return { records, cpuMs: (used.user + used.system) / 1000 };
}

/** Gemini CLI writes documents beside JSON Lines: the format that reads this file, as the import picks it. */
function formatOf(format: SourceFormat, file: string, bytes: Buffer): SourceFormat {
  if (format.formatFor === undefined) return format;
  return format.formatFor({ path: file, text: bytes.subarray(0, 4096).toString('utf8'), complete: true });
}

const isShare = (data: unknown): data is Share =>
  typeof data === 'object' && data !== null && 'mode' in data && 'source' in data;

serveTimedShare(isShare, (share) => share, runShare);
