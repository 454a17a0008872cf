import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { MessageInput, MessageKind, Role, Speaker } from '../../domain/message.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { ParsedImage, ParsedRecord } from '../source-format.ts';
import { contentHash } from './content-hash.ts';

/** What a chat-log message says; the rest of a MessageInput follows from it. */
export type ChatMessage = {
  source: string;
  sessionExternalId: string;
  externalId: string;
  parentExternalId: string | null;
  role: Role;
  kind: MessageKind;
  speaker: Speaker | null;
  blocks: Block[];
  model: string | null;
  timestamp: number | null;
  seq: number;
  meta: Record<string, unknown>;
};

export function chatMessage(m: ChatMessage): MessageInput {
  return {
    ...m,
    text: textOf(m.blocks),
    usage: null,
    responseId: null,
    contentHash: contentHash(m.role, m.blocks),
  };
}

/** A record carrying one message (or, with `message` null, only session metadata). */
export function chatRecord(
  recordType: string,
  sessionExternalId: string | null,
  sessions: SessionPatch[],
  message: MessageInput | null,
  images: ParsedImage[] = [],
): ParsedRecord {
  return { recordType, sessionExternalId, sessions, message, usage: null, images, problem: null };
}

/** A record kept raw but not normalised; `problem` is reported with the record's position. */
export function problemRecord(
  recordType: string,
  sessionExternalId: string | null,
  problem: string,
): ParsedRecord {
  return { recordType, sessionExternalId, sessions: [], message: null, usage: null, images: [], problem };
}

/** The start of a user's first message: the title of a conversation that has none. */
export function titleFrom(text: string): string | undefined {
  const title = text.trim().slice(0, 120);
  return title.length > 0 ? title : undefined;
}
