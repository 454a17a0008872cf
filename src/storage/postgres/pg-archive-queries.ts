import type pg from 'pg';
import type { Message } from '../../domain/message.ts';
import type { MessageScan } from '../ports.ts';
import { messageColumns, toMessage, type MessageRow } from './pg-rows.ts';
import { pgQueries, type PgTx } from './pg-tx.ts';

const pageSize = 1000;

/** What exports read on PostgreSQL (checkpoints: pg-checkpoint-queries.ts, retention: pg-retention-queries.ts). */
export class PgArchiveQueries {
  private readonly db: PgTx;

  constructor(pool: pg.Pool) {
    this.db = pgQueries(pool);
  }

  /** A project's messages in id order, in keyset pages, so an export streams with flat memory. */
  async *scanMessages(scan: MessageScan): AsyncIterable<Message> {
    const parts = ['project_id = :project', 'id > :after'];
    if (scan.source !== undefined) parts.push('source = :source');
    if (scan.sessionId !== undefined) parts.push('session_id = :session');
    if (scan.since !== undefined) parts.push('timestamp >= :since');
    if (scan.until !== undefined) parts.push('timestamp < :until');
    const params = {
      project: scan.projectId,
      source: scan.source,
      session: scan.sessionId,
      since: scan.since,
      until: scan.until,
    };
    let after = 0;
    for (;;) {
      const rows = await this.db.q<MessageRow>(
        `SELECT ${messageColumns()} FROM messages WHERE ${parts.join(' AND ')} ORDER BY id LIMIT ${pageSize}`,
        { ...params, after },
      );
      for (const row of rows) yield toMessage(row);
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = last.id;
    }
  }
}
