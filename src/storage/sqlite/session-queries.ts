import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Message } from '../../domain/message.ts';
import type { Session, SessionStatus } from '../../domain/session.ts';
import type { SessionTransition, SessionTransitionRequest } from '../../domain/session-transition.ts';
import type { MessagePage, SessionQuery } from '../ports.ts';
import { toMessage, toSession, type MessageRow, type SessionRow } from './rows.ts';

export const sessionColumns = `s.*, (SELECT group_concat(model, char(1)) FROM session_models m WHERE m.session_id = s.id) AS models`;

/** Each word becomes a quoted FTS5 phrase, so user text is never read as query syntax. */
function ftsQuery(text: string): string | null {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return words.length === 0 ? null : words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ');
}

const likeEscape = (text: string) => text.replaceAll(/[\\%_]/g, (c) => `\\${c}`);

/** Sessions newest first (then by id), filtered, with offset or keyset pagination. */
export function selectSessions(db: DatabaseSync, query: SessionQuery): Session[] {
  const where = ['s.project_id = :project'];
  const params: Record<string, SQLInputValue> = { project: query.projectId };
  const add = (condition: string, values: Record<string, SQLInputValue>) => {
    where.push(condition);
    Object.assign(params, values);
  };
  if (query.source !== undefined) add('s.source = :source', { source: query.source });
  if (query.status !== undefined) add('s.status = :status', { status: query.status });
  if (query.since !== undefined) add('s.started_at >= :since', { since: query.since });
  if (query.until !== undefined) add('s.started_at < :until', { until: query.until });
  if (query.speaker !== undefined)
    add('EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND m.speaker_name = :speaker)', {
      speaker: query.speaker,
    });
  const fts = query.text === undefined ? null : ftsQuery(query.text);
  if (fts !== null && query.text !== undefined)
    add(
      `(s.id IN (SELECT m.session_id FROM messages_fts f JOIN messages m ON m.id = f.rowid
          WHERE messages_fts MATCH :fts AND m.project_id = :project)
        OR COALESCE(s.title, s.fallback_title) LIKE :like ESCAPE '\\')`,
      { fts, like: `%${likeEscape(query.text.trim())}%` },
    );
  if (query.after !== undefined)
    add(
      '(COALESCE(s.started_at, 0) < :afterStarted OR (COALESCE(s.started_at, 0) = :afterStarted AND s.id > :afterId))',
      {
        afterStarted: query.after.startedAt,
        afterId: query.after.id,
      },
    );
  params.limit = query.limit ?? -1;
  params.offset = query.offset ?? 0;
  const rows = db
    .prepare(
      `SELECT ${sessionColumns} FROM sessions s WHERE ${where.join(' AND ')}
       ORDER BY COALESCE(s.started_at, 0) DESC, s.id LIMIT :limit OFFSET :offset`,
    )
    .all(params) as SessionRow[];
  return rows.map(toSession);
}

/** A session's messages in conversation order, from after the cursor, streamed. */
export function* selectMessages(
  db: DatabaseSync,
  sessionId: string,
  page: MessagePage = {},
): Iterable<Message> {
  const after = page.after;
  const statement = db.prepare(
    `SELECT * FROM messages WHERE session_id = :session ${
      after === undefined
        ? ''
        : `AND (COALESCE(timestamp, 0) > :ts OR (COALESCE(timestamp, 0) = :ts
             AND (seq > :seq OR (seq = :seq AND id > :id))))`
    } ORDER BY COALESCE(timestamp, 0), seq, id LIMIT :limit`,
  );
  const params: Record<string, SQLInputValue> = { session: sessionId, limit: page.limit ?? -1 };
  if (after !== undefined) Object.assign(params, { ts: after.timestamp, seq: after.seq, id: after.id });
  for (const row of statement.iterate(params)) yield toMessage(row as MessageRow);
}

type TransitionRow = {
  session_id: string;
  from_status: string;
  to_status: string;
  reason: string;
  at: number;
};

const toTransition = (row: TransitionRow): SessionTransition => ({
  sessionId: row.session_id,
  from: row.from_status as SessionStatus,
  to: row.to_status as SessionStatus,
  reason: row.reason,
  at: row.at,
});

/** Changes a session's status and records the change, in one transaction; null if not allowed. */
export function applyTransition(
  db: DatabaseSync,
  request: SessionTransitionRequest,
): SessionTransition | null {
  db.exec('BEGIN IMMEDIATE');
  try {
    const row = db.prepare('SELECT status FROM sessions WHERE id = ?').get(request.sessionId) as
      { status: SessionStatus } | undefined;
    if (row === undefined || !request.from.includes(row.status)) {
      db.exec('ROLLBACK');
      return null;
    }
    db.prepare('UPDATE sessions SET status = ? WHERE id = ?').run(request.to, request.sessionId);
    db.prepare(
      'INSERT INTO session_transitions (session_id, from_status, to_status, reason, at) VALUES (?, ?, ?, ?, ?)',
    ).run(request.sessionId, row.status, request.to, request.reason, request.at);
    db.exec('COMMIT');
    return {
      sessionId: request.sessionId,
      from: row.status,
      to: request.to,
      reason: request.reason,
      at: request.at,
    };
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

export function selectTransitions(db: DatabaseSync, sessionId: string): SessionTransition[] {
  const rows = db
    .prepare('SELECT * FROM session_transitions WHERE session_id = ? ORDER BY id')
    .all(sessionId) as TransitionRow[];
  return rows.map(toTransition);
}
