import { isUtf8 } from 'node:buffer';
import type { LineFormat, ParsedRecord, RecordParser } from '../sources/source-format.ts';
import type { FileJob } from './import-file.ts';
import { chunksOf, readLines, type Line, type ReadPosition } from './line-reader.ts';

const emptyLine = (bytes: Buffer) => bytes.byteLength === 0 || (bytes.byteLength === 1 && bytes[0] === 13);

/** Reads a JSON Lines transcript from `job.start`, committing progress with every full batch. */
export async function importLines(job: FileJob, format: LineFormat): Promise<ReadPosition> {
  const parser = format.createParser(job.path);
  const { ingestor } = job;
  if (format.replaysOnResume === true && job.start.offset > 0)
    await replay(job.path, job.start.offset, parser);

  // A parser that coalesces sees a chunk's records before any is stored (the chunk's bytes stay
  // valid until its onChunk returns; a chunk never spans two commits).
  const held: { records: ParsedRecord[]; lines: Line[] } | null =
    parser.coalesce === undefined ? null : { records: [], lines: [] };
  const release = (): void => {
    if (held === null || held.records.length === 0) return;
    const kept = parser.coalesce!(held.records);
    for (let i = 0; i < kept.length; i++) ingestor.add(kept[i]!, held.lines[i]!);
    held.records = [];
    held.lines = [];
  };
  const handleLine = (line: Line): string | null => {
    const { bytes } = line;
    if (emptyLine(bytes)) return null;
    if (!isUtf8(bytes)) return 'invalid UTF-8';
    let value: unknown;
    try {
      value = JSON.parse(withoutBom(bytes.toString('utf8'), line.offset));
    } catch (error) {
      return `invalid JSON: ${(error as Error).message}`;
    }
    const parsed = parser.parse(value, line.line);
    const records: readonly ParsedRecord[] = Array.isArray(parsed) ? parsed : [parsed];
    const problems: string[] = [];
    for (const record of records) {
      if (held === null) ingestor.add(record, line);
      else {
        held.records.push(record);
        held.lines.push(line);
      }
      if (record.problem !== null) problems.push(record.problem);
    }
    return problems.length === 0 ? null : problems.join('; ');
  };
  const onLine = (line: Line): void => {
    const reason = handleLine(line);
    if (reason !== null) job.skippedLines.push({ file: job.path, line: line.line, reason });
  };

  let reported = job.start.offset;
  const end = await readLines(chunksOf(job.path, job.start.offset), job.start, onLine, async (position) => {
    release();
    job.onBytes(position.offset - reported);
    reported = position.offset;
    // A chunk ended: commit a full batch together with the position after its last complete line.
    if (ingestor.full) await ingestor.flush(job.stateAt(position, true));
  });

  let final: ReadPosition = end;
  if (end.tail !== null) {
    // A last line without a newline is complete if it parses; otherwise it is still being written.
    if (isUtf8(end.tail.bytes) && parses(withoutBom(end.tail.bytes.toString('utf8'), end.tail.offset))) {
      onLine({ bytes: end.tail.bytes, line: end.tail.line, offset: end.tail.offset });
      final = { offset: end.tail.offset + end.tail.bytes.byteLength, lines: end.tail.line };
    } else {
      job.skippedLines.push({
        file: job.path,
        line: end.tail.line,
        reason: 'incomplete last line (the file may still be being written); it is read once it is complete',
      });
    }
  }
  release();
  await ingestor.flush(job.stateAt(final));
  job.onBytes(final.offset - reported);
  return final;
}

/** Feeds the lines before `end` to the parser again, to rebuild its state; nothing is stored or reported. */
async function replay(path: string, end: number, parser: RecordParser): Promise<void> {
  const onLine = ({ bytes, line }: Line): void => {
    if (emptyLine(bytes) || !isUtf8(bytes)) return;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      return;
    }
    parser.parse(value, line);
  };
  const read = await readLines(chunksBefore(path, end), { offset: 0, lines: 0 }, onLine, async () => {});
  // The last import may have ended on a complete line without a newline.
  if (read.tail !== null) onLine(read.tail);
}

async function* chunksBefore(path: string, end: number): AsyncIterable<Buffer> {
  let position = 0;
  for await (const chunk of chunksOf(path, 0)) {
    if (position >= end) return;
    yield chunk.subarray(0, Math.min(chunk.byteLength, end - position));
    position += chunk.byteLength;
  }
}

/** A byte order mark (files saved by Windows editors) opens the file, not its first record. */
function withoutBom(text: string, offset: number): string {
  return offset === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
