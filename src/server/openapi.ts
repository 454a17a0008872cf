import type { z } from 'zod';
import { apiInteractionSchema, apiMessageSchema } from '../domain/api-message.ts';
import {
  batchRequestDoc,
  batchResponseSchema,
  errorResponseSchema,
  exportQuerySchema,
  healthResponseSchema,
  messageListQuerySchema,
  messageListResponseSchema,
  sessionExportSchema,
  sessionListQuerySchema,
  sessionListResponseSchema,
  sessionResponseSchema,
  stopRequestSchema,
  stopResponseSchema,
} from './http-contract.ts';
import { datasetOpenApi } from '../datasets/dataset-openapi.ts';
import { memoryOpenApi } from '../memory/memory-openapi.ts';
import { searchOpenApi } from './routes/search.ts';
import { clientFrameSchema, serverFrameSchema } from './ws-protocol.ts';
import { componentSchemas, json, queryParameters, ref } from '../openapi/openapi-parts.ts';

/**
 * The OpenAPI document, generated from the zod contracts so it cannot drift from what the
 * handlers accept. Served at /openapi.json; docs/openapi.json is a copy a test keeps equal.
 */

const named: [string, z.ZodType][] = [
  ['ApiMessage', apiMessageSchema],
  ['ApiInteraction', apiInteractionSchema],
  ['BatchRequest', batchRequestDoc],
  ['BatchResponse', batchResponseSchema],
  ['SessionList', sessionListResponseSchema],
  ['SessionResponse', sessionResponseSchema],
  ['MessageList', messageListResponseSchema],
  ['SessionExport', sessionExportSchema],
  ['StopRequest', stopRequestSchema],
  ['StopResponse', stopResponseSchema],
  ['Health', healthResponseSchema],
  ['Error', errorResponseSchema],
  ['ClientFrame', clientFrameSchema],
  ['ServerFrame', serverFrameSchema],
];

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { description: errorText[s] ?? 'Error', content: json('Error') }]),
  );

const errorText: Record<number, string> = {
  400: 'Invalid request (INVALID_ARGUMENT)',
  401: 'No key, an unknown key or a revoked key (UNAUTHORIZED)',
  403: 'The key lacks the scope (FORBIDDEN)',
  404: 'No such session in the key’s project (NOT_FOUND)',
  409: 'The session is not active (CONFLICT)',
  413: 'Too many messages or too many bytes (PAYLOAD_TOO_LARGE)',
  415: 'The body is not JSON (UNSUPPORTED_FORMAT)',
  429: 'The write queue is full; retry after Retry-After seconds (BUSY)',
  503: 'Shutting down or the store failed; nothing was stored; retry (UNAVAILABLE)',
};

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before sending the same request again.',
    schema: { type: 'integer' },
  },
};

const sessionId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The session id (ses_…) or, for sessions sent through the API, the client’s own session id.',
  schema: { type: 'string' },
};

export function buildOpenApi(): object {
  const memory = memoryOpenApi();
  const datasets = datasetOpenApi();
  const search = searchOpenApi();
  return {
    openapi: '3.1.0',
    info: {
      title: 'agentlog ingest server',
      version: '1.0.0',
      description:
        'Send agent conversations to agentlog and read them back. Every request needs `Authorization: Bearer <key>` (create keys with `npx agentlog keys create`); a key sees only its own project. See docs/API.md.',
    },
    servers: [{ url: 'http://127.0.0.1:7777' }],
    security: [{ bearerAuth: [] }],
    paths: {
      '/v1/messages:batch': {
        post: {
          summary: 'Store a batch of messages',
          description:
            'Answers once the accepted messages are committed. Each message is judged on its own: an invalid one is rejected with a reason, the others are still stored. A message whose id was already stored is a duplicate (nothing is stored twice). Scope: ingest.',
          requestBody: { required: true, content: json('BatchRequest') },
          responses: {
            '207': { description: 'One result per message, in order', content: json('BatchResponse') },
            ...errors(400, 401, 403, 413, 415),
            '429': { description: errorText[429], headers: retryAfter, content: json('Error') },
            '503': { description: errorText[503], headers: retryAfter, content: json('Error') },
          },
        },
      },
      '/v1/sessions': {
        get: {
          summary: 'List sessions, newest first',
          description: 'Scope: read.',
          parameters: queryParameters(sessionListQuerySchema),
          responses: {
            '200': { description: 'A page of sessions', content: json('SessionList') },
            ...errors(400, 401, 403),
          },
        },
      },
      '/v1/sessions/{id}': {
        get: {
          summary: 'One session, with the history of its status',
          description:
            'The session and its transitions (active → stopped → processing → completed | failed), oldest first, each with its time (epoch ms) and reason. Scope: read.',
          parameters: [sessionId],
          responses: {
            '200': { description: 'The session', content: json('SessionResponse') },
            ...errors(401, 403, 404),
          },
        },
      },
      '/v1/sessions/{id}/messages': {
        get: {
          summary: 'A session’s messages in conversation order',
          description: 'Scope: read.',
          parameters: [sessionId, ...queryParameters(messageListQuerySchema)],
          responses: {
            '200': { description: 'A page of messages', content: json('MessageList') },
            ...errors(400, 401, 403, 404),
          },
        },
      },
      '/v1/sessions/{id}/export': {
        get: {
          summary: 'The whole session as one JSON document or as Markdown (streamed)',
          description: 'Scope: read.',
          parameters: [sessionId, ...queryParameters(exportQuerySchema)],
          responses: {
            '200': {
              description: 'The export',
              content: {
                'application/json': { schema: ref('SessionExport') },
                'text/markdown': { schema: { type: 'string' } },
              },
            },
            ...errors(400, 401, 403, 404),
          },
        },
      },
      '/v1/sessions/{id}/stop': {
        post: {
          summary: 'Stop an active session',
          description:
            'Moves the session from active to stopped and records when and why. Stopping a stopped session changes nothing (transition is null). Scope: ingest.',
          parameters: [sessionId],
          requestBody: { required: false, content: json('StopRequest') },
          responses: {
            '200': { description: 'The session after the stop', content: json('StopResponse') },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      '/v1/ws': {
        get: {
          summary: 'WebSocket session protocol',
          description:
            'Upgrade to a WebSocket (the key in the Authorization header, or as ?token= where headers cannot be set). The client sends ClientFrame JSON text frames; the server answers each with a ServerFrame: ack once durable, slow_down when the frame must be resent later, pong for ping. Scope: ingest. See docs/API.md.',
          parameters: [{ name: 'token', in: 'query', required: false, schema: { type: 'string' } }],
          responses: { '101': { description: 'Switching protocols' }, ...errors(401, 403) },
        },
      },
      '/v1/health': {
        get: {
          summary: 'Whether the server answers (no key needed)',
          security: [],
          responses: { '200': { description: 'Healthy', content: json('Health') } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics of the whole server',
          description: 'Scope: admin (the counts cover every project).',
          responses: {
            '200': {
              description: 'Prometheus text format',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            ...errors(401, 403),
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document (no key needed)',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1' } },
        },
      },
      ...memory.paths,
      ...datasets.paths,
      ...search.paths,
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An agentlog API key (alk_…)' },
      },
      schemas: { ...componentSchemas(named), ...memory.schemas, ...datasets.schemas, ...search.schemas },
    },
  };
}
