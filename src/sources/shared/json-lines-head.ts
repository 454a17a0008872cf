import type { FileHead } from '../source-format.ts';

const linesLooked = 10;

/**
 * The first value of a JSON Lines file, judged from its head: the first of its first few lines
 * that parses (one broken line should not hide a good file), or, when none does, the text of the
 * first line (it may be longer than the head). Null for an empty head or a pretty-printed document.
 */
export function firstJsonLine(head: FileHead): { value: unknown } | { text: string } | null {
  const text = head.text.replace(/^\uFEFF/, '');
  const lines = text.split('\n');
  // The last piece of a partial head may be cut short: it is only a line if the head is complete.
  if (!head.complete) lines.pop();
  const candidates = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  const first = candidates[0] ?? (head.complete ? undefined : text.trim().split('\n')[0]);
  if (first === undefined || first.length === 0 || first === '{' || first === '[') return null;
  for (const line of candidates.slice(0, linesLooked)) {
    try {
      return { value: JSON.parse(line) };
    } catch {
      // Look at the next line.
    }
  }
  return { text: first };
}
