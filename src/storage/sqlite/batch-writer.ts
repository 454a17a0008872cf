import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { reopenReason } from '../../domain/session-transition.ts';
import type { MessageWriteStatus, WriteBatch, WriteResult } from '../ports.ts';
import { EnrichmentWriter } from './enrich-queries.ts';
import { hashKey } from './hash-key.ts';
import { LeafTitleWriter } from './leaf-title-writer.ts';
import { mergePatches } from '../merge-patches.ts';
import { sessionIds, sessionUpsertParams } from '../session-upsert.ts';
import { UsageWriter } from './usage-writer.ts';

/** Prepared statements for one connection, and the transaction that writes a batch. */
export class BatchWriter {
  private readonly db: DatabaseSync;
  private readonly upsertSession: StatementSync;
  private readonly ensureSessionStub: StatementSync;
  private readonly addModel: StatementSync;
  private readonly insertRaw: StatementSync;
  private readonly insertMessage: StatementSync;
  private readonly insertFts: StatementSync;
  private readonly ownerOf: StatementSync;
  private readonly currentVersion: StatementSync;
  private readonly keepRevision: StatementSync;
  private readonly replaceMessage: StatementSync;
  private readonly deleteFts: StatementSync;
  private readonly markFork: StatementSync;
  private readonly bumpCount: StatementSync;
  private readonly noteReopen: StatementSync;
  private readonly reopen: StatementSync;
  private readonly usageWriter: UsageWriter;
  private readonly insertBlob: StatementSync;
  private readonly enrichment: EnrichmentWriter;
  private readonly saveFile: StatementSync;
  private readonly leafTitles: LeafTitleWriter;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.upsertSession = db.prepare(`
      INSERT INTO sessions (id, project_id, source, external_id, parent_session_id, parent_tool_call_id, agent_id,
        title, fallback_title, cwd, git_branch, agent_version, started_at, ended_at, meta, status)
      VALUES (:id, :project, :source, :external, :parent, :parentTool, :agent,
        :title, :fallback, :cwd, :branch, :version, :started, :ended, :meta, :status)
      ON CONFLICT (id) DO UPDATE SET
        parent_session_id = COALESCE(sessions.parent_session_id, excluded.parent_session_id),
        parent_tool_call_id = COALESCE(sessions.parent_tool_call_id, excluded.parent_tool_call_id),
        agent_id = COALESCE(sessions.agent_id, excluded.agent_id),
        title = COALESCE(excluded.title, sessions.title),
        fallback_title = COALESCE(sessions.fallback_title, excluded.fallback_title),
        cwd = COALESCE(sessions.cwd, excluded.cwd),
        git_branch = COALESCE(excluded.git_branch, sessions.git_branch),
        agent_version = COALESCE(excluded.agent_version, sessions.agent_version),
        started_at = MIN(COALESCE(sessions.started_at, excluded.started_at), COALESCE(excluded.started_at, sessions.started_at)),
        ended_at = MAX(COALESCE(sessions.ended_at, excluded.ended_at), COALESCE(excluded.ended_at, sessions.ended_at)),
        meta = json_patch(sessions.meta, excluded.meta)`);
    this.ensureSessionStub = db.prepare(
      `INSERT INTO sessions (id, project_id, source, external_id) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.addModel = db.prepare('INSERT OR IGNORE INTO session_models (session_id, model) VALUES (?, ?)');
    this.insertRaw = db.prepare(`
      INSERT INTO raw_records (project_id, source, hash, record_type, session_id, line, byte_offset, data)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.insertMessage = db.prepare(`
      INSERT INTO messages (project_id, session_id, source, external_id, parent_external_id, role, kind,
        speaker_name, speaker_role, text, blocks, model, response_id, input_tokens, output_tokens,
        cache_creation_tokens, cache_read_tokens, timestamp, seq, content_hash, raw_hash, meta)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING`);
    this.insertFts = db.prepare('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)');
    this.ownerOf = db.prepare(
      'SELECT session_id FROM messages WHERE project_id = ? AND source = ? AND external_id = ?',
    );
    this.currentVersion = db.prepare(
      'SELECT id, session_id, content_hash, text FROM messages WHERE project_id = ? AND source = ? AND external_id = ?',
    );
    this.keepRevision = db.prepare(`
      INSERT INTO message_revisions (message_id, revised_at, content_hash, text, blocks, meta, raw_hash)
      SELECT id, ?, content_hash, text, blocks, meta, raw_hash FROM messages WHERE id = ?`);
    this.replaceMessage = db.prepare(`
      UPDATE messages SET parent_external_id = ?, role = ?, kind = ?, speaker_name = ?, speaker_role = ?, text = ?,
        blocks = ?, model = ?, response_id = ?, input_tokens = ?, output_tokens = ?, cache_creation_tokens = ?,
        cache_read_tokens = ?, timestamp = ?, seq = ?, content_hash = ?, raw_hash = ?, meta = ?
      WHERE id = ?`);
    this.deleteFts = db.prepare(
      "INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', ?, ?)",
    );
    this.markFork = db.prepare(
      'UPDATE sessions SET forked_from_session_id = ? WHERE id = ? AND forked_from_session_id IS NULL',
    );
    this.bumpCount = db.prepare('UPDATE sessions SET message_count = message_count + ? WHERE id = ?');
    this.noteReopen = db.prepare(`
      INSERT INTO session_transitions (session_id, from_status, to_status, reason, at)
      SELECT id, status, 'active', ?, ? FROM sessions WHERE id = ? AND status = 'completed'`);
    this.reopen = db.prepare("UPDATE sessions SET status = 'active' WHERE id = ? AND status = 'completed'");
    this.usageWriter = new UsageWriter(db);
    this.leafTitles = new LeafTitleWriter(db);
    this.enrichment = new EnrichmentWriter(db);
    this.insertBlob = db.prepare(
      'INSERT INTO blobs (sha256, media_type, size, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.saveFile = db.prepare(`
      INSERT INTO source_files (project_id, source, path, size, mtime_ms, byte_offset, lines, head_hash, format, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, byte_offset = excluded.byte_offset,
        lines = excluded.lines, head_hash = excluded.head_hash, format = excluded.format, updated_at = excluded.updated_at`);
  }

  write(batch: WriteBatch): WriteResult {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = this.writeInTransaction(batch);
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.enrichment.reset();
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private revise(current: { id: number; text: string }, m: WriteBatch['messages'][number]): void {
    this.keepRevision.run(Date.now(), current.id);
    this.replaceMessage.run(...messageValues(m), current.id);
    if (current.text.length > 0) this.deleteFts.run(current.id, current.text);
    if (m.text.length > 0) this.insertFts.run(current.id, m.text);
  }

  private writeInTransaction(batch: WriteBatch): WriteResult {
    const project = batch.projectId;
    const sid = sessionIds(project);

    for (const merged of mergePatches(batch.sessions).values()) {
      const { patch, models } = merged;
      const id = sid(patch.source, patch.externalId);
      let parent: string | null = null;
      if (patch.parentExternalId !== undefined) {
        parent = sid(patch.source, patch.parentExternalId);
        this.ensureSessionStub.run(parent, project, patch.source, patch.parentExternalId);
      }
      this.upsertSession.run(
        sessionUpsertParams(merged, { id, project, parent }, JSON.stringify(patch.meta ?? {})),
      );
      for (const model of models) this.addModel.run(id, model);
      if (patch.forkedFromExternalId !== undefined) {
        const from = sid(patch.source, patch.forkedFromExternalId);
        this.ensureSessionStub.run(from, project, patch.source, patch.forkedFromExternalId);
        this.markFork.run(from, id);
      }
    }

    let newRawRecords = 0;
    for (const raw of batch.raw) {
      const session = raw.sessionExternalId === null ? null : sid(raw.source, raw.sessionExternalId);
      const { changes } = this.insertRaw.run(
        project,
        raw.source,
        hashKey(raw.hash),
        raw.recordType,
        session,
        raw.line,
        raw.byteOffset,
        raw.data,
      );
      newRawRecords += Number(changes);
    }

    for (const blob of batch.blobs)
      this.insertBlob.run(blob.sha256, blob.mediaType, blob.data.byteLength, blob.data);

    let newMessages = 0;
    let duplicateMessages = 0;
    const messageStatus: MessageWriteStatus[] = [];
    const added = new Map<string, number>();
    for (const m of batch.messages) {
      const session = sid(m.source, m.sessionExternalId);
      const { changes, lastInsertRowid } = this.insertMessage.run(
        project,
        session,
        m.source,
        m.externalId,
        ...messageValues(m),
      );
      if (changes > 0) {
        newMessages++;
        messageStatus.push('new');
        added.set(session, (added.get(session) ?? 0) + 1);
        if (m.text.length > 0) this.insertFts.run(lastInsertRowid, m.text);
        if (m.enrichment !== undefined) {
          const target = { projectId: project, messageId: Number(lastInsertRowid), sessionId: session };
          this.enrichment.write({ ...target, timestamp: m.timestamp }, m.enrichment, true, true);
        }
        continue;
      }
      duplicateMessages++;
      const current = this.currentVersion.get(project, m.source, m.externalId) as
        { id: number; session_id: string; content_hash: string; text: string } | undefined;
      const revised = m.revisable === true && current !== undefined && current.content_hash !== m.contentHash;
      messageStatus.push(revised ? 'revised' : 'duplicate');
      if (!current) continue;
      if (revised) {
        this.revise(current, m);
        if (m.enrichment !== undefined) {
          const target = { projectId: project, messageId: current.id, sessionId: current.session_id };
          this.enrichment.write({ ...target, timestamp: m.timestamp }, m.enrichment, false);
        }
        continue;
      }
      // The same record under another session is a resumed or forked copy of that session.
      if (current.session_id !== session) this.markFork.run(current.session_id, session);
    }
    const now = Date.now();
    for (const [session, count] of added) {
      this.bumpCount.run(count, session);
      // A completed session that gets new messages lives again: it is stopped and completed anew.
      if (this.noteReopen.run(reopenReason, now, session).changes > 0) this.reopen.run(session);
    }
    this.enrichment.finish(project);
    this.leafTitles.write(batch, sid);

    for (const u of batch.usage) this.usageWriter.write(project, sid(u.source, u.sessionExternalId), u);

    for (const f of batch.fileStates) {
      this.saveFile.run(
        project,
        f.source,
        f.path,
        f.size,
        f.mtimeMs,
        f.offset,
        f.lines,
        f.headHash,
        f.format,
        now,
      );
    }
    return { newMessages, duplicateMessages, newRawRecords, messageStatus };
  }
}

/** Values of a message row after (project, session, source, external id), in column order. */
function messageValues(m: WriteBatch['messages'][number]) {
  return [
    m.parentExternalId,
    m.role,
    m.kind,
    m.speaker?.name ?? null,
    m.speaker?.role ?? null,
    m.text,
    JSON.stringify(m.blocks),
    m.model,
    m.responseId,
    m.usage?.inputTokens ?? null,
    m.usage?.outputTokens ?? null,
    m.usage?.cacheCreationTokens ?? null,
    m.usage?.cacheReadTokens ?? null,
    m.timestamp,
    m.seq,
    m.contentHash,
    m.rawHash === null ? null : hashKey(m.rawHash),
    JSON.stringify(m.meta),
  ] as const;
}
