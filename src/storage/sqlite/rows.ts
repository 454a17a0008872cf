import type { Block } from '../../domain/blocks.ts';
import type { Message, MessageKind, Role } from '../../domain/message.ts';
import type { Session, SessionStatus } from '../../domain/session.ts';

export type SessionRow = {
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
  meta: string;
  models: string | null;
};

export function toSession(row: SessionRow): Session {
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
    models: row.models === null ? [] : row.models.split('\u0001').sort(),
    agentVersion: row.agent_version,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status as SessionStatus,
    messageCount: row.message_count,
    meta: JSON.parse(row.meta) as Record<string, unknown>,
  };
}

export type MessageRow = {
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
  blocks: string;
  model: string | null;
  response_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_tokens: number | null;
  cache_read_tokens: number | null;
  timestamp: number | null;
  seq: number;
  content_hash: string;
  raw_hash: Uint8Array | null;
  meta: string;
};

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    sessionId: row.session_id,
    source: row.source,
    externalId: row.external_id,
    parentExternalId: row.parent_external_id,
    role: row.role as Role,
    kind: row.kind as MessageKind,
    speaker: row.speaker_name === null ? null : { name: row.speaker_name, role: row.speaker_role ?? '' },
    blocks: JSON.parse(row.blocks) as Block[],
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
    meta: JSON.parse(row.meta) as Record<string, unknown>,
  };
}
