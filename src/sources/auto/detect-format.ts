import type { FileHead, SourceFormat } from '../source-format.ts';

/** The format that reads a file, or why none of them does. */
export type FormatMatch = { format: SourceFormat } | { format: null; reason: string };

/**
 * Which of `formats` reads a file, judged by its first bytes only: the first (in registry order)
 * whose `detect` claims it. When none does, the reason names what each format saw instead.
 */
export function detectFormat(head: FileHead, formats: readonly SourceFormat[]): FormatMatch {
  const reasons: string[] = [];
  for (const format of formats) {
    const detection = (format.formatFor?.(head) ?? format).detect(head);
    if (detection.ok) return { format };
    reasons.push(`${format.name}: ${detection.reason}`);
  }
  return { format: null, reason: `not a transcript of a known format (${reasons.join('; ')})` };
}

const jsonFamily = /\.(json|jsonl|ndjson)(\.zst)?$/i;

/** Claude Code's `agent-<id>.meta.json` beside a sub-agent transcript: read with it, not on its own. */
const agentSidecar = /(^|[\\/])agent-[^\\/]+\.meta\.json$/i;

/**
 * Every format we read is JSON or JSON Lines, so below a directory only such files are looked at:
 * the images, HTML and notes beside transcripts (a ChatGPT export has many) are not reported, nor
 * are the sidecars that only describe a transcript beside them.
 */
export function mayBeTranscript(path: string): boolean {
  return jsonFamily.test(path) && !agentSidecar.test(path);
}
