import { stat } from 'node:fs/promises';
import type { SkippedLine } from '../domain/skipped-line.ts';
import type { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import type { SourceFormat } from '../sources/source-format.ts';
import type { SourceFileState, Store } from '../storage/ports.ts';
import { importDocument } from './import-document.ts';
import { importLines } from './import-lines.ts';
import { headFingerprint, readFileHead, sameHead } from './file-head.ts';
import { Ingestor } from './ingestor.ts';
import type { ReadPosition } from './line-reader.ts';

export type FileOutcome =
  | { status: 'unchanged' }
  | { status: 'skipped'; reason: string }
  | {
      status: 'imported';
      messages: number;
      newMessages: number;
      sessions: string[];
      skippedLines: SkippedLine[];
      bytesRead: number;
    };

export type ImportFileOptions = {
  store: Store;
  projectId: number;
  format: SourceFormat;
  path: string;
  onBytes?: (bytes: number) => void;
  /** Redaction and enrichment before the first write (default: mask, see agentlog.ingestPipeline). */
  pipeline?: IngestPipeline;
};

/** What both layouts need to read a file: where to start and how to record where they stopped. */
export type FileJob = {
  path: string;
  /** Where the file's records go: documents ask it what it already holds before preparing them. */
  store: Store;
  projectId: number;
  source: string;
  start: ReadPosition;
  ingestor: Ingestor;
  skippedLines: SkippedLine[];
  /** Where reading stopped; `partial` for a commit before the end of the file. */
  stateAt(position: ReadPosition, partial?: boolean): SourceFileState;
  onBytes: (bytes: number) => void;
};

/**
 * Imports one transcript file through the Ingestor. Unchanged files (same size and mtime) are
 * recognised without reading; a JSON Lines file that grew is read from where the last import
 * stopped; a file replaced or truncated is read again from the start (idempotent keys make that safe).
 */
export async function importFile(options: ImportFileOptions): Promise<FileOutcome> {
  const { store, projectId, format, path } = options;
  const info = await stat(path).catch(() => null);
  if (info === null) return { status: 'skipped', reason: 'cannot be read (missing or no permission)' };
  const prior = await store.getSourceFile(projectId, format.name, path);
  if (prior && prior.size === info.size && prior.mtimeMs === info.mtimeMs) return { status: 'unchanged' };
  // A FIFO or device named like a transcript would block or never end: never open one.
  if (!info.isFile()) return { status: 'skipped', reason: 'not a regular file' };
  if (info.size === 0) return { status: 'skipped', reason: 'empty file' };

  let head: Buffer;
  let complete: boolean;
  try {
    ({ bytes: head, complete } = await readFileHead(path));
  } catch (error) {
    return {
      status: 'skipped',
      reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    };
  }
  const fileHead = { path, text: head.toString('utf8'), complete };
  // An agent writing both layouts (Gemini CLI) picks, per file, the format that reads it.
  const fileFormat = format.formatFor?.(fileHead) ?? format;
  const resumes =
    fileFormat.layout === 'lines' &&
    prior !== null &&
    info.size >= prior.offset &&
    sameHead(head, prior.headHash);
  const start: ReadPosition = resumes
    ? { offset: prior.offset, lines: prior.lines }
    : { offset: 0, lines: 0 };
  if (!resumes) {
    const detection = fileFormat.detect(fileHead);
    if (!detection.ok)
      return { status: 'skipped', reason: `not a ${format.name} transcript: ${detection.reason}` };
  }

  const job: FileJob = {
    path,
    store,
    projectId,
    source: format.name,
    start,
    ingestor: new Ingestor(store, projectId, format.name, options.pipeline),
    skippedLines: [],
    stateAt: (position, partial = false) => ({
      source: format.name,
      path,
      // Mid-file, only the bytes read so far count as the size: if the import dies before the
      // end, the file does not look unchanged, and the next import reads on from the offset.
      size: partial ? position.offset : info.size,
      mtimeMs: info.mtimeMs,
      offset: position.offset,
      lines: position.lines,
      headHash: headFingerprint(head, Math.max(position.offset, 1)),
      format: format.name,
    }),
    onBytes: options.onBytes ?? (() => {}),
  };
  const end =
    fileFormat.layout === 'lines'
      ? await importLines(job, fileFormat)
      : await importDocument(job, fileFormat, info.size);
  if (typeof end === 'string') return { status: 'skipped', reason: end };
  const totals = job.ingestor.totals;
  return {
    status: 'imported',
    messages: totals.messages,
    newMessages: totals.newMessages,
    sessions: [...totals.sessions],
    skippedLines: job.skippedLines,
    bytesRead: end.offset - start.offset,
  };
}
