/**
 * Snippets of search hits, made from the message text and the words searched: the same words the
 * full-text index matched (its tokenizer splits on anything but letters and digits, ignores case
 * and accents), so no second trip to the index is needed.
 */

export type SearchTerm = { token: string; prefix: boolean };
export type Snippet = { snippet: string; highlights: [number, number][] };

const tokenPattern = /[\p{L}\p{N}]+/gu;
const snippetTokens = 16;
const lead = 4;

/** Lower case without accents, as the unicode61 tokenizer compares. */
function fold(token: string): string {
  return token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The tokens a query's words hold (`word*` keeps its prefix meaning on its last token). */
export function searchTerms(text: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const word of text.split(/\s+/)) {
    const prefix = word.length > 1 && word.endsWith('*');
    const tokens = [...(prefix ? word.slice(0, -1) : word).matchAll(tokenPattern)].map((m) => fold(m[0]));
    tokens.forEach((token, i) => terms.push({ token, prefix: prefix && i === tokens.length - 1 }));
  }
  return terms;
}

/** About 16 words around the first match, each matching word's [start, end) in the snippet. */
export function makeSnippet(text: string, terms: readonly SearchTerm[]): Snippet {
  const tokens = [...text.matchAll(tokenPattern)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    word: fold(m[0]),
  }));
  if (tokens.length === 0) return { snippet: text.slice(0, 200), highlights: [] };
  const matches = (word: string) =>
    terms.some((t) => (t.prefix ? word.startsWith(t.token) : word === t.token));
  const first = Math.max(
    0,
    tokens.findIndex((t) => matches(t.word)),
  );
  const from = Math.max(0, Math.min(first - lead, tokens.length - snippetTokens));
  const to = Math.min(tokens.length, from + snippetTokens) - 1;
  const head = from > 0 ? '…' : '';
  const start = tokens[from]!.start;
  const body = text.slice(start, tokens[to]!.end).replace(/\s+/g, ' ');
  const highlights: [number, number][] = [];
  // Offsets follow the text as cut; whitespace runs became one space, so map through the cut text.
  const cut = text.slice(start, tokens[to]!.end);
  const shift = mapWhitespace(cut);
  for (let i = from; i <= to; i++) {
    const t = tokens[i]!;
    if (matches(t.word))
      highlights.push([head.length + shift(t.start - start), head.length + shift(t.end - start)]);
  }
  return { snippet: `${head}${body}${to < tokens.length - 1 ? '…' : ''}`, highlights };
}

/** Maps an offset in `text` to its offset once every whitespace run is one space. */
function mapWhitespace(text: string): (offset: number) => number {
  const map: number[] = [];
  let out = 0;
  let inSpace = false;
  for (let i = 0; i <= text.length; i++) {
    map.push(out);
    const space = i < text.length && /\s/.test(text[i]!);
    if (!space || !inSpace) out++;
    inSpace = space;
  }
  return (offset) => map[offset] ?? out;
}
