import type { Message } from '../domain/message.ts';
import type { ArchivedMessage, ArchivedRawRecord } from '../storage/ports.ts';
import { asZstd } from '../ingest/raw-codec.ts';

/**
 * The row format of archives and exports, defined once: JSON Lines files carry these objects and
 * Parquet files these columns (DuckDB types). Times are epoch ms; JSON-valued columns (blocks,
 * meta, revisions) are JSON text. Add columns at the end, never rename.
 */
export const messageColumns = [
  ['id', 'BIGINT'],
  ['project_id', 'BIGINT'],
  ['session_id', 'VARCHAR'],
  ['source', 'VARCHAR'],
  ['external_id', 'VARCHAR'],
  ['parent_external_id', 'VARCHAR'],
  ['role', 'VARCHAR'],
  ['kind', 'VARCHAR'],
  ['speaker_name', 'VARCHAR'],
  ['speaker_role', 'VARCHAR'],
  ['text', 'VARCHAR'],
  ['blocks', 'VARCHAR'],
  ['model', 'VARCHAR'],
  ['response_id', 'VARCHAR'],
  ['input_tokens', 'BIGINT'],
  ['output_tokens', 'BIGINT'],
  ['cache_creation_tokens', 'BIGINT'],
  ['cache_read_tokens', 'BIGINT'],
  ['timestamp', 'BIGINT'],
  ['seq', 'BIGINT'],
  ['content_hash', 'VARCHAR'],
  ['meta', 'VARCHAR'],
] as const;

/** Archived messages add their raw record's key and their earlier versions. */
export const archivedMessageColumns = [
  ...messageColumns,
  ['raw_hash', 'VARCHAR'],
  ['revisions', 'VARCHAR'],
] as const;

/**
 * Raw records: `data_zstd` is the record's bytes as read from the source, zstd-compressed (as the
 * store keeps them, or compressed here for the small ones it keeps plain; base64 in JSON Lines);
 * `zstd -d` or agentlog's raw codec gives them back.
 */
export const rawRecordColumns = [
  ['id', 'BIGINT'],
  ['project_id', 'BIGINT'],
  ['source', 'VARCHAR'],
  ['hash', 'VARCHAR'],
  ['record_type', 'VARCHAR'],
  ['session_id', 'VARCHAR'],
  ['line', 'BIGINT'],
  ['byte_offset', 'BIGINT'],
  ['data_zstd', 'BLOB'],
] as const;

export type Columns = readonly (readonly [string, string])[];

export function messageRow(m: Message, projectId: number): Record<string, unknown> {
  return {
    id: m.id,
    project_id: projectId,
    session_id: m.sessionId,
    source: m.source,
    external_id: m.externalId,
    parent_external_id: m.parentExternalId,
    role: m.role,
    kind: m.kind,
    speaker_name: m.speaker?.name ?? null,
    speaker_role: m.speaker?.role ?? null,
    text: m.text,
    blocks: JSON.stringify(m.blocks),
    model: m.model,
    response_id: m.responseId,
    input_tokens: m.usage?.inputTokens ?? null,
    output_tokens: m.usage?.outputTokens ?? null,
    cache_creation_tokens: m.usage?.cacheCreationTokens ?? null,
    cache_read_tokens: m.usage?.cacheReadTokens ?? null,
    timestamp: m.timestamp,
    seq: m.seq,
    content_hash: m.contentHash,
    meta: JSON.stringify(m.meta),
  };
}

export function archivedMessageRow(m: ArchivedMessage): Record<string, unknown> {
  return {
    ...messageRow({ ...m, blocks: [], meta: {} }, m.projectId),
    blocks: m.blocksJson,
    meta: m.metaJson,
    raw_hash: m.rawHash,
    revisions: m.revisionsJson,
  };
}

export function rawRecordRow(r: ArchivedRawRecord, projectId: number): Record<string, unknown> {
  return {
    id: r.id,
    project_id: projectId,
    source: r.source,
    hash: r.hash,
    record_type: r.recordType,
    session_id: r.sessionId,
    line: r.line,
    byte_offset: r.byteOffset,
    data_zstd: Buffer.from(asZstd(r.data)).toString('base64'),
  };
}
