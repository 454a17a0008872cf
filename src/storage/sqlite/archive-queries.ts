import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Checkpoint } from '../../domain/checkpoint.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { Message } from '../../domain/message.ts';
import type {
  ArchivedMessage,
  ArchivedRawRecord,
  ArchivePlan,
  MessageScan,
  NewCheckpoint,
} from '../ports.ts';
import {
  archivedFromRow,
  checkpointFromRow as toCheckpoint,
  revisionJson,
  type CheckpointRow,
  type RevisionRow,
} from '../row-mapping.ts';
import { toMessage, type MessageRow } from './rows.ts';

/** Rows read per query while streaming: each chunk is a short read, never one long snapshot. */
const chunk = 2000;

export const archiveMarks = { messages: 'archive.messages', raw: 'archive.raw' } as const;

function markOf(db: DatabaseSync, name: string, projectId: number): number {
  const row = db
    .prepare('SELECT last_id FROM read_marks WHERE name = ? AND project_id = ?')
    .get(name, projectId) as { last_id: number } | undefined;
  return row?.last_id ?? 0;
}

function setMark(db: DatabaseSync, name: string, projectId: number, lastId: number): void {
  db.prepare(
    `INSERT INTO read_marks (name, project_id, last_id) VALUES (?, ?, ?)
     ON CONFLICT DO UPDATE SET last_id = excluded.last_id`,
  ).run(name, projectId, lastId);
}

const one = (db: DatabaseSync, sql: string, ...params: SQLInputValue[]) =>
  (db.prepare(sql).get(...params) as { n: number }).n;

export function planCheckpoint(db: DatabaseSync, projectId: number): ArchivePlan {
  const messageFrom = markOf(db, archiveMarks.messages, projectId);
  const rawFrom = markOf(db, archiveMarks.raw, projectId);
  // Ids are shared by all projects: the range ends at the newest id, the project filter does the rest.
  const messageTo = Math.max(messageFrom, one(db, 'SELECT COALESCE(MAX(id), 0) AS n FROM messages'));
  const rawTo = Math.max(rawFrom, one(db, 'SELECT COALESCE(MAX(id), 0) AS n FROM raw_records'));
  return {
    projectId,
    seq: one(db, 'SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM checkpoints WHERE project_id = ?', projectId),
    messages: { from: messageFrom, to: messageTo },
    raw: { from: rawFrom, to: rawTo },
    newMessages: one(
      db,
      'SELECT COUNT(*) AS n FROM messages WHERE id > ? AND id <= ? AND project_id = ?',
      messageFrom,
      messageTo,
      projectId,
    ),
    newRawRecords: one(
      db,
      'SELECT COUNT(*) AS n FROM raw_records WHERE id > ? AND id <= ? AND project_id = ?',
      rawFrom,
      rawTo,
      projectId,
    ),
    revised: one(
      db,
      'SELECT COUNT(*) AS n FROM archive_pending WHERE project_id = ? AND message_id <= ?',
      projectId,
      messageFrom,
    ),
  };
}

type ArchiveRow = MessageRow & { project_id: number; raw_hex: string | null; pending: number };
const archiveColumns = `m.*, CASE WHEN m.raw_hash IS NULL THEN NULL ELSE hex(m.raw_hash) END AS raw_hex,
  EXISTS (SELECT 1 FROM archive_pending p WHERE p.message_id = m.id) AS pending`;

function toArchived(row: ArchiveRow, revisions: string[]): ArchivedMessage {
  return archivedFromRow(row, {
    projectId: row.project_id,
    blocksJson: row.blocks,
    metaJson: row.meta,
    revisionsJson: `[${revisions.join(',')}]`,
    rawHash: row.raw_hex === null ? null : row.raw_hex.toLowerCase(),
    pendingRevision: row.pending === 1,
  });
}

/** Rows with their revisions, read a chunk at a time (ids ascending). */
function* withRevisions(db: DatabaseSync, rows: ArchiveRow[]): Iterable<ArchivedMessage> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.id);
  const revisions = new Map<number, string[]>();
  const found = db
    .prepare(
      `SELECT message_id, revised_at, content_hash, text, blocks, meta FROM message_revisions
       WHERE message_id IN (${ids.map(() => '?').join(',')}) ORDER BY message_id, id`,
    )
    .all(...ids) as RevisionRow[];
  for (const r of found) {
    let list = revisions.get(r.message_id);
    if (!list) revisions.set(r.message_id, (list = []));
    list.push(revisionJson(r));
  }
  for (const row of rows) yield toArchived(row, revisions.get(row.id) ?? []);
}

/** Revised messages at or below the range first, then the range itself, ids ascending. */
export function* archivedMessages(db: DatabaseSync, plan: ArchivePlan): Iterable<ArchivedMessage> {
  const revised = db.prepare(
    `SELECT ${archiveColumns} FROM archive_pending p0 JOIN messages m ON m.id = p0.message_id
     WHERE p0.project_id = ? AND p0.message_id > ? AND p0.message_id <= ? ORDER BY p0.message_id LIMIT ?`,
  );
  const range = db.prepare(
    `SELECT ${archiveColumns} FROM messages m WHERE m.id > ? AND m.id <= ? AND +m.project_id = ? ORDER BY m.id LIMIT ?`,
  );
  let after = 0;
  for (;;) {
    const rows = revised.all(plan.projectId, after, plan.messages.from, chunk) as ArchiveRow[];
    yield* withRevisions(db, rows);
    if (rows.length < chunk) break;
    after = rows.at(-1)!.id;
  }
  after = plan.messages.from;
  for (;;) {
    const rows = range.all(after, plan.messages.to, plan.projectId, chunk) as ArchiveRow[];
    yield* withRevisions(db, rows);
    if (rows.length < chunk) break;
    after = rows.at(-1)!.id;
  }
}

export function* archivedRawRecords(db: DatabaseSync, plan: ArchivePlan): Iterable<ArchivedRawRecord> {
  const statement = db.prepare(
    `SELECT id, source, hex(hash) AS hash, record_type, session_id, line, byte_offset, data FROM raw_records
     WHERE id > ? AND id <= ? AND +project_id = ? ORDER BY id LIMIT ?`,
  );
  let after = plan.raw.from;
  for (;;) {
    const rows = statement.all(after, plan.raw.to, plan.projectId, chunk) as {
      id: number;
      source: string;
      hash: string;
      record_type: string;
      session_id: string | null;
      line: number;
      byte_offset: number;
      data: Uint8Array;
    }[];
    for (const r of rows) {
      yield {
        id: r.id,
        source: r.source,
        hash: r.hash.toLowerCase(),
        recordType: r.record_type,
        sessionId: r.session_id,
        line: r.line,
        byteOffset: r.byte_offset,
        data: r.data,
      };
    }
    if (rows.length < chunk) break;
    after = rows.at(-1)!.id;
  }
}

/**
 * Indexes a checkpoint and moves the project's read marks past it, in one transaction. Pending
 * revisions it archived are cleared only if the message still has the archived content (a message
 * revised again meanwhile stays pending for the next checkpoint).
 */
export function recordCheckpoint(db: DatabaseSync, cp: NewCheckpoint): Checkpoint {
  db.exec('BEGIN IMMEDIATE');
  try {
    const messageMark = markOf(db, archiveMarks.messages, cp.projectId);
    const rawMark = markOf(db, archiveMarks.raw, cp.projectId);
    const taken = db
      .prepare('SELECT 1 AS found FROM checkpoints WHERE project_id = ? AND seq = ?')
      .get(cp.projectId, cp.seq);
    if (taken !== undefined || messageMark !== cp.messageRange.from || rawMark !== cp.rawRange.from) {
      throw new AgentlogError('CONFLICT', `Checkpoint ${cp.seq} was written by another process meanwhile.`, {
        hint: 'Run the checkpoint again: it will hold what is new since that one.',
      });
    }
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO checkpoints (project_id, seq, label, created_at, message_from, message_to, raw_from, raw_to,
           messages, raw_records, first_timestamp, last_timestamp, bytes, sha256, manifest_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        cp.projectId,
        cp.seq,
        cp.label,
        cp.createdAt,
        cp.messageRange.from,
        cp.messageRange.to,
        cp.rawRange.from,
        cp.rawRange.to,
        cp.messages,
        cp.rawRecords,
        cp.firstTimestamp,
        cp.lastTimestamp,
        cp.bytes,
        cp.sha256,
        cp.manifestKey,
      );
    setMark(db, archiveMarks.messages, cp.projectId, cp.messageRange.to);
    setMark(db, archiveMarks.raw, cp.projectId, cp.rawRange.to);
    const clear = db.prepare(
      `DELETE FROM archive_pending WHERE message_id = ?
       AND (SELECT content_hash FROM messages WHERE id = ?) = ?`,
    );
    const holder = db.prepare(
      `INSERT INTO archive_revised (message_id, checkpoint_seq) VALUES (?, ?)
       ON CONFLICT DO UPDATE SET checkpoint_seq = excluded.checkpoint_seq`,
    );
    for (const r of cp.revisedArchived) {
      clear.run(r.messageId, r.messageId, r.contentHash);
      if (r.messageId <= cp.messageRange.from) holder.run(r.messageId, cp.seq);
    }
    const row = db.prepare('SELECT * FROM checkpoints WHERE id = ?').get(lastInsertRowid) as CheckpointRow;
    db.exec('COMMIT');
    return toCheckpoint(row);
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

export function listCheckpoints(db: DatabaseSync, projectId: number): Checkpoint[] {
  const rows = db
    .prepare('SELECT * FROM checkpoints WHERE project_id = ? ORDER BY seq')
    .all(projectId) as CheckpointRow[];
  return rows.map(toCheckpoint);
}

export function markCheckpointVerified(db: DatabaseSync, id: number, at: number): void {
  db.prepare('UPDATE checkpoints SET verified_at = ? WHERE id = ?').run(at, id);
}

/** A project's messages in id order, a chunk per query (exports of any size). */
export function* scanMessages(db: DatabaseSync, scan: MessageScan): Iterable<Message> {
  const parts = ['project_id = ?', 'id > ?'];
  const params: SQLInputValue[] = [scan.projectId];
  const rest: SQLInputValue[] = [];
  if (scan.source !== undefined) {
    parts.push('source = ?');
    rest.push(scan.source);
  }
  if (scan.sessionId !== undefined) {
    parts.push('session_id = ?');
    rest.push(scan.sessionId);
  }
  if (scan.since !== undefined) {
    parts.push('timestamp >= ?');
    rest.push(scan.since);
  }
  if (scan.until !== undefined) {
    parts.push('timestamp < ?');
    rest.push(scan.until);
  }
  // Ordered by the primary key on purpose: the planner walks ids and filters, never sorts.
  const statement = db.prepare(
    `SELECT * FROM messages NOT INDEXED WHERE ${parts.join(' AND ')} ORDER BY id LIMIT ?`,
  );
  let after = 0;
  for (;;) {
    const rows = statement.all(...params, after, ...rest, chunk) as MessageRow[];
    for (const row of rows) yield toMessage(row);
    if (rows.length < chunk) break;
    after = rows.at(-1)!.id;
  }
}
