import type { DatabaseSync } from 'node:sqlite';
import type { UsageGroup, UsageQuery, UsageRow } from '../ports.ts';

const bucketMs = 15 * 60 * 1000;

const groupExpr: Record<UsageGroup, string> = {
  bucket: `CAST((timestamp / ${bucketMs}) * ${bucketMs} AS TEXT)`,
  model: `COALESCE(model, 'unknown')`,
  session: 'session_id',
};

/** Read from the usage_report index alone (migration 013): it holds every column used here. */
export function usageSql(groupBy: UsageGroup): string {
  return `SELECT ${groupExpr[groupBy]} AS key, SUM(input_tokens) AS i, SUM(output_tokens) AS o,
      SUM(cache_creation_tokens) AS cc, SUM(cache_read_tokens) AS cr, COUNT(*) AS n
    FROM usage WHERE project_id = ? AND (? IS NULL OR source = ?) AND timestamp >= ? AND timestamp < ?
    GROUP BY 1 ORDER BY 1`;
}

/** Token usage summed per group: each stored row is one model response. */
export function selectUsage(db: DatabaseSync, query: UsageQuery): UsageRow[] {
  const rows = db
    .prepare(usageSql(query.groupBy))
    .all(
      query.projectId,
      query.source ?? null,
      query.source ?? null,
      query.since ?? Number.MIN_SAFE_INTEGER,
      query.until ?? Number.MAX_SAFE_INTEGER,
    ) as { key: string; i: number; o: number; cc: number; cr: number; n: number }[];
  return rows.map((r) => ({
    key: r.key,
    inputTokens: r.i,
    outputTokens: r.o,
    cacheCreationTokens: r.cc,
    cacheReadTokens: r.cr,
    responses: r.n,
  }));
}
