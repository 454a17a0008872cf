import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Role } from '../../domain/message.ts';
import type { TextSearch, TextSearchHit } from '../ports.ts';
import { ftsPhrases, matchesPhrases } from './fts-match.ts';

/**
 * Relevance ranks only the newest matches: bm25 over every match of a common word costs seconds
 * on a million messages, while the newest few hundred are read from the index in rowid order.
 */
const rankedWindow = 200;
/** Prefix queries merge many words' postings: bm25 costs more per match, so fewer are ranked. */
const prefixWindow = 100;
/**
 * A filter selecting at most this many messages (a speaker name, a rare domain) is read first
 * when the words match more messages than it selects: each of its messages costs a row read and
 * a word check (a few µs), which beats walking every match of the words.
 */
const selectiveFilter = 20_000;
/** Messages read per statement when a selective filter is read first: few, then more. */
const firstChunk = 100;
const maxChunk = 1000;
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
  // A speaker name or a domain gives newest first whatever the order asked, on every adapter: a
  // selective one is read first (below), where the index gives no rank.
  const newestFirst =
    query.order === 'recent' ||
    query.domain !== undefined ||
    (query.speaker !== undefined && !roles.has(query.speaker));
  const ranked = fts.includes('"*') ? prefixWindow : rankedWindow;
  const window = newestFirst ? query.limit : Math.max(query.limit, ranked);
  const selective = selectiveCandidates(db, fts, query);
  const candidates =
    selective === null
      ? byJoin(db, fts, query, window, !newestFirst)
      : byFilterFirst(db, fts, query, selective);
  // bm25 is lower for better matches.
  if (!newestFirst) candidates.sort((a, b) => a.score - b.score || b.id - a.id);
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

/**
 * The newest matches that pass the filters, each joined to its message (dense filters), with
 * their bm25 when ranked (it counts every match of each word: ~4.5 ms for a common one).
 */
function byJoin(
  db: DatabaseSync,
  fts: string,
  query: TextSearch,
  window: number,
  rank: boolean,
): { id: number; score: number }[] {
  const where = filters(query);
  const score = rank ? 'bm25(messages_fts)' : '0';
  return db
    .prepare(
      `SELECT f.rowid AS id, ${score} AS score FROM messages_fts f JOIN messages m ON m.id = f.rowid
       WHERE messages_fts MATCH ? AND ${where.sql} ORDER BY f.rowid DESC LIMIT ?`,
    )
    .all(fts, ...where.params, window) as { id: number; score: number }[];
}

/** A filter's message ids below `before`, newest first, at most `count`. */
type Selective = { ids: (before: number, count: number) => number[] };

/**
 * The filter to read first, or null for the join: the most selective of a speaker name and a
 * domain when it selects few messages, and fewer than the words match (both counted only up to
 * the smaller, so deciding costs little either way).
 */
function selectiveCandidates(db: DatabaseSync, fts: string, query: TextSearch): Selective | null {
  const options: ({ count: number } & Selective)[] = [];
  const cap = selectiveFilter + 1;
  if (query.speaker !== undefined && !roles.has(query.speaker)) {
    const args = [query.projectId, query.speaker] as const;
    const from = 'FROM messages WHERE project_id = ? AND speaker_name = ?';
    // Pages from the speaker's index, in id order.
    const page = db.prepare(`SELECT id ${from} AND id < ? ORDER BY id DESC LIMIT ?`);
    options.push({
      count: count(db, `SELECT 1 ${from} LIMIT ?`, [...args, cap]),
      ids: (before, n) => (page.all(...args, before, n) as { id: number }[]).map((r) => r.id),
    });
  }
  if (query.domain !== undefined) {
    const args = [query.projectId, query.domain] as const;
    const from = "FROM message_labels WHERE project_id = ? AND facet = 'domain' AND label = ?";
    // Pages from the partial index of domain labels (migration 012), in message order.
    const page = db.prepare(
      `SELECT message_id AS id ${from} AND message_id < ? ORDER BY message_id DESC LIMIT ?`,
    );
    options.push({
      count: count(db, `SELECT 1 ${from} LIMIT ?`, [...args, cap]),
      ids: (before, n) => (page.all(...args, before, n) as { id: number }[]).map((r) => r.id),
    });
  }
  const best = options.sort((a, b) => a.count - b.count)[0];
  if (best === undefined || best.count > selectiveFilter) return null;
  const matches = count(db, 'SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? LIMIT ?', [
    fts,
    best.count + 1,
  ]);
  return matches <= best.count ? null : best;
}

function count(db: DatabaseSync, sql: string, params: SQLInputValue[]): number {
  return (db.prepare(`SELECT count(*) AS n FROM (${sql})`).get(...params) as { n: number }).n;
}

/**
 * The filter's messages, newest first, read a chunk at a time with the other filters applied in
 * SQL and the words checked in JavaScript (fts-match.ts) until `limit` match. Asking the index about
 * each message instead costs FTS5 a whole query per row (about a millisecond).
 */
function byFilterFirst(
  db: DatabaseSync,
  fts: string,
  query: TextSearch,
  selective: Selective,
): { id: number; score: number }[] {
  const phrases = ftsPhrases(fts);
  const where = filters(query);
  const found: number[] = [];
  let before = Number.MAX_SAFE_INTEGER;
  for (let size = firstChunk; found.length < query.limit; size = Math.min(maxChunk, size * 2)) {
    const chunk = selective.ids(before, size);
    if (chunk.length === 0) break;
    before = chunk.at(-1)!;
    const rows = db
      .prepare(
        `SELECT m.id, m.text FROM messages m WHERE m.id IN (${chunk.map(() => '?').join(',')}) AND ${where.sql}`,
      )
      .all(...chunk, ...where.params) as { id: number; text: string }[];
    rows.sort((a, b) => b.id - a.id);
    for (const row of rows) if (matchesPhrases(row.text, phrases)) found.push(row.id);
  }
  return found.slice(0, query.limit).map((id) => ({ id, score: 0 }));
}
