import { z } from 'zod';
import { roles } from './message.ts';

/**
 * The shape of one message sent by a client (HTTP batch, WebSocket, and later the other
 * listeners and the SDK). Evolve it only by adding optional fields.
 */

const idSchema = z.string().min(1).max(512);

/** Epoch milliseconds, or an ISO 8601 date-time with a zone. */
export const apiTimestampSchema = z.union([z.number().int().min(0), z.iso.datetime({ offset: true })]);

const textBlock = z.object({ type: z.literal('text'), text: z.string() });
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string() });
const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
const knownBlockTypes = ['text', 'thinking', 'tool_use', 'tool_result'];
/** Any other block type is kept whole (stored as an `other` block), so clients can send more than we model. */
const otherBlock = z.looseObject({
  type: z.string().refine((t) => !knownBlockTypes.includes(t), { error: 'malformed block of a known type' }),
});
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  toolUseId: z.string(),
  content: z.union([z.string(), z.array(z.union([textBlock, otherBlock]))]),
  isError: z.boolean().optional(),
});

export const apiBlockSchema = z.union([textBlock, thinkingBlock, toolUseBlock, toolResultBlock, otherBlock]);
export type ApiBlock = z.infer<typeof apiBlockSchema>;

export const apiMessageSchema = z.object({
  /** The client's idempotency key: unique within the project; a resent id is a duplicate. */
  id: idSchema,
  /** The client's own session id. */
  session: idSchema,
  role: z.enum(roles),
  speaker: z.object({ name: z.string().min(1).max(512), role: z.string().max(512) }).optional(),
  content: z.union([z.string(), z.array(apiBlockSchema)]),
  /** When the message was written; defaults to when the server received it. */
  timestamp: apiTimestampSchema.optional(),
  model: z.string().min(1).max(512).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type ApiMessage = z.infer<typeof apiMessageSchema>;

/** A browser or UI event captured beside the conversation (a click, an input, a navigation). */
export const apiInteractionSchema = z.object({
  id: idSchema,
  session: idSchema,
  type: z.string().min(1).max(128),
  target: z.string().max(4096).optional(),
  url: z.string().max(8192).optional(),
  text: z.string().optional(),
  timestamp: apiTimestampSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type ApiInteraction = z.infer<typeof apiInteractionSchema>;

/** What a client says about a session when it starts one. */
export const apiSessionMetadataSchema = z.record(z.string(), z.unknown());
