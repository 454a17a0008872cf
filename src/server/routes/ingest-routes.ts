import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ServerConfig } from '../../config/config.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { isRefusal, type ApiIngest } from '../api-ingest.ts';
import { principalOf } from '../auth-hook.ts';
import { batchRequestSchema, type batchResponseSchema } from '../http-contract.ts';
import { sendRefusal } from '../http-errors.ts';
import { parseInput } from '../zod-reason.ts';

export function registerIngestRoutes(app: FastifyInstance, ingest: ApiIngest, config: ServerConfig): void {
  // `::` is Fastify's escape for a literal colon in a path.
  app.post(
    '/v1/messages::batch',
    { config: { access: 'ingest' }, bodyLimit: config.maxBodyBytes },
    async (request, reply) => {
      const { messages } = parseInput(batchRequestSchema, request.body, 'body');
      if (messages.length > config.maxBatchMessages) {
        throw new AgentlogError(
          'PAYLOAD_TOO_LARGE',
          `The batch holds ${messages.length} messages; the limit is ${config.maxBatchMessages}.`,
          { hint: `Split it into batches of at most ${config.maxBatchMessages} (server.maxBatchMessages).` },
        );
      }
      const results = await ingest.messages(principalOf(request), messages);
      if (isRefusal(results)) return sendRefusal(reply, request, results);
      const body: z.infer<typeof batchResponseSchema> = { results };
      return reply.code(207).send(body);
    },
  );
}
