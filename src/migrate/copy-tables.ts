import { AgentlogError } from '../domain/errors.ts';
import type { Cell, MigrationSide, Row, TableProgress } from './migration-side.ts';
import { copiedTables, isSkipped, type TablePlan } from './table-plan.ts';

/** One table's columns as both ends have them, and where its key sits in a row. */
export type PlannedTable = TablePlan & { columns: string[]; keyAt: number[] };

export type ChunkDone = { table: string; tableRows: number; copiedRows: number; totalRows: number };

export type CopyOptions = {
  chunkRows: number;
  /** Called after each committed chunk; the copy waits for it. */
  onChunk?: (done: ChunkDone) => Promise<void> | void;
};

/**
 * Matches the plan against both stores: every source table is planned or skipped on purpose,
 * and every source column has a place in the target (generated columns are not data).
 */
export async function planTables(source: MigrationSide, target: MigrationSide): Promise<PlannedTable[]> {
  const sourceTables = new Set(await source.tables());
  const targetTables = new Set(await target.tables());
  const planned = new Set(copiedTables.map((p) => p.table));
  const unknown = [...sourceTables].filter((t) => !planned.has(t) && !isSkipped(t));
  if (unknown.length > 0)
    throw new AgentlogError(
      'UNSUPPORTED',
      `The source has tables this migration has no plan for: ${unknown.join(', ')}.`,
      {
        hint: 'Upgrade agentlog; nothing was copied.',
      },
    );
  const result: PlannedTable[] = [];
  for (const plan of copiedTables) {
    if (!sourceTables.has(plan.table) || !targetTables.has(plan.table))
      throw new AgentlogError(
        'STORE_TOO_NEW',
        `Table ${plan.table} is missing from the ${sourceTables.has(plan.table) ? 'target' : 'source'}.`,
        {
          hint: 'Both stores must be at this agentlog’s schema; upgrade agentlog.',
        },
      );
    const sourceColumns = await source.columns(plan.table);
    const targetColumns = new Set(await target.columns(plan.table));
    const lost = sourceColumns.filter((c) => !targetColumns.has(c));
    if (lost.length > 0)
      throw new AgentlogError(
        'STORE_TOO_NEW',
        `${plan.table}.${lost.join(`, ${plan.table}.`)} has no column in the target.`,
        {
          hint: 'Upgrade agentlog so both stores have the same schema; nothing was copied.',
        },
      );
    result.push({ ...plan, columns: sourceColumns, keyAt: plan.key.map((k) => sourceColumns.indexOf(k)) });
  }
  return result;
}

/** Copies every planned table in chunks, each committed with its resume mark; returns rows inserted. */
export async function copyTables(
  source: MigrationSide,
  target: MigrationSide,
  tables: readonly PlannedTable[],
  resumeFrom: ReadonlyMap<string, TableProgress>,
  options: CopyOptions,
): Promise<number> {
  let totalRows = 0;
  for (const t of tables) totalRows += await source.count(t.table, t.where);
  let copiedRows = [...resumeFrom.values()].reduce((sum, p) => sum + p.rows, 0);
  let inserted = 0;
  for (const t of tables) {
    let progress: TableProgress = resumeFrom.get(t.table) ?? { after: null, rows: 0 };
    const limit = Math.max(1, Math.min(options.chunkRows, t.chunkRows ?? options.chunkRows));
    for (;;) {
      const rows = await source.readChunk({ ...t, where: t.where, after: progress.after, limit });
      if (rows.length === 0) break;
      progress = { after: keyOf(rows.at(-1) as Row, t.keyAt), rows: progress.rows + rows.length };
      await writeOrExplain(target, t, rows, progress);
      inserted += rows.length;
      copiedRows += rows.length;
      await options.onChunk?.({ table: t.table, tableRows: progress.rows, copiedRows, totalRows });
      if (rows.length < limit) break;
    }
  }
  await target.finishCopy();
  return inserted;
}

/** A row the target refuses (PostgreSQL takes no NUL in text, for one) is named, with what to do. */
async function writeOrExplain(
  target: MigrationSide,
  t: PlannedTable,
  rows: readonly Row[],
  progress: TableProgress,
): Promise<void> {
  try {
    await target.writeChunk(t.table, t.columns, rows, progress);
  } catch (cause) {
    if (cause instanceof AgentlogError) throw cause;
    const first = JSON.stringify(keyOf(rows[0] as Row, t.keyAt));
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new AgentlogError(
      'VALIDATION_FAILED',
      `${target.description} refused the ${t.table} rows from key ${first} on: ${detail}.`,
      {
        hint: 'Everything before them is copied and marked. Fix or delete the offending row in the source, then run the same command again to continue.',
        cause,
      },
    );
  }
}

function keyOf(row: Row, keyAt: readonly number[]): Cell[] {
  return keyAt.map((i) => row[i] ?? null);
}
