import { z } from 'zod';
import { apiInteractionSchema, apiMessageSchema, apiSessionMetadataSchema } from '../domain/api-message.ts';
import { itemStatuses } from './http-contract.ts';

/**
 * The WebSocket session protocol of `/v1/ws`, defined once for the server and its clients.
 * Every client frame is answered: `ack` once its effect is durable (or it was refused for good),
 * `slow_down` when it was not taken and must be resent later, `pong` for `ping`.
 * `ref` is the client's own correlation id, echoed in the answer. Evolve by adding optional fields.
 */

const ref = z.string().max(256).optional();
const sessionId = z.string().min(1).max(512);

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('session_start'),
    ref,
    session: sessionId,
    metadata: apiSessionMetadataSchema.optional(),
  }),
  z.object({ type: z.literal('message'), ref, message: apiMessageSchema }),
  z.object({ type: z.literal('interaction'), ref, interaction: apiInteractionSchema }),
  z.object({
    type: z.literal('session_stop'),
    ref,
    session: sessionId,
    reason: z.string().max(1000).optional(),
  }),
  z.object({ type: z.literal('ping'), ref }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export const clientFrameTypes = ['session_start', 'message', 'interaction', 'session_stop', 'ping'] as const;
export type ClientFrameType = (typeof clientFrameTypes)[number];

export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ack'),
    ref,
    /** The type of the frame answered, or null when it could not be read. */
    frame: z.enum(clientFrameTypes).nullable(),
    /** The message or interaction id, or the session id for session frames; null when unreadable. */
    id: z.string().nullable(),
    status: z.enum(itemStatuses),
    reason: z.string().optional(),
  }),
  z.object({
    type: z.literal('slow_down'),
    ref,
    frame: z.enum(clientFrameTypes).nullable(),
    id: z.string().nullable(),
    /** The frame was not taken: resend it after this many milliseconds. */
    retryAfterMs: z.number().int(),
  }),
  z.object({ type: z.literal('pong'), ref }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
