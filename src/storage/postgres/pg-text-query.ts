/**
 * Turns what a user typed into a `to_tsquery('simple', …)` text that cannot fail, as SQLite's
 * toFtsQuery does for FTS5: every word a quoted lexeme (a phrase when it holds several tokens),
 * all of them required; a trailing `*` keeps its meaning of "words starting with". Null when
 * nothing searchable is left.
 */
export function toTsQuery(text: string, options: { prefixes: boolean } = { prefixes: true }): string | null {
  const terms: string[] = [];
  for (const word of text.split(/\s+/)) {
    const prefix = options.prefixes && word.length > 1 && word.endsWith('*');
    const body = (prefix ? word.slice(0, -1) : word).replaceAll('*', '');
    // A word of punctuation only has no lexeme: it would match nothing.
    if (!/[\p{L}\p{N}]/u.test(body)) continue;
    terms.push(`'${body.replaceAll('\\', '\\\\').replaceAll("'", "''")}'${prefix ? ':*' : ''}`);
  }
  return terms.length === 0 ? null : terms.join(' & ');
}
