import type { DatabaseSync } from 'node:sqlite';
import type { RetentionOutcome } from '../../domain/checkpoint.ts';
import type { RetentionRequest } from '../ports.ts';
import { archiveMarks, listCheckpoints } from './archive-queries.ts';
import { forgetMessages, lowerMark, statMarks } from './report-stats.ts';

/** Rows deleted per transaction: writers (imports, the server) wait at most one chunk. */
const chunk = 2000;

const placeholders = (ids: readonly number[]) => ids.map(() => '?').join(',');

/**
 * Removes messages from every hot table that holds them: the report aggregates, the full-text
 * index, revisions, enrichment (results, labels, terms), archive bookkeeping, then the rows.
 * Runs inside the caller's transaction. Read marks above the new newest id come down to it, so
 * ids SQLite hands out again are read as new.
 */
export function deleteMessages(db: DatabaseSync, ids: readonly number[]): void {
  if (ids.length === 0) return;
  const list = placeholders(ids);
  forgetMessages(db, ids, list);
  db.prepare(
    `INSERT INTO messages_fts (messages_fts, rowid, text)
     SELECT 'delete', id, text FROM messages WHERE id IN (${list}) AND text <> ''`,
  ).run(...ids);
  for (const table of [
    'message_revisions',
    'message_enrichments',
    'message_labels',
    'message_terms',
    'archive_pending',
    'archive_revised',
  ]) {
    db.prepare(`DELETE FROM ${table} WHERE message_id IN (${list})`).run(...ids);
  }
  db.prepare(`DELETE FROM messages WHERE id IN (${list})`).run(...ids);
  lowerMark(db, 'messages', [statMarks.messages, archiveMarks.messages]);
  lowerMark(db, 'message_labels', [statMarks.labels]);
  lowerMark(db, 'message_terms', [statMarks.terms]);
}

function inTransaction(db: DatabaseSync, work: () => number): number {
  db.exec('BEGIN IMMEDIATE');
  try {
    const done = work();
    db.exec('COMMIT');
    return done;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * Deletes from the hot store what checkpoints up to `verifiedThrough` hold and is older than the
 * cutoff. A message is kept while it has a revision not yet archived, or its latest version is in
 * a later (unverified) checkpoint. A raw record goes once its whole session has left the hot
 * store and ended before the cutoff. Sessions, usage rows and images stay (see docs/ARCHITECTURE.md).
 */
export function applyRetention(db: DatabaseSync, request: RetentionRequest): RetentionOutcome {
  const { projectId, cutoff, verifiedThrough } = request;
  const checkpoints = listCheckpoints(db, projectId);
  const held = checkpoints.filter((c) => c.seq <= verifiedThrough);
  const later = checkpoints.filter((c) => c.seq > verifiedThrough);
  const last = held.at(-1);
  let messages = 0;
  let rawRecords = 0;
  if (last !== undefined) {
    // A later checkpoint may hold messages that reused ids below its start: stay under every start.
    const messageBound = Math.min(last.messageRange.to, ...later.map((c) => c.messageRange.from));
    const rawBound = Math.min(last.rawRange.to, ...later.map((c) => c.rawRange.from));
    const candidates = db.prepare(
      `SELECT m.id FROM messages m NOT INDEXED WHERE m.id > ? AND m.id <= ? AND m.project_id = ? AND m.timestamp < ?
       AND NOT EXISTS (SELECT 1 FROM archive_pending p WHERE p.message_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM archive_revised r WHERE r.message_id = m.id AND r.checkpoint_seq > ?)
       ORDER BY m.id LIMIT ?`,
    );
    let after = 0;
    for (;;) {
      const ids = (
        candidates.all(after, messageBound, projectId, cutoff, verifiedThrough, chunk) as { id: number }[]
      ).map((r) => r.id);
      if (ids.length === 0) break;
      messages += inTransaction(db, () => {
        deleteMessages(db, ids);
        return ids.length;
      });
      after = ids.at(-1)!;
    }
    const rawCandidates = db.prepare(
      `SELECT r.id FROM raw_records r JOIN sessions s ON s.id = r.session_id
       WHERE r.id > ? AND r.id <= ? AND r.project_id = ? AND COALESCE(s.ended_at, s.started_at) < ?
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.session_id = r.session_id)
       ORDER BY r.id LIMIT ?`,
    );
    after = 0;
    for (;;) {
      const ids = (rawCandidates.all(after, rawBound, projectId, cutoff, chunk) as { id: number }[]).map(
        (r) => r.id,
      );
      if (ids.length === 0) break;
      rawRecords += inTransaction(db, () => {
        db.prepare(`DELETE FROM raw_records WHERE id IN (${placeholders(ids)})`).run(...ids);
        lowerMark(db, 'raw_records', [archiveMarks.raw]);
        return ids.length;
      });
      after = ids.at(-1)!;
    }
  }
  const outcome: RetentionOutcome = {
    cutoff,
    verifiedThrough: last?.seq ?? null,
    messages,
    rawRecords,
  };
  db.prepare(
    `INSERT INTO retention_runs (project_id, at, cutoff, verified_through, messages, raw_records)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(projectId, request.now, cutoff, outcome.verifiedThrough, messages, rawRecords);
  return outcome;
}
