import type { Cell } from './migration-side.ts';

/** Both ends quote identifiers the same way (the plan's names are plain, but say so in the SQL). */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `(a, b) > (?, ?)` for keyset reads; both SQLite and PostgreSQL compare row values in key order. */
function afterKey(key: readonly string[], placeholder: (i: number) => string): string {
  const columns = key.map(quoted).join(', ');
  const values = key.map((_, i) => placeholder(i)).join(', ');
  return key.length === 1 ? `${columns} > ${values}` : `(${columns}) > (${values})`;
}

/** The WHERE clause of a chunk read: the table's filter and the resume point. */
export function chunkWhere(
  where: string | undefined,
  key: readonly string[],
  after: readonly Cell[] | null,
  placeholder: (i: number) => string,
): string {
  const parts = [where, after === null ? undefined : afterKey(key, placeholder)].filter(
    (p): p is string => p !== undefined,
  );
  return parts.length === 0 ? '' : `WHERE ${parts.map((p) => `(${p})`).join(' AND ')}`;
}
