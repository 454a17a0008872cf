import type pg from 'pg';
import type { RetentionOutcome } from '../../domain/checkpoint.ts';
import type { RetentionRequest } from '../ports.ts';
import { inPgTransaction, pgQueries, type PgTx } from './pg-tx.ts';

/** Rows deleted per transaction: writers (imports, the server) wait at most one chunk. */
const chunk = 2000;

/** Every table holding rows per message, children first (message_revisions references messages). */
const messageTables = [
  'message_revisions',
  'message_enrichments',
  'message_labels',
  'message_terms',
  'archive_pending',
  'archive_revised',
];

/**
 * Retention on PostgreSQL, as SQLite's retention-queries.ts. Reports count the rows here, so a
 * deleted message leaves them with its rows (full-text search is a column of the row). Sequences
 * never hand an id out twice, so no read mark has to come down after a delete. Replicas running
 * it at once delete each row once: the counts are the rows each delete removed.
 */
export class PgRetentionQueries {
  private readonly pool: pg.Pool;
  private readonly db: PgTx;

  constructor(pool: pg.Pool) {
    this.pool = pool;
    this.db = pgQueries(pool);
  }

  async apply(request: RetentionRequest): Promise<RetentionOutcome> {
    const { projectId, cutoff, verifiedThrough } = request;
    const checkpoints = await this.db.q<{
      seq: number;
      message_from: number;
      message_to: number;
      raw_from: number;
      raw_to: number;
    }>(
      'SELECT seq, message_from, message_to, raw_from, raw_to FROM checkpoints WHERE project_id = :projectId ORDER BY seq',
      { projectId },
    );
    const held = checkpoints.filter((c) => c.seq <= verifiedThrough);
    const later = checkpoints.filter((c) => c.seq > verifiedThrough);
    const last = held.at(-1);
    let messages = 0;
    let rawRecords = 0;
    if (last !== undefined) {
      // Stay under every later checkpoint's start, as SQLite does (there, ids may be handed out again).
      const messageBound = Math.min(last.message_to, ...later.map((c) => c.message_from));
      const rawBound = Math.min(last.raw_to, ...later.map((c) => c.raw_from));
      messages = await this.inChunks(
        `SELECT m.id FROM messages m WHERE m.id > :after AND m.id <= :bound AND m.project_id = :projectId
           AND m.timestamp < :cutoff
           AND NOT EXISTS (SELECT 1 FROM archive_pending p WHERE p.message_id = m.id)
           AND NOT EXISTS (SELECT 1 FROM archive_revised r WHERE r.message_id = m.id AND r.checkpoint_seq > :verifiedThrough)
         ORDER BY m.id LIMIT ${chunk}`,
        { bound: messageBound, projectId, cutoff, verifiedThrough },
        deleteMessages,
      );
      rawRecords = await this.inChunks(
        `SELECT r.id FROM raw_records r JOIN sessions s ON s.id = r.session_id
         WHERE r.id > :after AND r.id <= :bound AND r.project_id = :projectId
           AND COALESCE(s.ended_at, s.started_at) < :cutoff
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.session_id = r.session_id)
         ORDER BY r.id LIMIT ${chunk}`,
        { bound: rawBound, projectId, cutoff },
        async (tx, ids) =>
          (await tx.q('DELETE FROM raw_records WHERE id = ANY(:ids) RETURNING id', { ids })).length,
      );
    }
    const outcome: RetentionOutcome = { cutoff, verifiedThrough: last?.seq ?? null, messages, rawRecords };
    await this.db.q(
      `INSERT INTO retention_runs (project_id, at, cutoff, verified_through, messages, raw_records)
       VALUES (:projectId, :now, :cutoff, :verifiedThrough, :messages, :rawRecords)`,
      { ...outcome, projectId, now: request.now },
    );
    return outcome;
  }

  /** Finds candidates a chunk at a time (ids ascending) and deletes each chunk in its own transaction. */
  private async inChunks(
    select: string,
    params: Record<string, unknown>,
    remove: (tx: PgTx, ids: number[]) => Promise<number>,
  ): Promise<number> {
    let deleted = 0;
    let after = 0;
    for (;;) {
      const ids = (await this.db.q<{ id: number }>(select, { ...params, after })).map((r) => r.id);
      if (ids.length === 0) return deleted;
      deleted += await inPgTransaction(this.pool, (tx) => remove(tx, ids));
      after = ids.at(-1)!;
    }
  }
}

async function deleteMessages(tx: PgTx, ids: number[]): Promise<number> {
  for (const table of messageTables) await tx.q(`DELETE FROM ${table} WHERE message_id = ANY(:ids)`, { ids });
  return (await tx.q('DELETE FROM messages WHERE id = ANY(:ids) RETURNING id', { ids })).length;
}
