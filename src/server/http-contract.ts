import { z } from 'zod';
import { apiMessageSchema } from '../domain/api-message.ts';
import { errorCodes } from '../domain/errors.ts';
import { messageKinds, roles } from '../domain/message.ts';
import { sessionStatuses } from '../domain/session.ts';

/**
 * The HTTP API's payloads, defined once: the handlers parse requests with these schemas and the
 * OpenAPI document (server/openapi.ts) is generated from them. Evolve by adding optional fields.
 */

/** The batch envelope; each element is then parsed on its own, so one bad message costs only itself. */
export const batchRequestSchema = z.object({ messages: z.array(z.unknown()) });
/** The same body as documented: an array of API messages. */
export const batchRequestDoc = z.object({ messages: z.array(apiMessageSchema) });

export const itemStatuses = ['accepted', 'duplicate', 'rejected'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export const batchResultSchema = z.object({
  /** Position of the message in the batch. */
  index: z.number().int(),
  /** The message's id, or null when it had no readable id. */
  id: z.string().nullable(),
  status: z.enum(itemStatuses),
  reason: z.string().optional(),
});
export type BatchResult = z.infer<typeof batchResultSchema>;
export const batchResponseSchema = z.object({ results: z.array(batchResultSchema) });

/** Epoch milliseconds or an ISO 8601 date-time, as a query parameter. */
const timeParam = z.union([
  z.string().regex(/^\d+$/).transform(Number),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);
const limitParam = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'a positive whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .default(fallback);

export const sessionListQuerySchema = z.object({
  source: z.string().min(1).optional(),
  /** Sessions with a message from this speaker name. */
  speaker: z.string().min(1).optional(),
  status: z.enum(sessionStatuses).optional(),
  /** Started at or after (inclusive) / before (exclusive). */
  since: timeParam.optional(),
  until: timeParam.optional(),
  /** Words that must all occur in one message of the session, or in its title. */
  q: z.string().min(1).max(1000).optional(),
  limit: limitParam(500, 50),
  cursor: z.string().min(1).optional(),
});

export const messageListQuerySchema = z.object({
  limit: limitParam(1000, 200),
  cursor: z.string().min(1).optional(),
});

export const exportQuerySchema = z.object({ format: z.enum(['json', 'markdown']).default('json') });

export const sessionParamsSchema = z.object({ id: z.string().min(1).max(512) });

export const stopRequestSchema = z.object({ reason: z.string().min(1).max(1000).optional() }).default({});

const jsonObject = z.record(z.string(), z.unknown());

export const sessionResource = z.object({
  id: z.string(),
  projectId: z.number().int(),
  source: z.string(),
  externalId: z.string(),
  parentSessionId: z.string().nullable(),
  parentToolCallId: z.string().nullable(),
  agentId: z.string().nullable(),
  forkedFromSessionId: z.string().nullable(),
  title: z.string().nullable(),
  cwd: z.string().nullable(),
  gitBranch: z.string().nullable(),
  models: z.array(z.string()),
  agentVersion: z.string().nullable(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  status: z.enum(sessionStatuses),
  messageCount: z.number().int(),
  meta: jsonObject,
});

const usageResource = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheCreationTokens: z.number(),
  cacheReadTokens: z.number(),
});

export const messageResource = z.object({
  id: z.number().int(),
  sessionId: z.string(),
  source: z.string(),
  externalId: z.string(),
  parentExternalId: z.string().nullable(),
  role: z.enum(roles),
  kind: z.enum(messageKinds),
  speaker: z.object({ name: z.string(), role: z.string() }).nullable(),
  /** Content blocks: text, thinking, tool_use, tool_result, image, other. */
  blocks: z.array(z.looseObject({ type: z.string() })),
  text: z.string(),
  model: z.string().nullable(),
  usage: usageResource.nullable(),
  responseId: z.string().nullable(),
  timestamp: z.number().nullable(),
  seq: z.number(),
  contentHash: z.string(),
  meta: jsonObject,
  revisable: z.boolean().optional(),
});

export const sessionListResponseSchema = z.object({
  sessions: z.array(sessionResource),
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const messageListResponseSchema = z.object({
  messages: z.array(messageResource),
  nextCursor: z.string().nullable(),
});

export const sessionExportSchema = z.object({ session: sessionResource, messages: z.array(messageResource) });

export const transitionResource = z.object({
  sessionId: z.string(),
  from: z.enum(sessionStatuses),
  to: z.enum(sessionStatuses),
  reason: z.string(),
  at: z.number(),
});

/** One session and every change of its status, oldest first (when and why: see the lifecycle in docs/API.md). */
export const sessionResponseSchema = z.object({
  session: sessionResource,
  transitions: z.array(transitionResource),
});

export const stopResponseSchema = z.object({
  session: sessionResource,
  /** The change made, or null when the session was already stopped. */
  transition: transitionResource.nullable(),
});

export const healthResponseSchema = z.object({ status: z.literal('ok') });

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorCodes) as [keyof typeof errorCodes, ...(keyof typeof errorCodes)[]]),
    message: z.string(),
    /** What to do about it, when there is something to say. */
    hint: z.string().optional(),
    /** Quote it when reporting a problem: the server's log carries the same id. */
    requestId: z.string(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
