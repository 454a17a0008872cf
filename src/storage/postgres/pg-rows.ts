import type { Block } from '../../domain/blocks.ts';
import type { Message, MessageKind, Role } from '../../domain/message.ts';
import type { Session, SessionStatus } from '../../domain/session.ts';
import {
  messageFromRow,
  sessionFromRow,
  type MessageRowFields,
  type SessionRowFields,
} from '../row-mapping.ts';

/** Rows of the core tables as `pg` returns them (BIGINT as numbers, see pg-pool.ts), and their domain types. */
export type SessionRow = SessionRowFields & {
  status: SessionStatus;
  meta: Record<string, unknown>;
  models: string[] | null;
};

export type MessageRow = MessageRowFields & {
  role: Role;
  kind: MessageKind;
  blocks: Block[];
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
