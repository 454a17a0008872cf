/**
 * The full-text index's matching, in JavaScript, for messages already read by id: what FTS5's
 * unicode61 tokenizer does (tokens are runs of letters and digits, compared without case and
 * accents) and what the quoted query from `toFtsQuery` asks (every phrase present, its tokens
 * adjacent, `*` on the last token for "starting with").
 */

type Phrase = { tokens: string[]; prefix: boolean };

const tokenPattern = /[\p{L}\p{N}]+/gu;
const ascii = /^[^\u0080-\uffff]*$/;

function fold(token: string): string {
  return ascii.test(token)
    ? token.toLowerCase()
    : token.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The phrases of a query made by `toFtsQuery` (`"a b" "c"*`). */
export function ftsPhrases(fts: string): Phrase[] {
  const phrases: Phrase[] = [];
  for (const m of fts.matchAll(/"((?:[^"]|"")*)"(\*?)/g)) {
    const tokens = [...m[1]!.replaceAll('""', '"').matchAll(tokenPattern)].map((t) => fold(t[0]));
    if (tokens.length > 0) phrases.push({ tokens, prefix: m[2] === '*' });
  }
  return phrases;
}

/** True when the text holds every phrase, as the index would match it. */
export function matchesPhrases(text: string, phrases: readonly Phrase[]): boolean {
  // Cheap refusal first: in plain ASCII text a token that is not a substring cannot be a word.
  if (ascii.test(text)) {
    const lower = text.toLowerCase();
    for (const p of phrases) if (p.tokens.some((t) => !lower.includes(t))) return false;
  }
  const words = [...text.matchAll(tokenPattern)].map((m) => fold(m[0]));
  return phrases.every((p) => hasPhrase(words, p));
}

function hasPhrase(words: readonly string[], phrase: Phrase): boolean {
  const last = phrase.tokens.length - 1;
  for (let start = 0; start + last < words.length; start++) {
    let i = 0;
    for (; i <= last; i++) {
      const word = words[start + i]!;
      const token = phrase.tokens[i]!;
      if (!(i === last && phrase.prefix ? word.startsWith(token) : word === token)) break;
    }
    if (i > last) return true;
  }
  return false;
}
