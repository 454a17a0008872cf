import type { DatabaseSync } from 'node:sqlite';
import type { Session } from '../../domain/session.ts';
import type { SessionStatusQuery } from '../ports.ts';
import { toSession, type SessionRow } from './rows.ts';
import { sessionColumns } from './session-queries.ts';

/** Sessions of every project in one status, in id order, optionally idle since before a time. */
export function selectSessionsInStatus(db: DatabaseSync, query: SessionStatusQuery): Session[] {
  const rows = db
    .prepare(
      `SELECT ${sessionColumns} FROM sessions s
       WHERE s.status = :status AND (:before IS NULL OR COALESCE(s.ended_at, s.started_at, 0) < :before)
         AND (:after IS NULL OR s.id > :after)
       ORDER BY s.id LIMIT :limit`,
    )
    .all({
      status: query.status,
      before: query.lastActivityBefore ?? null,
      after: query.afterId ?? null,
      limit: query.limit,
    }) as SessionRow[];
  return rows.map(toSession);
}
