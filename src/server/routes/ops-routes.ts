import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { healthResponseSchema } from '../http-contract.ts';
import type { ServerMetrics } from '../server-metrics.ts';

export function registerOpsRoutes(app: FastifyInstance, metrics: ServerMetrics, openapi: object): void {
  // Open, for load balancers and orchestrators: says nothing but that the server answers.
  app.get('/v1/health', { config: { access: 'public' } }, async () => {
    const body: z.infer<typeof healthResponseSchema> = { status: 'ok' };
    return body;
  });

  app.get('/openapi.json', { config: { access: 'public' } }, async () => openapi);

  // Counts cover every project, so only an admin key may read them.
  app.get('/metrics', { config: { access: 'admin' } }, async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return metrics.render();
  });
}
