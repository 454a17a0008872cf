import { AgentlogError } from '../domain/errors.ts';
import type { PlannedTable } from './copy-tables.ts';
import type { MigrationSide, TableProgress } from './migration-side.ts';

/**
 * A migration goes into an empty store, or continues a previous run from the same source. A
 * target whose only rows are projects the source has too (same id and name: a command run
 * against the new store before the migration) counts as empty.
 * Returns the resume marks (empty for a fresh start).
 */
export async function prepareTarget(
  source: MigrationSide,
  target: MigrationSide,
  tables: readonly PlannedTable[],
): Promise<{ resumed: boolean; progress: Map<string, TableProgress> }> {
  const previous = await target.readProgress();
  const from = source.identity();
  if (previous !== null) {
    if (previous.source.kind !== from.kind || previous.source.location !== from.location)
      throw new AgentlogError(
        'CONFLICT',
        `${target.description} holds an earlier migration from ${previous.source.location}, not from ${from.location}.`,
        { hint: 'Migrate into an empty schema or data directory, or rerun with the original source.' },
      );
    return { resumed: true, progress: previous.tables };
  }
  const occupied: string[] = [];
  for (const t of tables) {
    if (t.table === 'projects' && (await projectsAreShared(source, target, t))) continue;
    const rows = await target.count(t.table, t.where);
    if (rows > 0) occupied.push(`${rows} ${t.table}`);
  }
  if (occupied.length > 0)
    throw new AgentlogError(
      'CONFLICT',
      `${target.description} already holds data (${occupied.slice(0, 4).join(', ')}${occupied.length > 4 ? ', …' : ''}) that no earlier run of this migration put there.`,
      {
        hint: 'Migrate into an empty store: another --schema or database for Postgres, another --data-dir for the embedded store. Nothing was copied.',
      },
    );
  await target.beginProgress(from);
  return { resumed: false, progress: new Map() };
}

async function projectsAreShared(
  source: MigrationSide,
  target: MigrationSide,
  t: PlannedTable,
): Promise<boolean> {
  const read = {
    table: t.table,
    columns: ['id', 'name'],
    key: t.key,
    where: undefined,
    after: null,
    limit: 10_000,
  };
  const theirs = new Set((await source.readChunk(read)).map((r) => `${r[0]}\n${r[1]}`));
  return (await target.readChunk(read)).every((r) => theirs.has(`${r[0]}\n${r[1]}`));
}
