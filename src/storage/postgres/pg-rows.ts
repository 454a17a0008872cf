import type { Block } from '../../domain/blocks.ts';
import type { Message, MessageKind, Role } from '../../domain/message.ts';
import type { Session, SessionStatus } from '../../domain/session.ts';
import { messageFromRow, sessionFromRow } from '../row-mapping.ts';

/** Rows of the core tables as `pg` returns them (BIGINT as numbers, see pg-pool.ts), and their domain types. */
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
  status: SessionStatus;
  message_count: number;
  meta: Record<string, unknown>;
  models: string[] | null;
};

export type MessageRow = {
  id: number;
  session_id: string;
  source: string;
  external_id: string;
  parent_external_id: string | null;
  role: Role;
  kind: MessageKind;
  speaker_name: string | null;
  speaker_role: string | null;
  text: string;
  blocks: Block[];
  model: string | null;
  response_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_tokens: number | null;
  cache_read_tokens: number | null;
  timestamp: number | null;
  seq: number;
  content_hash: string;
  meta: Record<string, unknown>;
};

export const toSession = (row: SessionRow): Session => sessionFromRow(row, row.models ?? [], row.meta);

export const toMessage = (row: MessageRow): Message => messageFromRow(row, row.blocks, row.meta);

export const sessionColumns = `s.*, ARRAY(SELECT model FROM session_models m WHERE m.session_id = s.id ORDER BY model) AS models`;
const messageColumnNames = `id, session_id, source, external_id, parent_external_id, role, kind, speaker_name,
  speaker_role, text, blocks, model, response_id, input_tokens, output_tokens, cache_creation_tokens,
  cache_read_tokens, timestamp, seq, content_hash, meta`.split(/,\s*/);

/** The columns a Message is read from, optionally of a table alias. */
export const messageColumns = (alias?: string): string =>
  alias === undefined
    ? messageColumnNames.join(', ')
    : messageColumnNames.map((c) => `${alias}.${c}`).join(', ');
