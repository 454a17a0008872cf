import type { ApiBlock, ApiInteraction, ApiMessage } from '../domain/api-message.ts';
import { textOf, type Block } from '../domain/blocks.ts';
import type { MessageInput } from '../domain/message.ts';
import type { SessionPatch } from '../domain/session.ts';
import { contentHash } from '../sources/shared/content-hash.ts';
import type { ParsedRecord } from '../sources/source-format.ts';

/** The source name of everything sent through the server's API. */
export const apiSource = 'api';

/** Epoch ms of an API timestamp; `fallback` (the time the server received it) when absent. */
export function apiTime(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : Date.parse(value);
}

function toBlock(block: ApiBlock): Block {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: (block as { text: string }).text };
    case 'thinking':
      return { type: 'thinking', thinking: (block as { thinking: string }).thinking };
    case 'tool_use': {
      const b = block as { id: string; name: string; input: unknown };
      return { type: 'tool_use', id: b.id, name: b.name, input: b.input };
    }
    case 'tool_result': {
      const b = block as { toolUseId: string; content: string | ApiBlock[]; isError?: boolean };
      return {
        type: 'tool_result',
        toolUseId: b.toolUseId,
        content: typeof b.content === 'string' ? b.content : b.content.map(toBlock),
        isError: b.isError ?? false,
      };
    }
    default:
      return { type: 'other', kind: block.type, value: block };
  }
}

/** An API session patch: sessions created through the API start `active`. */
function sessionPatch(session: string, extra: Omit<SessionPatch, 'source' | 'externalId'>): SessionPatch {
  return { source: apiSource, externalId: session, status: 'active', ...extra };
}

function record(session: string, recordType: string, patch: SessionPatch, message: MessageInput | null) {
  const parsed: ParsedRecord = {
    recordType,
    sessionExternalId: session,
    sessions: [patch],
    message,
    usage: null,
    images: [],
    problem: null,
  };
  return parsed;
}

/** One API message as the record an importer would produce; `seq` keeps batch order on equal times. */
export function apiMessageRecord(message: ApiMessage, receivedAt: number, seq: number): ParsedRecord {
  const blocks: Block[] =
    typeof message.content === 'string'
      ? [{ type: 'text', text: message.content }]
      : message.content.map(toBlock);
  const timestamp = apiTime(message.timestamp, receivedAt);
  const patch = sessionPatch(message.session, {
    timestamp,
    ...(message.model === undefined ? {} : { model: message.model }),
  });
  return record(message.session, 'message', patch, {
    source: apiSource,
    sessionExternalId: message.session,
    externalId: message.id,
    parentExternalId: null,
    role: message.role,
    kind: message.role === 'tool' ? 'tool_result' : 'message',
    speaker: message.speaker ?? null,
    blocks,
    text: textOf(blocks),
    model: message.model ?? null,
    usage: null,
    responseId: null,
    timestamp,
    seq,
    contentHash: contentHash(message.role, blocks),
    meta: message.metadata ?? {},
  });
}

/** A UI event becomes an `event` message of the user, its fields kept in one `interaction` block. */
export function apiInteractionRecord(
  interaction: ApiInteraction,
  receivedAt: number,
  seq: number,
): ParsedRecord {
  const { id, session, metadata, timestamp: _timestamp, ...event } = interaction;
  const timestamp = apiTime(interaction.timestamp, receivedAt);
  const blocks: Block[] = [{ type: 'other', kind: 'interaction', value: event }];
  return record(session, 'interaction', sessionPatch(session, { timestamp }), {
    source: apiSource,
    sessionExternalId: session,
    externalId: id,
    parentExternalId: null,
    role: 'user',
    kind: 'event',
    speaker: null,
    blocks,
    text: interaction.text ?? '',
    model: null,
    usage: null,
    responseId: null,
    timestamp,
    seq,
    contentHash: contentHash('user', blocks),
    meta: metadata ?? {},
  });
}

/** A session announced by its client: created `active`, with the client's metadata. */
export function apiSessionStartRecord(session: string, metadata: Record<string, unknown>): ParsedRecord {
  const title = typeof metadata.title === 'string' ? metadata.title : undefined;
  const cwd = typeof metadata.cwd === 'string' ? metadata.cwd : undefined;
  return record(
    session,
    'session_start',
    sessionPatch(session, {
      meta: metadata,
      ...(title === undefined ? {} : { title }),
      ...(cwd === undefined ? {} : { cwd }),
    }),
    null,
  );
}
