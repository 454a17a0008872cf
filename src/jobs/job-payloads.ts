import { z } from 'zod';

/**
 * Every kind of job and the shape of its payload: the queue's wire contract, defined once. A job
 * may be read by another agentlog version than the one that wrote it, so payloads evolve only by
 * adding optional fields; a new shape gets a new kind.
 */
export const jobPayloadSchemas = {
  /** Complete a stopped session: run the completion pipeline (jobs/completion-pipeline.ts). */
  'session.complete': z.object({
    sessionId: z.string().min(1),
    projectId: z.number().int(),
    /** Why the session stopped: its client said so, it was idle, or a start-up sweep found it stopped. */
    trigger: z.enum(['client', 'inactivity', 'recovered']),
    stoppedAt: z.number().int(),
  }),
} as const;

export type JobKind = keyof typeof jobPayloadSchemas;
export type JobPayload<K extends JobKind> = z.infer<(typeof jobPayloadSchemas)[K]>;
