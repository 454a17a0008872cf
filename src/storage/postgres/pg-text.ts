/**
 * PostgreSQL text cannot hold U+0000 (SQLite can, and transcripts sometimes do: a tool's binary
 * output, a pasted control character). Such characters are stored as U+FFFD, the replacement
 * character; the raw record (bytea) keeps the original bytes.
 */
const nul = '\u0000';
const replacement = '\uFFFD';

export function pgText(value: string): string {
  return value.includes(nul) ? value.replaceAll(nul, replacement) : value;
}

/** A query parameter made storable: strings and arrays of them (the bulk `unnest` inserts). */
export function pgParam(value: unknown): unknown {
  if (typeof value === 'string') return pgText(value);
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string') ? value.map(pgParam) : value;
  return value;
}

/** JSON text for a json or jsonb column: jsonb refuses the escape `\u0000`, so no string carries one. */
export function pgJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? pgText(v) : v));
}
