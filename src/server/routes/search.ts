import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { searchMessages } from '../../analytics/search.ts';
import {
  searchQuerySchema,
  searchResponseSchema,
  type SearchResponse,
} from '../../analytics/search-contract.ts';
import type { Store } from '../../storage/ports.ts';
import { principalOf } from '../auth-hook.ts';
import { parseInput } from '../zod-reason.ts';

/** `GET /v1/search`: full-text search over the key's project, the same as `agentlog search --json`. */
export function registerSearchRoutes(app: FastifyInstance, store: Store): void {
  app.get('/v1/search', { config: { access: 'read' } }, async (request) => {
    const query = parseInput(searchQuerySchema, request.query, 'query');
    const body: SearchResponse = await searchMessages(store, principalOf(request).projectId, {
      text: query.q,
      limit: query.limit,
      order: query.order,
      ...(query.source === undefined ? {} : { source: query.source }),
      ...(query.speaker === undefined ? {} : { speaker: query.speaker }),
      ...(query.domain === undefined ? {} : { domain: query.domain }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until }),
    });
    return body;
  });
}

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The route as OpenAPI, for server/openapi.ts to merge. */
export function searchOpenApi(): { paths: Record<string, unknown>; schemas: Record<string, unknown> } {
  const parameters = Object.entries(searchQuerySchema.shape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: name === 'q',
    description: schema.description,
    schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  }));
  return {
    paths: {
      '/v1/search': {
        get: {
          summary: 'Full-text search over messages',
          description:
            'Messages holding all the words of `q`, with a snippet and the [start, end) offsets of the matches. What is typed is searched as words, never as query syntax. Scope: read.',
          parameters,
          responses: {
            '200': {
              description: 'The matching messages',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/SearchResponse' } } },
            },
            '400': error('A bad query parameter'),
            '401': error('No key, or a key that is not valid'),
            '403': error('The key lacks the read scope'),
          },
        },
      },
    },
    schemas: { SearchResponse: withoutDialect(z.toJSONSchema(searchResponseSchema, { io: 'output' })) },
  };
}

/** Component schemas carry no `$schema` of their own: the document declares the dialect. */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
