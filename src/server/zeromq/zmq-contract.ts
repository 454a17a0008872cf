import { z } from 'zod';
import type { ApiMessage } from '../../domain/api-message.ts';
import type { Role } from '../../domain/message.ts';

/**
 * What a ZeroMQ frame may hold, defined once: the HTTP batch envelope `{messages: [...]}`, one API
 * message (domain/api-message.ts), an array of them, or the record shape some agent frameworks
 * publish, `{Id, Timestamp, SpeakerName, SpeakerRole, Message, ConversationType, ContextId,
 * Metadata}`, alone or as elements of the other two. A record becomes an API message by
 * `recordToApiMessage`; the record's JSON is kept whole as the raw record. Evolve by adding
 * optional fields.
 */

const externalId = z.union([z.string().min(1).max(512), z.number().int().transform(String)]);

export const zmqRecordSchema = z.object({
  /** The sender's idempotency key, like an API message's `id`. */
  Id: externalId,
  /** The conversation (our session's external id). */
  ContextId: externalId,
  /** Text, or content blocks as in the API. */
  Message: z.union([z.string(), z.array(z.unknown())]),
  /** Epoch seconds (below 10^11) or milliseconds, or ISO 8601 (UTC when it names no zone). */
  Timestamp: z.union([z.number().min(0), z.string().min(1)]).nullish(),
  SpeakerName: z.string().min(1).max(512).nullish(),
  /** `user`, `assistant`, `system`, `tool`, or a name of one (`human`, `agent`, …); kept as the speaker's role. */
  SpeakerRole: z.string().max(512).nullish(),
  /** Kept as `metadata.conversationType` (e.g. `agent_to_agent`). */
  ConversationType: z.string().max(128).nullish(),
  Metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type ZmqRecord = z.infer<typeof zmqRecordSchema>;

/** The batch envelope, as over HTTP; each element is then parsed on its own. */
export const zmqBatchSchema = z.object({ messages: z.array(z.unknown()) });

/** An element is in the record shape when it has any of the record's own keys. */
export function isRecordShape(value: object): boolean {
  return 'Id' in value || 'ContextId' in value || 'Message' in value;
}

const roleNames: Readonly<Record<string, Role>> = {
  user: 'user',
  human: 'user',
  customer: 'user',
  assistant: 'assistant',
  agent: 'assistant',
  ai: 'assistant',
  bot: 'assistant',
  model: 'assistant',
  system: 'system',
  tool: 'tool',
  function: 'tool',
};

/** Records are mostly agent-to-agent traffic, so a speaker role we do not know is an assistant. */
function roleOf(speakerRole: string | null | undefined): Role {
  return roleNames[(speakerRole ?? '').trim().toLowerCase()] ?? 'assistant';
}

/** Epoch ms of a record's timestamp, or a reason it is not one. */
function timeOf(value: number | string): number | { reason: string } {
  if (typeof value === 'number') return Math.round(value < 1e11 ? value * 1000 : value);
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? { reason: `Timestamp: not a date: ${JSON.stringify(value)}` } : ms;
}

/** The API message a record stands for (validated afterwards by the API message schema). */
export function recordToApiMessage(
  record: ZmqRecord,
): { message: Record<string, unknown> } | { reason: string } {
  const timestamp =
    record.Timestamp === null || record.Timestamp === undefined ? undefined : timeOf(record.Timestamp);
  if (typeof timestamp === 'object') return timestamp;
  const metadata = {
    ...record.Metadata,
    ...(record.ConversationType ? { conversationType: record.ConversationType } : {}),
  };
  const message: { [K in keyof ApiMessage]: unknown } = {
    id: record.Id,
    session: record.ContextId,
    role: roleOf(record.SpeakerRole),
    content: record.Message,
    speaker: record.SpeakerName ? { name: record.SpeakerName, role: record.SpeakerRole ?? '' } : undefined,
    timestamp,
    model: undefined,
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
  };
  return { message: Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined)) };
}
