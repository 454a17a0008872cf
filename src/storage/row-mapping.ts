import type { Block } from '../domain/blocks.ts';
import type { Checkpoint } from '../domain/checkpoint.ts';
import type { Message, MessageKind, Role } from '../domain/message.ts';
import type { Session, SessionStatus } from '../domain/session.ts';
import type { ArchivedMessage } from './ports.ts';

/**
 * Rows of the core tables as both adapters read them, and the domain types made of them. The
 * adapters differ only in how JSON columns come back (SQLite: text to parse; pg: parsed values),
 * so each decodes those and passes them in.
 */

/** A sessions row without its JSON (meta) and its models (SQLite joins them, pg reads an array). */
export type SessionRowFields = {
  id: string;
  project_id: number;
  source: string;
  external_id: string;
  parent_session_id: string | null;
  parent_tool_call_id: string | null;
  agent_id: string | null;
  forked_from_session_id: string | null;
  title: string | null;
  fallback_title: string | null;
  cwd: string | null;
  git_branch: string | null;
  agent_version: string | null;
  started_at: number | null;
  ended_at: number | null;
  status: string;
  message_count: number;
};

export function sessionFromRow(
  row: SessionRowFields,
  models: string[],
  meta: Record<string, unknown>,
): Session {
  return {
    id: row.id,
    projectId: row.project_id,
    source: row.source,
    externalId: row.external_id,
    parentSessionId: row.parent_session_id,
    parentToolCallId: row.parent_tool_call_id,
    agentId: row.agent_id,
    forkedFromSessionId: row.forked_from_session_id,
    title: row.title ?? row.fallback_title,
    cwd: row.cwd,
    gitBranch: row.git_branch,
    models,
    agentVersion: row.agent_version,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status as SessionStatus,
    messageCount: row.message_count,
    meta,
  };
}

/** A messages row without its JSON columns (blocks, meta). */
export type MessageRowFields = {
  id: number;
  session_id: string;
  source: string;
  external_id: string;
  parent_external_id: string | null;
  role: string;
  kind: string;
  speaker_name: string | null;
  speaker_role: string | null;
  text: string;
  model: string | null;
  response_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_tokens: number | null;
  cache_read_tokens: number | null;
  timestamp: number | null;
  seq: number;
  content_hash: string;
};

const speakerOf = (row: MessageRowFields) =>
  row.speaker_name === null ? null : { name: row.speaker_name, role: row.speaker_role ?? '' };

const usageOf = (row: MessageRowFields) =>
  row.input_tokens === null
    ? null
    : {
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens ?? 0,
        cacheCreationTokens: row.cache_creation_tokens ?? 0,
        cacheReadTokens: row.cache_read_tokens ?? 0,
      };

export function messageFromRow(
  row: MessageRowFields,
  blocks: Block[],
  meta: Record<string, unknown>,
): Message {
  return {
    id: row.id,
    sessionId: row.session_id,
    source: row.source,
    externalId: row.external_id,
    parentExternalId: row.parent_external_id,
    role: row.role as Role,
    kind: row.kind as MessageKind,
    speaker: speakerOf(row),
    blocks,
    text: row.text,
    model: row.model,
    usage: usageOf(row),
    responseId: row.response_id,
    timestamp: row.timestamp,
    seq: row.seq,
    contentHash: row.content_hash,
    meta,
  };
}

/** What an archive row adds to a message's fields: JSON kept as the text stored, revisions, raw hash. */
export type ArchivedExtras = Pick<
  ArchivedMessage,
  'projectId' | 'blocksJson' | 'metaJson' | 'revisionsJson' | 'rawHash' | 'pendingRevision'
>;

export function archivedFromRow(row: MessageRowFields, extras: ArchivedExtras): ArchivedMessage {
  return {
    id: row.id,
    sessionId: row.session_id,
    source: row.source,
    externalId: row.external_id,
    parentExternalId: row.parent_external_id,
    role: row.role as Role,
    kind: row.kind as MessageKind,
    speaker: speakerOf(row),
    text: row.text,
    model: row.model,
    usage: usageOf(row),
    responseId: row.response_id,
    timestamp: row.timestamp,
    seq: row.seq,
    contentHash: row.content_hash,
    ...extras,
  };
}

export type RevisionRow = {
  message_id: number;
  revised_at: number;
  content_hash: string;
  text: string;
  blocks: string;
  meta: string;
};

/** A revision as JSON text, its stored blocks and meta copied in as they are. */
export const revisionJson = (row: RevisionRow): string =>
  `{"replacedAt":${row.revised_at},"contentHash":${JSON.stringify(row.content_hash)},"text":${JSON.stringify(row.text)},"blocks":${row.blocks},"meta":${row.meta}}`;

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

export const checkpointFromRow = (row: CheckpointRow): Checkpoint => ({
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
