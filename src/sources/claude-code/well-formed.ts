/**
 * Claude Code cuts long tool output by UTF-16 length, so a string can end in half of a surrogate
 * pair. JSON.parse accepts it, but UTF-8 cannot hold it: SQLite stored the text column with U+FFFD
 * and the blocks JSON with the escape (which PostgreSQL's jsonb refuses), so the two disagreed.
 * The normalised message gets U+FFFD everywhere; the raw bytes keep the original.
 * Returns the value itself when every string is well formed, which is nearly always.
 */
export function wellFormed<T>(value: T): T {
  return isWellFormed(value) ? value : (repaired(value) as T);
}

function isWellFormed(value: unknown): boolean {
  if (typeof value === 'string') return value.isWellFormed();
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(isWellFormed);
  for (const key in value) {
    if (!key.isWellFormed() || !isWellFormed((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function repaired(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed();
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(repaired);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key.toWellFormed()] = repaired(v);
  return out;
}
