import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Role } from '../../domain/message.ts';
import type { TextSearch, TextSearchHit } from '../ports.ts';

/**
 * Relevance ranks only the newest matches: bm25 over every match of a common word costs seconds
 * on a million messages, while the newest few hundred are read from the index in rowid order.
 */
const rankedWindow = 300;

/**
 * Turns what a user typed into an FTS5 query that cannot fail: every word becomes a quoted
 * phrase (quotes inside doubled), all of them required. A trailing `*` keeps its meaning of
 * "words starting with". Null when nothing searchable is left.
 */
export function toFtsQuery(text: string): string | null {
  const terms: string[] = [];
  for (const word of text.split(/\s+/)) {
    const prefix = word.length > 1 && word.endsWith('*');
    const body = (prefix ? word.slice(0, -1) : word).replaceAll('*', '');
    // A word of punctuation only has no token for FTS5 to look up: it would match nothing.
    if (!/[\p{L}\p{N}]/u.test(body)) continue;
    terms.push(`"${body.replaceAll('"', '""')}"${prefix ? '*' : ''}`);
  }
  return terms.length === 0 ? null : terms.join(' ');
}

type HitRow = {
  id: number;
  session_id: string;
  source: string;
  role: string;
  speaker_name: string | null;
  speaker_role: string | null;
  timestamp: number | null;
  text: string;
};

function filters(query: TextSearch): { sql: string; params: SQLInputValue[] } {
  const parts = ['m.project_id = ?'];
  const params: SQLInputValue[] = [query.projectId];
  if (query.source !== undefined) {
    parts.push('m.source = ?');
    params.push(query.source);
  }
  if (query.speaker !== undefined) {
    parts.push('(m.speaker_name = ? OR (m.speaker_name IS NULL AND m.role = ?))');
    params.push(query.speaker, query.speaker);
  }
  if (query.domain !== undefined) {
    parts.push(
      "EXISTS (SELECT 1 FROM message_labels l WHERE l.message_id = m.id AND l.facet = 'domain' AND l.label = ?)",
    );
    params.push(query.domain);
  }
  if (query.since !== undefined) {
    parts.push('m.timestamp >= ?');
    params.push(query.since);
  }
  if (query.until !== undefined) {
    parts.push('m.timestamp < ?');
    params.push(query.until);
  }
  return { sql: parts.join(' AND '), params };
}

export function searchText(db: DatabaseSync, query: TextSearch): TextSearchHit[] {
  const fts = toFtsQuery(query.text);
  if (fts === null || query.limit <= 0) return [];
  const where = filters(query);
  const window = query.order === 'recent' ? query.limit : Math.max(query.limit, rankedWindow);
  const candidates = db
    .prepare(
      `SELECT f.rowid AS id, bm25(messages_fts) AS score FROM messages_fts f JOIN messages m ON m.id = f.rowid
       WHERE messages_fts MATCH ? AND ${where.sql} ORDER BY f.rowid DESC LIMIT ?`,
    )
    .all(fts, ...where.params, window) as { id: number; score: number }[];
  if (query.order === 'relevance') candidates.sort((a, b) => a.score - b.score || b.id - a.id);
  const chosen = candidates.slice(0, query.limit).map((c) => c.id);
  if (chosen.length === 0) return [];
  const placeholders = chosen.map(() => '?').join(',');
  const rows = new Map(
    (
      db
        .prepare(
          `SELECT id, session_id, source, role, speaker_name, speaker_role, timestamp, text FROM messages
           WHERE id IN (${placeholders})`,
        )
        .all(...chosen) as HitRow[]
    ).map((r) => [r.id, r]),
  );
  const hits: TextSearchHit[] = [];
  for (const id of chosen) {
    const row = rows.get(id);
    if (row === undefined) continue;
    hits.push({
      messageId: row.id,
      sessionId: row.session_id,
      source: row.source,
      role: row.role as Role,
      speaker: row.speaker_name === null ? null : { name: row.speaker_name, role: row.speaker_role ?? '' },
      timestamp: row.timestamp,
      text: row.text,
    });
  }
  return hits;
}
