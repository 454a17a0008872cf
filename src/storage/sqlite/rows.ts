import type { Block } from '../../domain/blocks.ts';
import type { Message } from '../../domain/message.ts';
import type { Session } from '../../domain/session.ts';
import {
  messageFromRow,
  sessionFromRow,
  type MessageRowFields,
  type SessionRowFields,
} from '../row-mapping.ts';

export type SessionRow = SessionRowFields & { meta: string; models: string | null };

export function toSession(row: SessionRow): Session {
  const models = row.models === null ? [] : row.models.split('\u0001').sort();
  return sessionFromRow(row, models, JSON.parse(row.meta) as Record<string, unknown>);
}

export type MessageRow = MessageRowFields & { blocks: string; raw_hash: Uint8Array | null; meta: string };

export function toMessage(row: MessageRow): Message {
  return messageFromRow(
    row,
    JSON.parse(row.blocks) as Block[],
    JSON.parse(row.meta) as Record<string, unknown>,
  );
}
