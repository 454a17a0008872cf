import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import type { DocumentFormat } from '../sources/source-format.ts';
import type { FileJob } from './import-file.ts';
import type { RawOrigin } from './ingestor.ts';
import type { ReadPosition } from './line-reader.ts';
import { UnchangedRecords, type DocumentItem } from './unchanged-records.ts';

/**
 * Records judged against the store at once (one lookup): a rewritten document is read again
 * whole, and what the store already holds is not prepared again (see unchanged-records.ts).
 */
const lookupChunk = 500;

/** Node cannot hold a string much larger than this; such a document is reported, not attempted. */
const maxDocumentBytes = 512 * 1024 * 1024;

/**
 * Reads a whole-document transcript (rewritten by its agent on every update). Returns a reason
 * string when the file cannot be used now; its state is then not recorded, so the next run retries.
 */
export async function importDocument(
  job: FileJob,
  format: DocumentFormat,
  size: number,
): Promise<ReadPosition | string> {
  if (size > maxDocumentBytes)
    return `larger than ${maxDocumentBytes / 1024 / 1024} MB, too large to parse as one document`;
  const bytes = await readFile(job.path);
  if (!isUtf8(bytes)) return 'invalid UTF-8';
  let value: unknown;
  try {
    // A byte order mark (Windows tools write one) is not JSON: JSON.parse would refuse the file.
    value = JSON.parse(withoutBom(bytes.toString('utf8')));
  } catch (error) {
    // Agents rewrite these files whole: a half-written one parses on a later run.
    return `invalid JSON (perhaps being rewritten; retried next time): ${(error as Error).message}`;
  }
  const { ingestor } = job;
  const unchanged = new UnchangedRecords(job.store, job.projectId, job.source);
  let chunk: DocumentItem[] = [];
  const addChunk = async () => {
    if (chunk.length === 0) return;
    const flags = await unchanged.judge(chunk);
    for (let i = 0; i < chunk.length; i++) {
      const { record, origin } = chunk[i]!;
      if (flags[i]) ingestor.addUnchanged(record);
      else ingestor.add(record, origin);
      if (ingestor.full) await ingestor.flush();
    }
    chunk = [];
  };
  let lastRaw: unknown;
  let origin: RawOrigin | null = null;
  for (const { record, raw, position } of format.parseDocument(job.path, value)) {
    // Records cut from one value (a chat log's conversation) give the same object: store it once.
    if (origin === null || raw !== lastRaw)
      origin = { bytes: Buffer.from(JSON.stringify(raw)), line: position, offset: 0 };
    lastRaw = raw;
    chunk.push({ record, origin });
    if (record.problem !== null)
      job.skippedLines.push({ file: job.path, line: position, reason: record.problem });
    if (chunk.length >= lookupChunk) await addChunk();
  }
  await addChunk();
  const end = { offset: bytes.byteLength, lines: 0 };
  await ingestor.flush(job.stateAt(end));
  job.onBytes(bytes.byteLength);
  return end;
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
