import { AgentlogError } from '../domain/errors.ts';
import type { SourceIdentity, TableProgress } from './migration-side.ts';

/** The target's resume marks: `source` (where it was filled from) and `table:<name>` per table. */
export const progressTable = 'migration_progress';

export function parseProgressRows(rows: readonly { name: string; value: string }[]): {
  source: SourceIdentity;
  tables: Map<string, TableProgress>;
} | null {
  const source = rows.find((r) => r.name === 'source');
  if (source === undefined) return null;
  const tables = new Map<string, TableProgress>();
  try {
    for (const row of rows)
      if (row.name.startsWith('table:'))
        tables.set(row.name.slice(6), JSON.parse(row.value) as TableProgress);
    return { source: JSON.parse(source.value) as SourceIdentity, tables };
  } catch (cause) {
    throw new AgentlogError('CONFLICT', `The target's ${progressTable} table is not readable.`, {
      hint: 'Migrate into an empty schema or data directory instead.',
      cause,
    });
  }
}
