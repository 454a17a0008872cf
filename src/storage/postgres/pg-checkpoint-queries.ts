import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Checkpoint } from '../../domain/checkpoint.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { ArchivedMessage, ArchivedRawRecord, ArchivePlan, NewCheckpoint } from '../ports.ts';
import {
  checkpointFromRow as toCheckpoint,
  revisionJson,
  type CheckpointRow,
  type RevisionRow,
} from '../row-mapping.ts';
import { archiveColumns, toArchived, type ArchiveRow } from './pg-archive-rows.ts';
import { CheckpointLease } from './pg-checkpoint-lease.ts';
import { inPgTransaction, pgQueries, type PgTx } from './pg-tx.ts';

/** Rows read per query while streaming: each page is a short read, never one long snapshot. */
const page = 2000;
/** How long a plan waits for writers that were inserting when it read the newest ids. */
const writerWaitMs = 60_000;
/** Any fixed number: with the project id, the advisory lock a checkpoint's index write takes. */
const recordLock = 0x6172_6368;

const archiveMarks = { messages: 'archive.messages', raw: 'archive.raw' } as const;

async function marksOf(db: PgTx, projectId: number): Promise<{ messages: number; raw: number }> {
  const rows = await db.q<{ name: string; last_id: number }>(
    'SELECT name, last_id FROM read_marks WHERE project_id = :projectId AND name IN (:m, :r)',
    { projectId, m: archiveMarks.messages, r: archiveMarks.raw },
  );
  const mark = (name: string) => rows.find((r) => r.name === name)?.last_id ?? 0;
  return { messages: mark(archiveMarks.messages), raw: mark(archiveMarks.raw) };
}

/**
 * Checkpoints on PostgreSQL, as SQLite's archive-queries.ts, for several replicas on one database:
 * a plan takes the project's lease (another replica's plan is refused until it is recorded or
 * expires), and ranges end where no writer still in flight can add a smaller id.
 */
export class PgCheckpointQueries {
  private readonly pool: pg.Pool;
  private readonly db: PgTx;
  private readonly lease: CheckpointLease;

  constructor(pool: pg.Pool) {
    this.pool = pool;
    this.db = pgQueries(pool);
    this.lease = new CheckpointLease(this.db);
  }

  async plan(projectId: number): Promise<ArchivePlan> {
    await this.lease.take(projectId, Date.now());
    try {
      const plan = await this.readPlan(projectId);
      if (plan.newMessages === 0 && plan.newRawRecords === 0 && plan.revised === 0)
        await this.lease.release(this.db, projectId);
      return plan;
    } catch (error) {
      await this.lease.release(this.db, projectId);
      throw error;
    }
  }

  private async readPlan(projectId: number): Promise<ArchivePlan> {
    const from = await marksOf(this.db, projectId);
    const newest = await this.settledNewest();
    // Ids are shared by all projects: the range ends at the newest id, the project filter does the rest.
    const to = { messages: Math.max(from.messages, newest.messages), raw: Math.max(from.raw, newest.raw) };
    const [row] = await this.db.q<{ seq: number; messages: number; raw: number; revised: number }>(
      `SELECT (SELECT COALESCE(MAX(seq), 0) + 1 FROM checkpoints WHERE project_id = :projectId) AS seq,
         (SELECT COUNT(*) FROM messages WHERE id > :mFrom AND id <= :mTo AND project_id = :projectId) AS messages,
         (SELECT COUNT(*) FROM raw_records WHERE id > :rFrom AND id <= :rTo AND project_id = :projectId) AS raw,
         (SELECT COUNT(*) FROM archive_pending WHERE project_id = :projectId AND message_id <= :mFrom) AS revised`,
      { projectId, mFrom: from.messages, mTo: to.messages, rFrom: from.raw, rTo: to.raw },
    );
    return {
      projectId,
      seq: row!.seq,
      messages: { from: from.messages, to: to.messages },
      raw: { from: from.raw, to: to.raw },
      newMessages: row!.messages,
      newRawRecords: row!.raw,
      revised: row!.revised,
    };
  }

  /**
   * The newest message and raw record ids, once every id at or below them is committed or gone.
   * Ids come from sequences when a row is inserted, not when it commits: a writer still in flight
   * may commit an id below the newest visible one later, which a range ending there would never
   * archive. So the plan waits for the transactions that were writing those tables when it read
   * the ids (each holds a lock on the table until it ends); later writers get larger ids.
   */
  private async settledNewest(): Promise<{ messages: number; raw: number }> {
    const [newest] = await this.db.q<{ messages: number; raw: number }>(
      `SELECT (SELECT COALESCE(MAX(id), 0) FROM messages) AS messages,
         (SELECT COALESCE(MAX(id), 0) FROM raw_records) AS raw`,
    );
    const writers = (
      await this.db.q<{ vx: string }>(
        `SELECT DISTINCT virtualtransaction AS vx FROM pg_locks
         WHERE locktype = 'relation' AND relation IN ('messages'::regclass, 'raw_records'::regclass)
           AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()`,
      )
    ).map((r) => r.vx);
    const deadline = Date.now() + writerWaitMs;
    for (let pause = 2; writers.length > 0; pause = Math.min(pause * 2, 100)) {
      const [left] = await this.db.q<{ n: number }>(
        'SELECT COUNT(*) AS n FROM pg_locks WHERE virtualtransaction = ANY(:writers)',
        { writers },
      );
      if (left!.n === 0) break;
      if (Date.now() > deadline)
        throw new AgentlogError('CONFLICT', 'Writers have kept the message tables busy for a minute.', {
          hint: 'Run the checkpoint again later.',
        });
      await sleep(pause);
    }
    return newest!;
  }

  /** Revised messages at or below the range first, then the range itself, ids ascending. */
  async *messages(plan: ArchivePlan): AsyncIterable<ArchivedMessage> {
    const revised = `SELECT ${archiveColumns} FROM archive_pending p0 JOIN messages m ON m.id = p0.message_id
      WHERE p0.project_id = :projectId AND p0.message_id > :after AND p0.message_id <= :to
      ORDER BY p0.message_id LIMIT ${page}`;
    const range = `SELECT ${archiveColumns} FROM messages m
      WHERE m.id > :after AND m.id <= :to AND m.project_id = :projectId ORDER BY m.id LIMIT ${page}`;
    for (const [sql, after, to] of [
      [revised, 0, plan.messages.from],
      [range, plan.messages.from, plan.messages.to],
    ] as const) {
      let from: number = after;
      for (;;) {
        const rows = await this.db.q<ArchiveRow>(sql, { projectId: plan.projectId, after: from, to });
        yield* await this.withRevisions(rows);
        await this.lease.renew(plan.projectId);
        if (rows.length < page) break;
        from = rows.at(-1)!.id;
      }
    }
  }

  private async withRevisions(rows: ArchiveRow[]): Promise<ArchivedMessage[]> {
    if (rows.length === 0) return [];
    const found = await this.db.q<RevisionRow>(
      `SELECT message_id, revised_at, content_hash, text, blocks::text AS blocks, meta::text AS meta
       FROM message_revisions WHERE message_id = ANY(:ids) ORDER BY message_id, id`,
      { ids: rows.map((r) => r.id) },
    );
    const revisions = new Map<number, string[]>();
    for (const r of found) {
      let list = revisions.get(r.message_id);
      if (!list) revisions.set(r.message_id, (list = []));
      list.push(revisionJson(r));
    }
    return rows.map((row) => toArchived(row, revisions.get(row.id) ?? []));
  }

  async *rawRecords(plan: ArchivePlan): AsyncIterable<ArchivedRawRecord> {
    let after = plan.raw.from;
    for (;;) {
      const rows = await this.db.q<{
        id: number;
        source: string;
        hash: string;
        record_type: string;
        session_id: string | null;
        line: number;
        byte_offset: number;
        data: Buffer;
      }>(
        `SELECT id, source, encode(hash, 'hex') AS hash, record_type, session_id, line, byte_offset, data
         FROM raw_records WHERE id > :after AND id <= :to AND project_id = :projectId ORDER BY id LIMIT ${page}`,
        { after, to: plan.raw.to, projectId: plan.projectId },
      );
      for (const r of rows)
        yield {
          id: r.id,
          source: r.source,
          hash: r.hash,
          recordType: r.record_type,
          sessionId: r.session_id,
          line: r.line,
          byteOffset: r.byte_offset,
          data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength),
        };
      await this.lease.renew(plan.projectId);
      if (rows.length < page) break;
      after = rows.at(-1)!.id;
    }
  }

  /**
   * Indexes a checkpoint, moves the project's read marks past it and lets its lease go, in one
   * transaction under the project's advisory lock. Pending revisions it archived are cleared only
   * if the message still has the archived content (one revised again stays pending).
   */
  record(cp: NewCheckpoint): Promise<Checkpoint> {
    return inPgTransaction(this.pool, async (tx) => {
      await tx.q('SELECT pg_advisory_xact_lock(:lock, :projectId)', {
        lock: recordLock,
        projectId: cp.projectId,
      });
      const marks = await marksOf(tx, cp.projectId);
      const taken = await tx.q('SELECT 1 FROM checkpoints WHERE project_id = :projectId AND seq = :seq', {
        projectId: cp.projectId,
        seq: cp.seq,
      });
      if (taken.length > 0 || marks.messages !== cp.messageRange.from || marks.raw !== cp.rawRange.from)
        throw new AgentlogError(
          'CONFLICT',
          `Checkpoint ${cp.seq} was written by another process meanwhile.`,
          {
            hint: 'Run the checkpoint again: it will hold what is new since that one.',
          },
        );
      const [row] = await tx.q<CheckpointRow>(
        `INSERT INTO checkpoints (project_id, seq, label, created_at, message_from, message_to, raw_from, raw_to,
           messages, raw_records, first_timestamp, last_timestamp, bytes, sha256, manifest_key)
         VALUES (:projectId, :seq, :label, :createdAt, :mFrom, :mTo, :rFrom, :rTo, :messages, :rawRecords,
           :firstTimestamp, :lastTimestamp, :bytes, :sha256, :manifestKey)
         RETURNING *`,
        {
          ...cp,
          mFrom: cp.messageRange.from,
          mTo: cp.messageRange.to,
          rFrom: cp.rawRange.from,
          rTo: cp.rawRange.to,
        },
      );
      await tx.q(
        `INSERT INTO read_marks (name, project_id, last_id) VALUES (:m, :projectId, :mTo), (:r, :projectId, :rTo)
         ON CONFLICT (name, project_id) DO UPDATE SET last_id = excluded.last_id`,
        {
          projectId: cp.projectId,
          m: archiveMarks.messages,
          r: archiveMarks.raw,
          mTo: cp.messageRange.to,
          rTo: cp.rawRange.to,
        },
      );
      if (cp.revisedArchived.length > 0) {
        const ids = cp.revisedArchived.map((r) => r.messageId);
        await tx.q(
          `DELETE FROM archive_pending p USING unnest(:ids::bigint[], :hashes::text[]) AS r(id, hash), messages m
           WHERE p.message_id = r.id AND m.id = r.id AND m.content_hash = r.hash`,
          { ids, hashes: cp.revisedArchived.map((r) => r.contentHash) },
        );
        await tx.q(
          `INSERT INTO archive_revised (message_id, checkpoint_seq)
           SELECT id, :seq FROM unnest(:ids::bigint[]) AS id WHERE id <= :from
           ON CONFLICT (message_id) DO UPDATE SET checkpoint_seq = excluded.checkpoint_seq`,
          { ids, seq: cp.seq, from: cp.messageRange.from },
        );
      }
      await this.lease.release(tx, cp.projectId);
      return toCheckpoint(row!);
    });
  }

  async list(projectId: number): Promise<Checkpoint[]> {
    const rows = await this.db.q<CheckpointRow>(
      'SELECT * FROM checkpoints WHERE project_id = :projectId ORDER BY seq',
      { projectId },
    );
    return rows.map(toCheckpoint);
  }

  async markVerified(id: number, at: number): Promise<void> {
    await this.db.q('UPDATE checkpoints SET verified_at = :at WHERE id = :id', { id, at });
  }
}
