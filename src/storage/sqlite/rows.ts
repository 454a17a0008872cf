import type { Block } from '../../domain/blocks.ts';
import type { Message } from '../../domain/message.ts';
import type { Session } from '../../domain/session.ts';
import { messageFromRow, sessionFromRow } from '../row-mapping.ts';

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
  const models = row.models === null ? [] : row.models.split('\u0001').sort();
  return sessionFromRow(row, models, JSON.parse(row.meta) as Record<string, unknown>);
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
  return messageFromRow(
    row,
    JSON.parse(row.blocks) as Block[],
    JSON.parse(row.meta) as Record<string, unknown>,
  );
}
