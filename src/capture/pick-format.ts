import { readHead } from '../ingest/file-head.ts';
import type { SourceFormat } from '../sources/source-format.ts';

/**
 * The format of a file that several formats could own (a path the user gave): the first whose
 * `detect` accepts its first bytes. A string says why none did (perhaps not yet: a file being
 * created may not have a complete first line).
 */
export async function pickFormat(
  path: string,
  candidates: readonly SourceFormat[],
  size: number,
): Promise<SourceFormat | string> {
  let head: Buffer;
  try {
    head = await readHead(path);
  } catch (error) {
    return `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  const fileHead = { path, text: head.toString('utf8'), complete: head.byteLength >= size };
  const reasons: string[] = [];
  for (const format of candidates) {
    const detection = (format.formatFor?.(fileHead) ?? format).detect(fileHead);
    if (detection.ok) return format;
    reasons.push(`${format.name}: ${detection.reason}`);
  }
  return `not a transcript of a known format (${reasons.join('; ')})`;
}
