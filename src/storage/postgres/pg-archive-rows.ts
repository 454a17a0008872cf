import type { Checkpoint } from '../../domain/checkpoint.ts';
import type { MessageKind, Role } from '../../domain/message.ts';
import type { ArchivedMessage } from '../ports.ts';

/** Rows of the archive tables as `pg` returns them, and the port's types made of them. */
export type ArchiveRow = {
  id: number;
  project_id: number;
  session_id: string;
  source: string;
  external_id: string;
  parent_external_id: string | null;
  role: Role;
  kind: MessageKind;
  speaker_name: string | null;
  speaker_role: string | null;
  text: string;
  blocks_json: string;
  model: string | null;
  response_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_tokens: number | null;
  cache_read_tokens: number | null;
  timestamp: number | null;
  seq: number;
  content_hash: string;
  meta_json: string;
  raw_hex: string | null;
  pending: boolean;
};

export type RevisionRow = {
  message_id: number;
  revised_at: number;
  content_hash: string;
  text: string;
  blocks: string;
  meta: string;
};

export type CheckpointRow = {
  id: number;
  project_id: number;
  seq: number;
  label: string | null;
  created_at: number;
  message_from: number;
  message_to: number;
  raw_from: number;
  raw_to: number;
  messages: number;
  raw_records: number;
  first_timestamp: number | null;
  last_timestamp: number | null;
  bytes: number;
  sha256: string;
  manifest_key: string;
  verified_at: number | null;
};

export const archiveColumns = `m.id, m.project_id, m.session_id, m.source, m.external_id, m.parent_external_id, m.role,
  m.kind, m.speaker_name, m.speaker_role, m.text, m.blocks::text AS blocks_json, m.model, m.response_id,
  m.input_tokens, m.output_tokens, m.cache_creation_tokens, m.cache_read_tokens, m.timestamp, m.seq,
  m.content_hash, m.meta::text AS meta_json, encode(m.raw_hash, 'hex') AS raw_hex,
  EXISTS (SELECT 1 FROM archive_pending p WHERE p.message_id = m.id) AS pending`;

/** A revision as JSON text, its stored blocks and meta copied in as they are. */
export const revisionJson = (row: RevisionRow): string =>
  `{"replacedAt":${row.revised_at},"contentHash":${JSON.stringify(row.content_hash)},"text":${JSON.stringify(row.text)},"blocks":${row.blocks},"meta":${row.meta}}`;

export const toArchived = (row: ArchiveRow, revisions: string[]): ArchivedMessage => ({
  id: row.id,
  sessionId: row.session_id,
  source: row.source,
  externalId: row.external_id,
  parentExternalId: row.parent_external_id,
  role: row.role,
  kind: row.kind,
  speaker: row.speaker_name === null ? null : { name: row.speaker_name, role: row.speaker_role ?? '' },
  text: row.text,
  model: row.model,
  usage:
    row.input_tokens === null
      ? null
      : {
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens ?? 0,
          cacheCreationTokens: row.cache_creation_tokens ?? 0,
          cacheReadTokens: row.cache_read_tokens ?? 0,
        },
  responseId: row.response_id,
  timestamp: row.timestamp,
  seq: row.seq,
  contentHash: row.content_hash,
  projectId: row.project_id,
  blocksJson: row.blocks_json,
  metaJson: row.meta_json,
  revisionsJson: `[${revisions.join(',')}]`,
  rawHash: row.raw_hex,
  pendingRevision: row.pending,
});

export const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  id: row.id,
  projectId: row.project_id,
  seq: row.seq,
  label: row.label,
  createdAt: row.created_at,
  messageRange: { from: row.message_from, to: row.message_to },
  rawRange: { from: row.raw_from, to: row.raw_to },
  messages: row.messages,
  rawRecords: row.raw_records,
  firstTimestamp: row.first_timestamp,
  lastTimestamp: row.last_timestamp,
  bytes: row.bytes,
  sha256: row.sha256,
  manifestKey: row.manifest_key,
  verifiedAt: row.verified_at,
});
