import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Role } from '../../domain/message.ts';
import type { TextSearch, TextSearchHit } from '../ports.ts';

/**
 * Relevance ranks only the newest matches: bm25 over every match of a common word costs seconds
 * on a million messages, while the newest few hundred are read from the index in rowid order.
 */
const rankedWindow = 200;
/** Prefix queries merge many words' postings: bm25 costs more per match, so fewer are ranked. */
const prefixWindow = 100;
/** Matches read per step when a speaker name selects the messages. */
const matchPage = 20_000;
const roles = new Set(['user', 'assistant', 'system', 'tool']);

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
  // `+`: never pick an index by project for these joins and id lists (it would walk the project).
  const parts = ['+m.project_id = ?'];
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
  const ranked = fts.includes('"*') ? prefixWindow : rankedWindow;
  const window = query.order === 'recent' ? query.limit : Math.max(query.limit, ranked);
  const named = query.speaker !== undefined && !roles.has(query.speaker);
  const candidates = named ? bySpeakerName(db, fts, query, window) : byJoin(db, fts, query, window);
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

/** The newest matches that pass the filters, each joined to its message (dense filters). */
function byJoin(
  db: DatabaseSync,
  fts: string,
  query: TextSearch,
  window: number,
): { id: number; score: number }[] {
  const where = filters(query);
  return db
    .prepare(
      `SELECT f.rowid AS id, bm25(messages_fts) AS score FROM messages_fts f JOIN messages m ON m.id = f.rowid
       WHERE messages_fts MATCH ? AND ${where.sql} ORDER BY f.rowid DESC LIMIT ?`,
    )
    .all(fts, ...where.params, window) as { id: number; score: number }[];
}

/**
 * A speaker name is selective: joining every match to its message would read most of the table.
 * Instead the speaker's message ids come from their own index, matches are read newest first a
 * page at a time without the join, and only the matches of that speaker meet the other filters.
 * These results are newest first whatever the order asked.
 */
function bySpeakerName(
  db: DatabaseSync,
  fts: string,
  query: TextSearch,
  window: number,
): { id: number; score: number }[] {
  const theirs = new Set(
    (
      db
        .prepare('SELECT id FROM messages WHERE project_id = ? AND speaker_name = ?')
        .all(query.projectId, query.speaker!) as { id: number }[]
    ).map((r) => r.id),
  );
  if (theirs.size === 0) return [];
  const { speaker: _speaker, ...rest } = query;
  const where = filters(rest);
  // A page of match ids as one string: one value crosses into JavaScript, not thousands of rows.
  const page = db.prepare(
    `SELECT group_concat(rowid) AS ids FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? AND rowid < ?
       ORDER BY rowid DESC LIMIT ?)`,
  );
  const found: number[] = [];
  let before = Number.MAX_SAFE_INTEGER;
  while (found.length < window) {
    const list = (page.get(fts, before, matchPage) as { ids: string | null }).ids;
    if (list === null) break;
    const ids = list.split(',').map(Number);
    before = ids.at(-1)!;
    const mine = ids.filter((id) => theirs.has(id));
    if (mine.length > 0) {
      const passed = db
        .prepare(
          `SELECT m.id FROM messages m WHERE m.id IN (${mine.map(() => '?').join(',')}) AND ${where.sql}`,
        )
        .all(...mine, ...where.params) as { id: number }[];
      const ok = new Set(passed.map((r) => r.id));
      found.push(...mine.filter((id) => ok.has(id)));
    }
    if (ids.length < matchPage) break;
  }
  // Newest first: bm25 of a few rows picked by id costs FTS5 a whole query per row (seconds).
  return found.slice(0, window).map((id, i) => ({ id, score: i }));
}
