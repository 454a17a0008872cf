/**
 * Rewrites the string values of a JSON text without re-serialising the rest: each string literal
 * is decoded (so `\n`, `\"` and `\u0041` escapes cannot hide what it says), handed to `rewrite`,
 * and re-encoded only if it changed. Everything else keeps its bytes. `gap` sees the text between
 * literals (numbers, `true`, punctuation) at least `gapMinLength` long, and may return a
 * replacement for it (callers that act only on long gaps skip the many `":"` and `,"`).
 * Returns `text` itself when nothing changed, null when the text is not JSON (an unterminated or
 * undecodable string literal).
 */
export function rewriteJsonStrings(
  text: string,
  rewrite: (value: string) => string,
  gap: (between: string) => string,
  gapMinLength = 0,
): string | null {
  let out: string[] | null = null;
  let copied = 0;
  let at = 0;
  // The first backslash after the literal being read (-1: none left), searched again only once
  // passed: whether a literal has escapes costs no pass over it.
  let backslash = text.indexOf('\\');
  const replace = (start: number, end: number, replacement: string) => {
    out ??= [];
    out.push(text.slice(copied, start), replacement);
    copied = end;
  };
  for (;;) {
    const open = text.indexOf('"', at);
    const gapEnd = open === -1 ? text.length : open;
    if (gapEnd - at >= gapMinLength) {
      const between = text.slice(at, gapEnd);
      const newGap = gap(between);
      if (newGap !== between) replace(at, gapEnd, newGap);
    }
    if (open === -1) break;
    const close = closingQuote(text, open + 1);
    if (close === -1) return null;
    if (backslash !== -1 && backslash <= open) backslash = text.indexOf('\\', open + 1);
    const escaped = backslash !== -1 && backslash < close;
    const value = escaped ? decode(text.slice(open, close + 1)) : text.slice(open + 1, close);
    if (value === null) return null;
    const rewritten = rewrite(value);
    if (rewritten !== value) replace(open, close + 1, JSON.stringify(rewritten));
    at = close + 1;
  }
  if (out === null) return text;
  const pieces: string[] = out;
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/** The index of the quote that ends the string starting at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  let i = from;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q === -1) return -1;
    let slashes = 0;
    for (let k = q - 1; k >= from && text.charCodeAt(k) === 92; k--) slashes++;
    if (slashes % 2 === 0) return q;
    i = q + 1;
  }
}

function decode(literal: string): string | null {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return null;
  }
}
