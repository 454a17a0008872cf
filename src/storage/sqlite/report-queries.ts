import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { MessageKind, Role } from '../../domain/message.ts';
import type { SessionStatus } from '../../domain/session.ts';
import type {
  MessageCountRow,
  ReportFacetQuery,
  ReportWindow,
  StatusCount,
  TermTotals,
  UsageDayRow,
} from '../ports.ts';
import { catchUpStats } from './report-stats.ts';

const day = 86_400_000;
const dayOf = (column: string) => `COALESCE((${column} / ${day}) * ${day}, -1)`;

/**
 * How a window is read: whole UTC days inside it from the aggregates (`days`), the partial days
 * at its edges from the rows themselves (`edges`, through a time index), so any window is exact.
 * Without a window everything comes from the aggregates, messages without a time included.
 */
type Plan = { all: true } | { all: false; days: [number, number] | null; edges: [number, number][] };

function plan(window: ReportWindow): Plan {
  const { since, until } = window;
  if (since === undefined && until === undefined) return { all: true };
  const lo = since ?? Number.MIN_SAFE_INTEGER;
  const hi = until ?? Number.MAX_SAFE_INTEGER;
  const firstWhole = since === undefined ? 0 : Math.ceil(since / day) * day;
  const lastWhole = until === undefined ? Number.MAX_SAFE_INTEGER : Math.floor(until / day) * day;
  if (firstWhole >= lastWhole) return { all: false, days: null, edges: [[lo, hi]] };
  const edges: [number, number][] = [];
  if (since !== undefined && since < firstWhole) edges.push([since, firstWhole]);
  if (until !== undefined && lastWhole < until) edges.push([lastWhole, until]);
  return { all: false, days: [firstWhole, lastWhole], edges };
}

/** Rows from the aggregate (`{days}` in the SQL is the day condition) and from the edges. */
function read<T>(
  db: DatabaseSync,
  window: ReportWindow,
  sql: { aggregate: string; raw: string },
  params: SQLInputValue[],
): T[] {
  const p = plan(window);
  if (p.all) return db.prepare(sql.aggregate.replace('{days}', '1')).all(...params) as T[];
  const rows: T[] = [];
  if (p.days !== null)
    rows.push(
      ...(db
        .prepare(sql.aggregate.replace('{days}', 'day >= ? AND day < ?'))
        .all(...params, ...p.days) as T[]),
    );
  for (const edge of p.edges) rows.push(...(db.prepare(sql.raw).all(...params, ...edge) as T[]));
  return rows;
}

type CountRow = {
  day: number;
  source: string;
  role: string;
  kind: string;
  speaker: string;
  model: string;
  messages: number;
};

export function messageCounts(db: DatabaseSync, window: ReportWindow): MessageCountRow[] {
  catchUpStats(db, ['messages']);
  const rows = read<CountRow>(
    db,
    window,
    {
      aggregate: `SELECT day, source, role, kind, speaker, model, messages FROM message_stats
                  WHERE project_id = ? AND {days} AND messages > 0`,
      raw: `SELECT ${dayOf('timestamp')} AS day, source, role, kind, COALESCE(speaker_name, '') AS speaker,
              COALESCE(model, '') AS model, COUNT(*) AS messages
            FROM messages WHERE project_id = ? AND timestamp >= ? AND timestamp < ? GROUP BY 1, 2, 3, 4, 5, 6`,
    },
    [window.projectId],
  );
  return rows.map((row) => ({
    day: row.day === -1 ? null : row.day,
    source: row.source,
    role: row.role as Role,
    kind: row.kind as MessageKind,
    speaker: row.speaker === '' ? null : row.speaker,
    model: row.model === '' ? null : row.model,
    messages: row.messages,
  }));
}

export function usageByDay(db: DatabaseSync, window: ReportWindow): UsageDayRow[] {
  catchUpStats(db, ['usage']);
  const rows = read<{
    day: number;
    source: string;
    model: string;
    i: number;
    o: number;
    cc: number;
    cr: number;
    n: number;
  }>(
    db,
    window,
    {
      aggregate: `SELECT day, source, model, input_tokens AS i, output_tokens AS o, cache_creation_tokens AS cc,
                    cache_read_tokens AS cr, responses AS n
                  FROM usage_stats WHERE project_id = ? AND {days} AND responses > 0`,
      raw: `SELECT (timestamp / ${day}) * ${day} AS day, source, COALESCE(model, '') AS model, SUM(input_tokens) AS i,
              SUM(output_tokens) AS o, SUM(cache_creation_tokens) AS cc, SUM(cache_read_tokens) AS cr, COUNT(*) AS n
            FROM usage WHERE project_id = ? AND timestamp >= ? AND timestamp < ? GROUP BY 1, 2, 3`,
    },
    [window.projectId],
  );
  return rows.map((r) => ({
    day: r.day,
    source: r.source,
    model: r.model === '' ? null : r.model,
    inputTokens: r.i,
    outputTokens: r.o,
    cacheCreationTokens: r.cc,
    cacheReadTokens: r.cr,
    responses: r.n,
  }));
}

export function sessionStatusCounts(db: DatabaseSync, window: ReportWindow): StatusCount[] {
  const parts: string[] = [];
  const params: SQLInputValue[] = [window.projectId];
  if (window.since !== undefined) {
    parts.push('started_at >= ?');
    params.push(window.since);
  }
  if (window.until !== undefined) {
    parts.push('started_at < ?');
    params.push(window.until);
  }
  const where = parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`;
  const rows = db
    .prepare(
      `SELECT status, COUNT(*) AS n FROM sessions WHERE project_id = ?${where} GROUP BY status ORDER BY n DESC, status`,
    )
    .all(...params) as { status: string; n: number }[];
  return rows.map((r) => ({ status: r.status as SessionStatus, sessions: r.n }));
}

/** Messages per label of one enrichment facet in the window, most first. */
export function reportFacets(
  db: DatabaseSync,
  query: ReportFacetQuery,
): { label: string; messages: number }[] {
  catchUpStats(db, ['labels']);
  const rows = read<{ label: string; messages: number }>(
    db,
    query,
    {
      aggregate: `SELECT label, SUM(messages) AS messages FROM label_stats
                  WHERE project_id = ? AND facet = ? AND {days} GROUP BY label`,
      raw: `SELECT l.label AS label, COUNT(*) AS messages FROM messages m JOIN message_labels l ON l.message_id = m.id
            WHERE m.project_id = ? AND l.facet = ? AND m.timestamp >= ? AND m.timestamp < ? GROUP BY l.label`,
    },
    [query.projectId, query.facet],
  );
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.label, (totals.get(r.label) ?? 0) + r.messages);
  return [...totals]
    .filter(([, n]) => n > 0)
    .map(([label, messages]) => ({ label, messages }))
    .sort((a, b) => b.messages - a.messages || (a.label < b.label ? -1 : 1));
}

/**
 * The terms with the largest summed counts in the window (the same answer as `termTotals`, from
 * the aggregates), with each term's document frequency in the project.
 */
export function reportTerms(db: DatabaseSync, window: ReportWindow, limit: number): TermTotals {
  catchUpStats(db, ['terms']);
  const documents =
    (
      db.prepare('SELECT documents FROM corpus_documents WHERE project_id = ?').get(window.projectId) as
        { documents: number } | undefined
    )?.documents ?? 0;
  let top: { term: string; count: number }[];
  if (plan(window).all) {
    top = db
      .prepare(
        'SELECT term, count FROM term_totals WHERE project_id = ? AND count > 0 ORDER BY count DESC, term LIMIT ?',
      )
      .all(window.projectId, limit) as { term: string; count: number }[];
  } else {
    const p = plan(window);
    const parts: string[] = [];
    const params: SQLInputValue[] = [];
    if (!p.all && p.days !== null) {
      parts.push('SELECT term, count FROM term_days WHERE project_id = ? AND day >= ? AND day < ?');
      params.push(window.projectId, ...p.days);
    }
    for (const edge of p.all ? [] : p.edges) {
      parts.push(`SELECT t.term AS term, t.count AS count FROM messages m JOIN message_terms t ON t.message_id = m.id
                  WHERE m.project_id = ? AND m.timestamp >= ? AND m.timestamp < ?`);
      params.push(window.projectId, ...edge);
    }
    top = db
      .prepare(
        `SELECT term, SUM(count) AS count FROM (${parts.join(' UNION ALL ')}) GROUP BY term HAVING SUM(count) > 0
         ORDER BY count DESC, term LIMIT ?`,
      )
      .all(...params, limit) as { term: string; count: number }[];
  }
  const frequency = db.prepare('SELECT documents FROM term_documents WHERE project_id = ? AND term = ?');
  return {
    documents,
    terms: top.map((t) => ({
      term: t.term,
      count: t.count,
      documents:
        (frequency.get(window.projectId, t.term) as { documents: number } | undefined)?.documents ?? 0,
    })),
  };
}
