import { readFileHead } from '../ingest/file-head.ts';
import { detectFormat } from '../sources/auto/detect-format.ts';
import type { SourceFormat } from '../sources/source-format.ts';

/**
 * The format of a file that several formats could own (a path the user gave): the first whose
 * `detect` accepts its first bytes. A string says why none did (perhaps not yet: a file being
 * created may not have a complete first line).
 */
export async function pickFormat(
  path: string,
  candidates: readonly SourceFormat[],
): Promise<SourceFormat | string> {
  let head: { bytes: Buffer; complete: boolean };
  try {
    head = await readFileHead(path);
  } catch (error) {
    return `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  const fileHead = { path, text: head.bytes.toString('utf8'), complete: head.complete };
  const match = detectFormat(fileHead, candidates);
  return match.format ?? match.reason;
}
