import { z } from 'zod';
import { apiBlockSchema } from '../domain/api-message.ts';
import { AgentlogError } from '../domain/errors.ts';
import { messageKinds, roles } from '../domain/message.ts';
import { sessionStatuses } from '../domain/session.ts';

/**
 * Session memory's wire contract, defined once: what the library accepts and returns, what the
 * HTTP routes (server/routes/memory.ts) parse and answer, what `memory --json` prints, and what
 * the OpenAPI document describes. Evolve it only by adding optional fields.
 */

/** agentlog's own fields in a memory message's metadata live under this key. */
export const reservedMetadataKey = 'agentlog';

/** A memory session's name (yours, any text), or a stored session's id (`ses_…`). */
export const sessionRefSchema = z.string().min(1).max(512);

export const messageContentSchema = z
  .union([z.string(), z.array(apiBlockSchema)])
  .refine((c) => (typeof c === 'string' ? c.trim().length > 0 : c.length > 0), 'content is empty');

export const addMessageSchema = z.object({
  role: z.enum(roles),
  content: messageContentSchema,
  /** Who wrote it: an agent's or a person's name, shown as "User (name): …". */
  agent: z.string().min(1).max(512).optional(),
  metadata: z
    .record(z.string(), z.unknown())
    .refine((m) => !(reservedMetadataKey in m), `metadata.${reservedMetadataKey} is reserved`)
    .optional(),
  /** Your idempotency key for this message (unique in the project); a resent id stores nothing. */
  id: z.string().min(1).max(512).optional(),
});
export type AddMessageInput = z.input<typeof addMessageSchema>;

export const recentOptionsSchema = z.object({ limit: z.number().int().min(1).max(1000).default(20) });

export const contextFormats = ['text', 'messages'] as const;
export type ContextFormat = (typeof contextFormats)[number];

export const defaultPerMessageChars = 8000;

export const contextOptionsSchema = z.object({
  /** The budget: pinned notes and history together (o200k_base tokens). */
  maxTokens: z.number().int().min(1).max(10_000_000),
  maxMessages: z.number().int().min(1).max(100_000).optional(),
  /** Longer messages are cut to this many characters (and say so). */
  perMessageChars: z.number().int().min(16).max(10_000_000).default(defaultPerMessageChars),
  format: z.enum(contextFormats).default('text'),
});
export type ContextOptions = z.input<typeof contextOptionsSchema>;

export const searchOptionsSchema = z.object({ limit: z.number().int().min(1).max(200).default(20) });

export const editMessageSchema = z.object({ content: messageContentSchema });

export const branchSchema = z.object({
  /** The last message the branch shares with the session it comes from. */
  fromMessageId: z.number().int().min(1),
  /** The new session's name; default: the parent's name and a random suffix. */
  name: z.string().min(1).max(512).optional(),
});

export const pinSchema = z.object({
  note: z
    .string()
    .max(100_000)
    .refine((s) => s.trim().length > 0, 'note is empty'),
});

export const retentionSchema = z.object({
  /** Keep this many newest messages in the hot window; null keeps them all. */
  keepLast: z.number().int().min(1).max(10_000_000).nullable(),
});
export type Retention = z.infer<typeof retentionSchema>;

export const exportFormats = ['json', 'markdown'] as const;
export type ExportFormat = (typeof exportFormats)[number];

// Answers.

export const memoryMessageSchema = z.object({
  /** The store's id: pass it to edit, revisions and branch. */
  id: z.number().int(),
  /** Your id for it, or the one the store made up. */
  externalId: z.string(),
  sessionId: z.string(),
  role: z.enum(roles),
  /** `note` for a pinned note; `message` or `tool_result` otherwise (imported sessions: any kind). */
  kind: z.enum(messageKinds),
  agent: z.string().nullable(),
  /** What the message says: its text, and its tool calls and results in brackets. */
  content: z.string(),
  blocks: z.array(z.looseObject({ type: z.string() })),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.number().nullable(),
});
export type MemoryMessage = z.infer<typeof memoryMessageSchema>;

export const memorySessionSchema = z.object({
  id: z.string(),
  /** The memory session's name (for other sessions, the source's own id). */
  name: z.string(),
  source: z.string(),
  title: z.string().nullable(),
  status: z.enum(sessionStatuses),
  /** Messages stored in this session itself (a branch's shared history is not counted). */
  messageCount: z.number().int(),
  createdAt: z.number().nullable(),
  /** Where a branch comes from: the session and the last message it shares. */
  branchOf: z.object({ sessionId: z.string(), messageId: z.number().int() }).nullable(),
  retention: retentionSchema,
});
export type MemorySession = z.infer<typeof memorySessionSchema>;

export const addResultSchema = z.object({
  message: memoryMessageSchema,
  /** `duplicate`: a message with this id was stored before; nothing was added. */
  status: z.enum(['stored', 'duplicate']),
});
export type AddResult = z.infer<typeof addResultSchema>;

export const recentResultSchema = z.object({
  sessionId: z.string(),
  /** Oldest first: the most recent message is the last. */
  messages: z.array(memoryMessageSchema),
});
export type RecentResult = z.infer<typeof recentResultSchema>;

/** A chat message in the shape of the OpenAI Chat Completions API. */
export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().nullable(),
  name: z.string().optional(),
  tool_calls: z
    .array(
      z.object({
        id: z.string(),
        type: z.literal('function'),
        function: z.object({ name: z.string(), arguments: z.string() }),
      }),
    )
    .optional(),
  tool_call_id: z.string().optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

const contextCommon = {
  sessionId: z.string(),
  /** Tokens of what is returned (per message, summed), within `maxTokens` unless the notes alone exceed it. */
  tokens: z.number().int(),
  maxTokens: z.number().int(),
  encoding: z.string(),
  /** History messages included, oldest first after the pinned notes. */
  included: z.number().int(),
  pinned: z.number().int(),
  /** History messages left out: older than what fits, or archived by the retention policy. */
  omitted: z.number().int(),
  /** Of those left out, how many are outside the hot window (retention). */
  archived: z.number().int(),
  /** Messages cut to `perMessageChars`. */
  truncated: z.number().int(),
};

export const contextResultSchema = z.discriminatedUnion('format', [
  z.object({ format: z.literal('text'), text: z.string(), ...contextCommon }),
  z.object({ format: z.literal('messages'), messages: z.array(chatMessageSchema), ...contextCommon }),
]);
export type ContextResult = z.infer<typeof contextResultSchema>;

export const searchResultSchema = z.object({
  hits: z.array(
    z.object({
      message: memoryMessageSchema,
      /** The matching words in `[` `]`, with some text around them. */
      snippet: z.string(),
    }),
  ),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const editResultSchema = z.object({
  message: memoryMessageSchema,
  /** False when the content was already this: nothing changed, no revision was added. */
  changed: z.boolean(),
});
export type EditResult = z.infer<typeof editResultSchema>;

export const revisionsResultSchema = z.object({
  message: memoryMessageSchema,
  /** Earlier versions, oldest first; `replacedAt` is when the next version replaced it. */
  revisions: z.array(
    z.object({
      replacedAt: z.number(),
      content: z.string(),
      blocks: z.array(z.looseObject({ type: z.string() })),
      metadata: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type RevisionsResult = z.infer<typeof revisionsResultSchema>;

export const sessionResultSchema = z.object({ session: memorySessionSchema });
export type SessionResult = z.infer<typeof sessionResultSchema>;

export const pinResultSchema = z.object({ note: memoryMessageSchema });
export type PinResult = z.infer<typeof pinResultSchema>;

export const sessionExportSchema = z.object({
  session: memorySessionSchema,
  /** The pinned notes, oldest first (a branch's include those of the session it came from). */
  pins: z.array(memoryMessageSchema),
  /** Every message of the history, the shared part of a branch included, oldest first; `archived`: outside the hot window. */
  messages: z.array(memoryMessageSchema.extend({ archived: z.boolean() })),
});

/** Parses what a caller passed; INVALID_ARGUMENT naming the field otherwise. */
export function parseMemoryInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const reason = `${path.length > 0 ? `${path}: ` : ''}${issue?.message ?? 'invalid'}`;
  throw new AgentlogError('INVALID_ARGUMENT', `Invalid ${what}: ${reason}.`);
}

// HTTP query and path parameters: strings on the wire, made numbers here; the library checks ranges.

const wholeNumber = z.string().regex(/^\d+$/, 'a positive whole number').transform(Number);

export const sessionParamsSchema = z.object({ session: sessionRefSchema });
export const messageParamsSchema = z.object({ id: wholeNumber });

export const recentQuerySchema = z.object({ limit: wholeNumber.optional() });

export const contextQuerySchema = z.object({
  maxTokens: wholeNumber,
  maxMessages: wholeNumber.optional(),
  perMessageChars: wholeNumber.optional(),
  format: z.enum(contextFormats).optional(),
});

export const searchQuerySchema = z.object({ q: z.string().min(1).max(1000), limit: wholeNumber.optional() });

export const exportQuerySchema = z.object({ format: z.enum(exportFormats).default('json') });

export const pinsResultSchema = z.object({ pins: z.array(memoryMessageSchema) });
