import type pg from 'pg';
import type { TextSearch, TextSearchHit } from '../ports.ts';
import type { Role } from '../../domain/message.ts';
import { toTsQuery } from './pg-text-query.ts';
import { pgQueries, type PgTx } from './pg-tx.ts';

/**
 * Relevance ranks only the newest matches, as on SQLite: ranking every match of a common word
 * costs seconds on a million messages, while the newest few hundred come from the GIN index.
 */
const rankedWindow = 200;
const roles = new Set(['user', 'assistant', 'system', 'tool']);

type HitRow = {
  id: number;
  session_id: string;
  source: string;
  role: Role;
  speaker_name: string | null;
  speaker_role: string | null;
  timestamp: number | null;
  text: string;
};

function filters(query: TextSearch): { sql: string; params: Record<string, unknown> } {
  const parts = ['m.project_id = :project'];
  const params: Record<string, unknown> = { project: query.projectId };
  if (query.source !== undefined) {
    parts.push('m.source = :source');
    params.source = query.source;
  }
  if (query.speaker !== undefined) {
    // A role matches messages without a speaker name; any other word is a speaker name.
    parts.push(
      roles.has(query.speaker)
        ? '(m.speaker_name = :speaker OR (m.speaker_name IS NULL AND m.role = :speaker))'
        : 'm.speaker_name = :speaker',
    );
    params.speaker = query.speaker;
  }
  if (query.domain !== undefined) {
    parts.push(
      "EXISTS (SELECT 1 FROM message_labels l WHERE l.message_id = m.id AND l.facet = 'domain' AND l.label = :domain)",
    );
    params.domain = query.domain;
  }
  if (query.since !== undefined) {
    parts.push('m.timestamp >= :since');
    params.since = query.since;
  }
  if (query.until !== undefined) {
    parts.push('m.timestamp < :until');
    params.until = query.until;
  }
  return { sql: parts.join(' AND '), params };
}

export class PgSearchQueries {
  private readonly db: PgTx;

  constructor(pool: pg.Pool) {
    this.db = pgQueries(pool);
  }

  async searchText(query: TextSearch): Promise<TextSearchHit[]> {
    const tsquery = toTsQuery(query.text);
    if (tsquery === null || query.limit <= 0) return [];
    const where = filters(query);
    // A speaker name or a domain gives newest first whatever the order asked, as on SQLite.
    const newestFirst =
      query.order === 'recent' ||
      query.domain !== undefined ||
      (query.speaker !== undefined && !roles.has(query.speaker));
    const window = newestFirst ? query.limit : Math.max(query.limit, rankedWindow);
    const rank = newestFirst ? 'id DESC' : 'ts_rank(tsv, q) DESC, id DESC';
    const rows = await this.db.q<HitRow>(
      `SELECT id, session_id, source, role, speaker_name, speaker_role, timestamp, text
       FROM (SELECT m.*, q FROM messages m, to_tsquery('simple', :q) AS q
             WHERE m.tsv @@ q AND ${where.sql} ORDER BY m.id DESC LIMIT :window) newest
       ORDER BY ${rank} LIMIT :limit`,
      { ...where.params, q: tsquery, window, limit: query.limit },
    );
    return rows.map((row) => ({
      messageId: row.id,
      sessionId: row.session_id,
      source: row.source,
      role: row.role,
      speaker: row.speaker_name === null ? null : { name: row.speaker_name, role: row.speaker_role ?? '' },
      timestamp: row.timestamp,
      text: row.text,
    }));
  }
}
