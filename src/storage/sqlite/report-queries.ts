import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { MessageKind, Role } from '../../domain/message.ts';
import type { SessionStatus } from '../../domain/session.ts';
import type { MessageCountRow, ReportWindow, StatusCount, UsageDayRow } from '../ports.ts';

const day = 86_400_000;
/** Messages aggregated per transaction while catching up, so writers never wait long. */
const catchUpChunk = 50_000;
const dayOf = (column: string) => `COALESCE((${column} / ${day}) * ${day}, -1)`;

export const statsMark = 'stats';

type CountRow = {
  day: number;
  source: string;
  role: string;
  kind: string;
  speaker: string;
  model: string;
  messages: number;
};

/**
 * Brings `message_stats` up to date: messages stored since its read mark are counted in, a chunk
 * per transaction. Revisions and deletions of counted messages adjust it where they happen (the
 * trigger of migration 006, and retention).
 */
export function catchUpStats(db: DatabaseSync): void {
  const markOf = db.prepare("SELECT last_id FROM read_marks WHERE name = 'stats' AND project_id = 0");
  const maxId = db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM messages');
  const add = db.prepare(`
    INSERT INTO message_stats (project_id, day, source, role, kind, speaker, model, messages)
    SELECT project_id, ${dayOf('timestamp')}, source, role, kind, COALESCE(speaker_name, ''), COALESCE(model, ''), COUNT(*)
    FROM messages WHERE id > ? AND id <= ? GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT DO UPDATE SET messages = messages + excluded.messages`);
  const setMark = db.prepare(`
    INSERT INTO read_marks (name, project_id, last_id) VALUES ('stats', 0, ?)
    ON CONFLICT DO UPDATE SET last_id = excluded.last_id`);
  for (;;) {
    const mark = (markOf.get() as { last_id: number } | undefined)?.last_id ?? 0;
    const max = (maxId.get() as { id: number }).id;
    if (mark >= max) return;
    db.exec('BEGIN IMMEDIATE');
    try {
      // Read again inside the transaction: another process may have caught up meanwhile.
      const from = (markOf.get() as { last_id: number } | undefined)?.last_id ?? 0;
      const to = Math.min(from + catchUpChunk, max);
      if (to > from) {
        add.run(from, to);
        setMark.run(to);
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}

function toCountRow(row: CountRow): MessageCountRow {
  return {
    day: row.day === -1 ? null : row.day,
    source: row.source,
    role: row.role as Role,
    kind: row.kind as MessageKind,
    speaker: row.speaker === '' ? null : row.speaker,
    model: row.model === '' ? null : row.model,
    messages: row.messages,
  };
}

/**
 * Whole UTC days inside the window come from the aggregates; the partial days at its edges are
 * counted from the messages themselves (through the time index), so any window is exact.
 */
export function messageCounts(db: DatabaseSync, window: ReportWindow): MessageCountRow[] {
  catchUpStats(db);
  const { projectId, since, until } = window;
  const rows: CountRow[] = [];
  if (since === undefined && until === undefined) {
    rows.push(
      ...(db
        .prepare(
          'SELECT day, source, role, kind, speaker, model, messages FROM message_stats WHERE project_id = ? AND messages > 0',
        )
        .all(projectId) as CountRow[]),
    );
    return rows.map(toCountRow);
  }
  const lo = since ?? Number.MIN_SAFE_INTEGER;
  const hi = until ?? Number.MAX_SAFE_INTEGER;
  const firstWhole = since === undefined ? 0 : Math.ceil(since / day) * day;
  const lastWhole = until === undefined ? Number.MAX_SAFE_INTEGER : Math.floor(until / day) * day;
  if (firstWhole >= lastWhole) {
    rows.push(...countRaw(db, projectId, lo, hi));
  } else {
    rows.push(
      ...(db
        .prepare(
          `SELECT day, source, role, kind, speaker, model, messages FROM message_stats
           WHERE project_id = ? AND day >= ? AND day < ? AND messages > 0`,
        )
        .all(projectId, firstWhole, lastWhole) as CountRow[]),
    );
    if (since !== undefined && since < firstWhole) rows.push(...countRaw(db, projectId, since, firstWhole));
    if (until !== undefined && lastWhole < until) rows.push(...countRaw(db, projectId, lastWhole, until));
  }
  return rows.map(toCountRow);
}

function countRaw(db: DatabaseSync, projectId: number, from: number, to: number): CountRow[] {
  return db
    .prepare(
      `SELECT ${dayOf('timestamp')} AS day, source, role, kind, COALESCE(speaker_name, '') AS speaker,
         COALESCE(model, '') AS model, COUNT(*) AS messages
       FROM messages WHERE project_id = ? AND timestamp >= ? AND timestamp < ? GROUP BY 1, 2, 3, 4, 5, 6`,
    )
    .all(projectId, from, to) as CountRow[];
}

function timeRange(column: string, window: ReportWindow): { sql: string; params: SQLInputValue[] } {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  if (window.since !== undefined) {
    parts.push(`${column} >= ?`);
    params.push(window.since);
  }
  if (window.until !== undefined) {
    parts.push(`${column} < ?`);
    params.push(window.until);
  }
  return { sql: parts.length === 0 ? '' : ` AND ${parts.join(' AND ')}`, params };
}

export function usageByDay(db: DatabaseSync, window: ReportWindow): UsageDayRow[] {
  const range = timeRange('timestamp', window);
  const rows = db
    .prepare(
      `SELECT (timestamp / ${day}) * ${day} AS day, source, model, SUM(input_tokens) AS i, SUM(output_tokens) AS o,
         SUM(cache_creation_tokens) AS cc, SUM(cache_read_tokens) AS cr, COUNT(*) AS n
       FROM usage WHERE project_id = ?${range.sql} GROUP BY 1, 2, 3`,
    )
    .all(window.projectId, ...range.params) as {
    day: number;
    source: string;
    model: string | null;
    i: number;
    o: number;
    cc: number;
    cr: number;
    n: number;
  }[];
  return rows.map((r) => ({
    day: r.day,
    source: r.source,
    model: r.model,
    inputTokens: r.i,
    outputTokens: r.o,
    cacheCreationTokens: r.cc,
    cacheReadTokens: r.cr,
    responses: r.n,
  }));
}

export function sessionStatusCounts(db: DatabaseSync, window: ReportWindow): StatusCount[] {
  const range = timeRange('started_at', window);
  const rows = db
    .prepare(
      `SELECT status, COUNT(*) AS n FROM sessions WHERE project_id = ?${range.sql} GROUP BY status ORDER BY n DESC, status`,
    )
    .all(window.projectId, ...range.params) as { status: string; n: number }[];
  return rows.map((r) => ({ status: r.status as SessionStatus, sessions: r.n }));
}
