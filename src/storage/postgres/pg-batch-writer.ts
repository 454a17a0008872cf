import type pg from 'pg';
import { reopenReason } from '../../domain/session-transition.ts';
import type { UsageInput } from '../../domain/raw-record.ts';
import { mergePatches } from '../merge-patches.ts';
import { sessionIds, sessionUpsertParams } from '../session-upsert.ts';
import type { MessageWriteStatus, WriteBatch, WriteResult } from '../ports.ts';
import { PgEnrichmentWriter } from './pg-enrichment-writer.ts';
import { writePgLeafTitles } from './pg-leaf-titles.ts';
import { pgJson } from './pg-text.ts';
import { inPgTransaction, type PgTx as Tx } from './pg-tx.ts';

/** Raw-record hashes are stored as the first 16 bytes of the sha256, as in SQLite. */
export const hashKey = (hex: string) => Buffer.from(hex.slice(0, 32), 'hex');

type BatchMessage = WriteBatch['messages'][number];

const messageParams = (m: BatchMessage) => ({
  parentExternal: m.parentExternalId,
  role: m.role,
  kind: m.kind,
  speakerName: m.speaker?.name ?? null,
  speakerRole: m.speaker?.role ?? null,
  text: m.text,
  blocks: pgJson(m.blocks),
  model: m.model,
  responseId: m.responseId,
  input: m.usage?.inputTokens ?? null,
  output: m.usage?.outputTokens ?? null,
  creation: m.usage?.cacheCreationTokens ?? null,
  read: m.usage?.cacheReadTokens ?? null,
  timestamp: m.timestamp,
  seq: m.seq,
  contentHash: m.contentHash,
  rawHash: m.rawHash === null ? null : hashKey(m.rawHash),
  meta: pgJson(m.meta),
});

/** Writes one batch in one transaction, with the same merge, idempotency and revision rules as SQLite. */
export function writePgBatch(pool: pg.Pool, batch: WriteBatch): Promise<WriteResult> {
  return inPgTransaction(pool, (tx) => writeInTransaction(tx, batch));
}

async function writeInTransaction(tx: Tx, batch: WriteBatch): Promise<WriteResult> {
  const project = batch.projectId;
  const sid = sessionIds(project);
  const stub = (id: string, source: string, external: string) =>
    tx.q(
      `INSERT INTO sessions (id, project_id, source, external_id) VALUES (:id, :project, :source, :external)
       ON CONFLICT (id) DO NOTHING`,
      { id, project, source, external },
    );
  const markFork = (from: string, id: string) =>
    tx.q(
      'UPDATE sessions SET forked_from_session_id = :from WHERE id = :id AND forked_from_session_id IS NULL',
      {
        from,
        id,
      },
    );

  for (const merged of mergePatches(batch.sessions).values()) {
    const { patch, models } = merged;
    const id = sid(patch.source, patch.externalId);
    let parent: string | null = null;
    if (patch.parentExternalId !== undefined) {
      parent = sid(patch.source, patch.parentExternalId);
      await stub(parent, patch.source, patch.parentExternalId);
    }
    await tx.q(
      `INSERT INTO sessions (id, project_id, source, external_id, parent_session_id, parent_tool_call_id, agent_id,
         title, fallback_title, cwd, git_branch, agent_version, started_at, ended_at, meta, status)
       VALUES (:id, :project, :source, :external, :parent, :parentTool, :agent, :title, :fallback, :cwd, :branch,
         :version, :started, :ended, :meta::jsonb, :status)
       ON CONFLICT (id) DO UPDATE SET
         parent_session_id = COALESCE(sessions.parent_session_id, excluded.parent_session_id),
         parent_tool_call_id = COALESCE(sessions.parent_tool_call_id, excluded.parent_tool_call_id),
         agent_id = COALESCE(sessions.agent_id, excluded.agent_id),
         title = COALESCE(excluded.title, sessions.title),
         fallback_title = COALESCE(sessions.fallback_title, excluded.fallback_title),
         cwd = COALESCE(sessions.cwd, excluded.cwd),
         git_branch = COALESCE(excluded.git_branch, sessions.git_branch),
         agent_version = COALESCE(excluded.agent_version, sessions.agent_version),
         started_at = LEAST(sessions.started_at, excluded.started_at),
         ended_at = GREATEST(sessions.ended_at, excluded.ended_at),
         meta = sessions.meta || excluded.meta`,
      sessionUpsertParams(merged, { id, project, parent }, pgJson(patch.meta ?? {})),
    );
    for (const model of models)
      await tx.q(
        'INSERT INTO session_models (session_id, model) VALUES (:id, :model) ON CONFLICT DO NOTHING',
        {
          id,
          model,
        },
      );
    if (patch.forkedFromExternalId !== undefined) {
      const from = sid(patch.source, patch.forkedFromExternalId);
      await stub(from, patch.source, patch.forkedFromExternalId);
      await markFork(from, id);
    }
  }

  const newRawRecords = await insertRawRecords(tx, project, batch.raw, sid);

  for (const blob of batch.blobs)
    await tx.q(
      `INSERT INTO blobs (sha256, media_type, size, data) VALUES (:sha, :type, :size, :data) ON CONFLICT DO NOTHING`,
      { sha: blob.sha256, type: blob.mediaType, size: blob.data.byteLength, data: Buffer.from(blob.data) },
    );

  let newMessages = 0;
  let duplicateMessages = 0;
  const messageStatus: MessageWriteStatus[] = [];
  const added = new Map<string, number>();
  const enrichment = new PgEnrichmentWriter();
  const fresh = await insertNewMessages(tx, project, batch.messages, sid);
  for (const [index, m] of batch.messages.entries()) {
    const session = sid(m.source, m.sessionExternalId);
    const id = fresh.get(index);
    if (id !== undefined) {
      newMessages++;
      messageStatus.push('new');
      added.set(session, (added.get(session) ?? 0) + 1);
      if (m.enrichment !== undefined)
        enrichment.add(
          { projectId: project, messageId: id, sessionId: session, timestamp: m.timestamp },
          m.enrichment,
          true,
        );
      continue;
    }
    duplicateMessages++;
    const [current] = await tx.q<{ id: number; session_id: string; content_hash: string }>(
      `SELECT id, session_id, content_hash FROM messages
       WHERE project_id = :project AND source = :source AND external_id = :external FOR UPDATE`,
      { project, source: m.source, external: m.externalId },
    );
    const revised = m.revisable === true && current !== undefined && current.content_hash !== m.contentHash;
    messageStatus.push(revised ? 'revised' : 'duplicate');
    if (current === undefined) continue;
    if (revised) {
      await tx.q(
        `INSERT INTO message_revisions (message_id, revised_at, content_hash, text, blocks, meta, raw_hash)
         SELECT id, :now, content_hash, text, blocks, meta, raw_hash FROM messages WHERE id = :id`,
        { now: Date.now(), id: current.id },
      );
      await tx.q(
        `UPDATE messages SET parent_external_id = :parentExternal, role = :role, kind = :kind,
           speaker_name = :speakerName, speaker_role = :speakerRole, text = :text, blocks = :blocks::json,
           model = :model, response_id = :responseId, input_tokens = :input, output_tokens = :output,
           cache_creation_tokens = :creation, cache_read_tokens = :read, timestamp = :timestamp, seq = :seq,
           content_hash = :contentHash, raw_hash = :rawHash, meta = :meta::json
         WHERE id = :id`,
        { id: current.id, ...messageParams(m) },
      );
      if (m.enrichment !== undefined) {
        const target = { projectId: project, messageId: current.id, sessionId: current.session_id };
        enrichment.add({ ...target, timestamp: m.timestamp }, m.enrichment, false);
      }
      continue;
    }
    // The same record under another session is a resumed or forked copy of that session.
    if (current.session_id !== session) await markFork(current.session_id, session);
  }
  await enrichment.flush(tx, project);
  const now = Date.now();
  // A completed session that gets new messages lives again: it is stopped and completed anew.
  for (const [session, count] of added)
    await tx.q(
      `WITH old AS (SELECT status FROM sessions WHERE id = :session FOR UPDATE),
       bumped AS (
         UPDATE sessions s SET message_count = s.message_count + :count,
           status = CASE WHEN old.status = 'completed' THEN 'active' ELSE s.status END
         FROM old WHERE s.id = :session RETURNING old.status AS was)
       INSERT INTO session_transitions (session_id, from_status, to_status, reason, at)
       SELECT :session, 'completed', 'active', :reason, :at FROM bumped WHERE was = 'completed'`,
      { count, session, reason: reopenReason, at: now },
    );

  await writePgLeafTitles(tx, batch, sid);

  for (const u of batch.usage) await writeUsage(tx, project, sid(u.source, u.sessionExternalId), u);

  for (const f of batch.fileStates)
    await tx.q(
      `INSERT INTO source_files (project_id, source, path, size, mtime_ms, byte_offset, lines, head_hash, format,
         updated_at)
       VALUES (:project, :source, :path, :size, :mtime, :offset, :lines, :head, :format, :now)
       ON CONFLICT (project_id, source, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         byte_offset = excluded.byte_offset, lines = excluded.lines, head_hash = excluded.head_hash,
         format = excluded.format, updated_at = excluded.updated_at`,
      {
        project,
        source: f.source,
        path: f.path,
        size: f.size,
        mtime: f.mtimeMs,
        offset: f.offset,
        lines: f.lines,
        head: f.headHash,
        format: f.format,
        now,
      },
    );
  return { newMessages, duplicateMessages, newRawRecords, messageStatus };
}

type SessionId = ReturnType<typeof sessionIds>;

/**
 * Every raw record of the batch in one statement (a round trip and a plan per record cost more
 * than the rows); those already stored are left alone. Returns how many were new.
 */
async function insertRawRecords(
  tx: Tx,
  project: number,
  raws: WriteBatch['raw'],
  sid: SessionId,
): Promise<number> {
  if (raws.length === 0) return 0;
  const rows = await tx.q(
    `INSERT INTO raw_records (project_id, source, hash, record_type, session_id, line, byte_offset, data)
     SELECT :project, * FROM unnest(:sources::text[], :hashes::bytea[], :types::text[], :sessions::text[],
       :lines::int[], :offsets::bigint[], :data::bytea[])
     ON CONFLICT DO NOTHING RETURNING 1 AS one`,
    {
      project,
      sources: raws.map((r) => r.source),
      hashes: raws.map((r) => hashKey(r.hash)),
      types: raws.map((r) => r.recordType),
      sessions: raws.map((r) => (r.sessionExternalId === null ? null : sid(r.source, r.sessionExternalId))),
      lines: raws.map((r) => r.line),
      offsets: raws.map((r) => r.byteOffset),
      data: raws.map((r) => Buffer.from(r.data)),
    },
  );
  return rows.length;
}

/**
 * Inserts the batch's messages in one statement, in batch order. Returns the new rows' ids by
 * batch index: a message missing from it was stored already, or earlier in the same batch, and
 * takes the duplicate-or-revision path.
 */
async function insertNewMessages(
  tx: Tx,
  project: number,
  messages: readonly BatchMessage[],
  sid: SessionId,
): Promise<Map<number, number>> {
  const fresh = new Map<number, number>();
  if (messages.length === 0) return fresh;
  const params = messages.map(messageParams);
  const column = <T>(pick: (p: ReturnType<typeof messageParams>) => T) => params.map(pick);
  const rows = await tx.q<{ id: string; source: string; external_id: string }>(
    `INSERT INTO messages (project_id, session_id, source, external_id, parent_external_id, role, kind,
       speaker_name, speaker_role, text, blocks, model, response_id, input_tokens, output_tokens,
       cache_creation_tokens, cache_read_tokens, timestamp, seq, content_hash, raw_hash, meta)
     SELECT :project, m.session, m.source, m.external, m.parent, m.role, m.kind, m.speaker_name, m.speaker_role,
       m.text, m.blocks::json, m.model, m.response, m.input, m.output, m.creation, m.read, m.ts, m.seq, m.hash,
       m.raw, m.meta::json
     FROM unnest(:sessions::text[], :sources::text[], :externals::text[], :parents::text[], :roles::text[],
       :kinds::text[], :speakerNames::text[], :speakerRoles::text[], :texts::text[], :blocks::text[],
       :models::text[], :responses::text[], :inputs::bigint[], :outputs::bigint[], :creations::bigint[],
       :reads::bigint[], :times::bigint[], :seqs::int[], :hashes::text[], :raws::bytea[], :metas::text[])
       WITH ORDINALITY AS m(session, source, external, parent, role, kind, speaker_name, speaker_role, text,
         blocks, model, response, input, output, creation, read, ts, seq, hash, raw, meta, n)
     ORDER BY m.n
     ON CONFLICT DO NOTHING RETURNING id, source, external_id`,
    {
      project,
      sessions: messages.map((m) => sid(m.source, m.sessionExternalId)),
      sources: messages.map((m) => m.source),
      externals: messages.map((m) => m.externalId),
      parents: column((p) => p.parentExternal),
      roles: column((p) => p.role),
      kinds: column((p) => p.kind),
      speakerNames: column((p) => p.speakerName),
      speakerRoles: column((p) => p.speakerRole),
      texts: column((p) => p.text),
      blocks: column((p) => p.blocks),
      models: column((p) => p.model),
      responses: column((p) => p.responseId),
      inputs: column((p) => p.input),
      outputs: column((p) => p.output),
      creations: column((p) => p.creation),
      reads: column((p) => p.read),
      times: column((p) => p.timestamp),
      seqs: column((p) => p.seq),
      hashes: column((p) => p.contentHash),
      raws: column((p) => p.rawHash),
      metas: column((p) => p.meta),
    },
  );
  const ids = new Map(rows.map((r) => [`${r.source}\u0000${r.external_id}`, Number(r.id)]));
  for (const [index, m] of messages.entries()) {
    const key = `${m.source}\u0000${m.externalId}`;
    const id = ids.get(key);
    // The first of repeated messages in one batch is the one inserted.
    if (id === undefined) continue;
    fresh.set(index, id);
    ids.delete(key);
  }
  return fresh;
}

/** The copy rules of SQLite's UsageWriter: one row per response, the preferred copy kept. */
async function writeUsage(tx: Tx, project: number, session: string, u: UsageInput): Promise<void> {
  const secondary = u.secondary === true;
  const scope = { project, source: u.source };
  const [existing] = await tx.q<{ secondary: number }>(
    'SELECT secondary FROM usage WHERE project_id = :project AND source = :source AND dedup_key = :key',
    { ...scope, key: u.dedupKey },
  );
  const [group] =
    u.replayGroup === undefined
      ? []
      : await tx.q<{ has_primary: number; secondary_key: string | null }>(
          `SELECT has_primary, secondary_key FROM usage_replay_groups
           WHERE project_id = :project AND source = :source AND group_key = :group`,
          { ...scope, group: u.replayGroup },
        );
  const promote = (key: string) =>
    tx.q(
      `UPDATE usage_replay_groups SET has_primary = 1, secondary_key = NULL
       WHERE project_id = :project AND source = :source AND secondary_key = :key`,
      { ...scope, key },
    );
  let key = u.dedupKey;
  if (!secondary && group?.has_primary === 0 && group.secondary_key !== null && group.secondary_key !== key) {
    // A primary copy arrives after secondary ones of its group: they no longer count.
    await tx.q('DELETE FROM usage WHERE project_id = :project AND source = :source AND dedup_key = :key', {
      ...scope,
      key: group.secondary_key,
    });
    await promote(group.secondary_key);
  }
  if (secondary && existing === undefined && group !== undefined) {
    if (group.has_primary === 1) return;
    if (group.secondary_key !== null) key = group.secondary_key;
  }
  await tx.q(
    `INSERT INTO usage (project_id, source, dedup_key, session_id, model, timestamp, input_tokens, output_tokens,
       cache_creation_tokens, cache_read_tokens, total_tokens, secondary, weight)
     VALUES (:project, :source, :key, :session, :model, :timestamp, :input, :output, :creation, :read, :total,
       :secondary, :weight)
     ON CONFLICT (project_id, source, dedup_key) DO UPDATE SET
       session_id = excluded.session_id, model = excluded.model, timestamp = excluded.timestamp,
       input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
       cache_creation_tokens = excluded.cache_creation_tokens, cache_read_tokens = excluded.cache_read_tokens,
       total_tokens = excluded.total_tokens, secondary = excluded.secondary, weight = excluded.weight
     WHERE (-excluded.secondary, excluded.total_tokens, excluded.weight) > (-usage.secondary, usage.total_tokens, usage.weight)`,
    {
      ...scope,
      key,
      session,
      model: u.model,
      timestamp: u.timestamp,
      input: u.inputTokens,
      output: u.outputTokens,
      creation: u.cacheCreationTokens,
      read: u.cacheReadTokens,
      total: u.inputTokens + u.outputTokens + u.cacheCreationTokens + u.cacheReadTokens,
      secondary: secondary ? 1 : 0,
      weight: u.weight ?? 0,
    },
  );
  if (!secondary && existing?.secondary === 1) await promote(u.dedupKey);
  if (u.replayGroup === undefined) return;
  if (!secondary || existing?.secondary === 0)
    await tx.q(
      `INSERT INTO usage_replay_groups (project_id, source, group_key, has_primary) VALUES (:project, :source, :group, 1)
       ON CONFLICT (project_id, source, group_key) DO UPDATE SET has_primary = 1, secondary_key = NULL`,
      { ...scope, group: u.replayGroup },
    );
  else
    await tx.q(
      `INSERT INTO usage_replay_groups (project_id, source, group_key, secondary_key)
       VALUES (:project, :source, :group, :key)
       ON CONFLICT (project_id, source, group_key) DO UPDATE SET secondary_key = excluded.secondary_key
       WHERE usage_replay_groups.has_primary = 0 AND usage_replay_groups.secondary_key IS NULL`,
      { ...scope, group: u.replayGroup, key },
    );
}
