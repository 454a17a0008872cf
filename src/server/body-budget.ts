import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AgentlogError } from '../domain/errors.ts';
import { sendError } from './http-errors.ts';

/** The bytes a request may bring, reserved before its body is read. */
const reservations = new WeakMap<FastifyRequest, number>();

/**
 * Bounds the memory of request bodies being read at once: each request with a body reserves its
 * declared length (the largest allowed body when it does not declare one) before Fastify reads
 * it; beyond the budget it is answered 429 with Retry-After and nothing is read. The write queue
 * bounds what waits for a commit; this bounds what is on its way there, however many clients.
 */
export function registerBodyBudget(
  app: FastifyInstance,
  limits: { maxInflightBodyBytes: number; maxBodyBytes: number },
): void {
  let inflight = 0;
  const release = (request: FastifyRequest) => {
    const reserved = reservations.get(request);
    if (reserved === undefined) return;
    reservations.delete(request);
    inflight -= reserved;
  };
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const declared = Number(request.headers['content-length']);
    const size = Number.isFinite(declared) && declared >= 0 ? declared : limits.maxBodyBytes;
    if (size === 0) return;
    // One request alone is never refused here: its own limit (413) says what is wrong with it.
    if (inflight > 0 && inflight + size > limits.maxInflightBodyBytes) {
      reply.header('retry-after', '1');
      return sendError(
        reply,
        request,
        new AgentlogError(
          'BUSY',
          'The server is reading as many request bodies as it may hold; nothing was taken.',
          {
            hint: 'Send the same request again after Retry-After seconds (the limit is server.maxInflightBodyBytes).',
          },
        ),
      );
    }
    inflight += size;
    reservations.set(request, size);
  });
  app.addHook('onResponse', async (request) => release(request));
  app.addHook('onRequestAbort', async (request) => release(request));
}
