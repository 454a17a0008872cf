import { isUtf8 } from 'node:buffer';
import { stat } from 'node:fs/promises';
import type { SkippedLine } from '../domain/skipped-line.ts';
import type { SourceFormat } from '../sources/source-format.ts';
import type { SourceFileState, Store } from '../storage/ports.ts';
import { headFingerprint, readHead, sameHead } from './file-head.ts';
import { Ingestor } from './ingestor.ts';
import { readLines, type Line, type ReadPosition } from './line-reader.ts';

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
};

/**
 * Imports one transcript file through the Ingestor. Unchanged files (same size and mtime) are
 * recognised without reading; a file that grew is read from where the last import stopped; a
 * file that was replaced or truncated is read again from the start (idempotent keys make that safe).
 */
export async function importFile(options: ImportFileOptions): Promise<FileOutcome> {
  const { store, projectId, format, path } = options;
  const info = await stat(path).catch(() => null);
  if (info === null) return { status: 'skipped', reason: 'cannot be read (missing or no permission)' };
  const prior = await store.getSourceFile(projectId, format.name, path);
  if (prior && prior.size === info.size && prior.mtimeMs === info.mtimeMs) return { status: 'unchanged' };

  let head: Buffer;
  try {
    head = await readHead(path);
  } catch (error) {
    return {
      status: 'skipped',
      reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    };
  }
  const resumes = prior !== null && info.size >= prior.offset && sameHead(head, prior.headHash);
  const start: ReadPosition = resumes
    ? { offset: prior.offset, lines: prior.lines }
    : { offset: 0, lines: 0 };
  if (!resumes) {
    if (info.size === 0) return { status: 'skipped', reason: 'empty file' };
    const detection = format.detect({
      path,
      text: head.toString('utf8'),
      complete: head.byteLength < info.size,
    });
    if (!detection.ok)
      return { status: 'skipped', reason: `not a ${format.name} transcript: ${detection.reason}` };
  }

  const ingestor = new Ingestor(store, projectId, format.name);
  const parser = format.createParser(path);
  const skippedLines: SkippedLine[] = [];
  const fileState = (position: ReadPosition): SourceFileState => ({
    source: format.name,
    path,
    size: info.size,
    mtimeMs: info.mtimeMs,
    offset: position.offset,
    lines: position.lines,
    headHash: headFingerprint(head, Math.max(position.offset, 1)),
    format: format.name,
  });

  const onLine = (line: Line): void => {
    const reason = handleLine(line);
    if (reason !== null) skippedLines.push({ file: path, line: line.line, reason });
  };
  const handleLine = (line: Line): string | null => {
    const { bytes } = line;
    if (bytes.byteLength === 0 || (bytes.byteLength === 1 && bytes[0] === 13)) return null;
    if (!isUtf8(bytes)) return 'invalid UTF-8';
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      return `invalid JSON: ${(error as Error).message}`;
    }
    const record = parser.parse(value, line.line);
    ingestor.add(record, line);
    return record.problem;
  };

  let lastOffset = start.offset;
  const end = await readLines(path, start, onLine, async (position) => {
    options.onBytes?.(position.offset - lastOffset);
    lastOffset = position.offset;
    // A chunk ended: commit if the batch is full, with the position after its last complete line.
    if (ingestor.full) await ingestor.flush(fileState(position));
  });

  let finalPosition: ReadPosition = end;
  if (end.tail !== null) {
    // A last line with no newline is complete if it parses; otherwise it is still being written.
    const tailText = isUtf8(end.tail.bytes) ? end.tail.bytes.toString('utf8') : null;
    let complete = false;
    if (tailText !== null) {
      try {
        JSON.parse(tailText);
        complete = true;
      } catch {
        complete = false;
      }
    }
    if (complete) {
      onLine({ bytes: end.tail.bytes, line: end.tail.line, offset: end.tail.offset });
      finalPosition = { offset: end.tail.offset + end.tail.bytes.byteLength, lines: end.tail.line };
    } else {
      skippedLines.push({
        file: path,
        line: end.tail.line,
        reason: 'incomplete last line (the file may still be being written); it is read once it is complete',
      });
    }
  }
  await ingestor.flush(fileState(finalPosition));
  options.onBytes?.(finalPosition.offset - lastOffset);
  return {
    status: 'imported',
    messages: ingestor.totals.messages,
    newMessages: ingestor.totals.newMessages,
    sessions: [...ingestor.totals.sessions],
    skippedLines,
    bytesRead: finalPosition.offset - start.offset,
  };
}
