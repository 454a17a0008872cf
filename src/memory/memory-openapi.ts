import type { z } from 'zod';
import { componentSchemas, json, queryParameters, ref } from '../openapi/openapi-parts.ts';
import {
  addMessageSchema,
  addResultSchema,
  branchSchema,
  contextQuerySchema,
  contextResultSchema,
  editMessageSchema,
  editResultSchema,
  exportQuerySchema,
  memoryMessageSchema,
  memorySessionSchema,
  pinResultSchema,
  pinSchema,
  pinsResultSchema,
  recentQuerySchema,
  recentResultSchema,
  retentionSchema,
  revisionsResultSchema,
  searchQuerySchema,
  searchResultSchema,
  sessionExportSchema,
  sessionResultSchema,
} from './memory-contract.ts';

/**
 * The /v1/memory routes as OpenAPI paths and component schemas, generated from the memory
 * contract; server/openapi.ts merges them into the server's document.
 */

const named: [string, z.ZodType][] = [
  ['MemoryMessage', memoryMessageSchema],
  ['MemorySession', memorySessionSchema],
  ['MemoryAddRequest', addMessageSchema],
  ['MemoryAddResult', addResultSchema],
  ['MemoryRecent', recentResultSchema],
  ['MemoryContext', contextResultSchema],
  ['MemorySearch', searchResultSchema],
  ['MemoryEditRequest', editMessageSchema],
  ['MemoryEditResult', editResultSchema],
  ['MemoryRevisions', revisionsResultSchema],
  ['MemoryBranchRequest', branchSchema],
  ['MemorySessionResult', sessionResultSchema],
  ['MemoryPinRequest', pinSchema],
  ['MemoryPin', pinResultSchema],
  ['MemoryPins', pinsResultSchema],
  ['MemoryRetention', retentionSchema],
  ['MemoryExport', sessionExportSchema],
];

const session = {
  name: 'session',
  in: 'path',
  required: true,
  description: 'A memory session’s name (URL-encoded), or any session’s id (ses_…).',
  schema: { type: 'string' },
};
const message = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A message id.',
  schema: { type: 'integer' },
};

const error = (description: string) => ({ description, content: json('Error') });
const readErrors = {
  '400': error('Invalid request (INVALID_ARGUMENT)'),
  '401': error('No key, an unknown key or a revoked key (UNAUTHORIZED)'),
  '403': error('The key lacks the scope (FORBIDDEN)'),
  '404': error('No such session or message in the key’s project (NOT_FOUND)'),
};
const writeErrors = {
  ...readErrors,
  '409': error('The session is not a memory session, or the name is taken (CONFLICT)'),
  '429': error('The write queue is full; retry after Retry-After seconds (BUSY)'),
  '503': error('Shutting down or the store failed; nothing was stored; retry (UNAVAILABLE)'),
};
const ok = (description: string, id: string, status = '200') => ({
  [status]: { description, content: json(id) },
});

function paths(): Record<string, unknown> {
  const base = '/v1/memory/sessions/{session}';
  return {
    [base]: {
      get: {
        summary: 'A memory session',
        description: 'Scope: read.',
        parameters: [session],
        responses: { ...ok('The session', 'MemorySessionResult'), ...readErrors },
      },
    },
    [`${base}/messages`]: {
      post: {
        summary: 'Add a message (creates the session if new)',
        description:
          'Answered once committed: 201 when stored, 200 when a message with this id was stored before. Scope: ingest.',
        parameters: [session],
        requestBody: { required: true, content: json('MemoryAddRequest') },
        responses: {
          ...ok('Stored', 'MemoryAddResult', '201'),
          ...ok('Already stored', 'MemoryAddResult'),
          ...writeErrors,
        },
      },
      get: {
        summary: 'The newest messages of the hot window, most recent last',
        description: 'Scope: read.',
        parameters: [session, ...queryParameters(recentQuerySchema)],
        responses: { ...ok('Recent messages', 'MemoryRecent'), ...readErrors },
      },
    },
    [`${base}/context`]: {
      get: {
        summary: 'The context for the next model call',
        description:
          'The pinned notes, then the newest history that fits maxTokens (o200k_base), never separating a tool call from its result; as prompt text or as chat messages. Says how many messages it left out. Scope: read.',
        parameters: [session, ...queryParameters(contextQuerySchema)],
        responses: { ...ok('The context window', 'MemoryContext'), ...readErrors },
      },
    },
    [`${base}/search`]: {
      get: {
        summary: 'Search the session’s history',
        description: 'Scope: read.',
        parameters: [session, ...queryParameters(searchQuerySchema)],
        responses: { ...ok('Best match first', 'MemorySearch'), ...readErrors },
      },
    },
    '/v1/memory/search': {
      get: {
        summary: 'Search every session of the project',
        description: 'Scope: read.',
        parameters: queryParameters(searchQuerySchema),
        responses: { ...ok('Best match first', 'MemorySearch'), ...readErrors },
      },
    },
    '/v1/memory/messages/{id}': {
      patch: {
        summary: 'Edit a message, keeping every earlier version',
        description: 'Scope: ingest.',
        parameters: [message],
        requestBody: { required: true, content: json('MemoryEditRequest') },
        responses: { ...ok('The message now', 'MemoryEditResult'), ...writeErrors },
      },
    },
    '/v1/memory/messages/{id}/revisions': {
      get: {
        summary: 'A message and its earlier versions',
        description: 'Scope: read.',
        parameters: [message],
        responses: { ...ok('Oldest first', 'MemoryRevisions'), ...readErrors },
      },
    },
    [`${base}/branches`]: {
      post: {
        summary: 'Branch: a new session sharing the history up to a message',
        description: 'Scope: ingest.',
        parameters: [session],
        requestBody: { required: true, content: json('MemoryBranchRequest') },
        responses: { ...ok('The new session', 'MemorySessionResult', '201'), ...writeErrors },
      },
    },
    [`${base}/pins`]: {
      post: {
        summary: 'Pin a note: every context window includes it',
        description: 'Scope: ingest.',
        parameters: [session],
        requestBody: { required: true, content: json('MemoryPinRequest') },
        responses: { ...ok('The note', 'MemoryPin', '201'), ...writeErrors },
      },
      get: {
        summary: 'The pinned notes, oldest first',
        description: 'Scope: read.',
        parameters: [session],
        responses: { ...ok('The notes', 'MemoryPins'), ...readErrors },
      },
    },
    [`${base}/retention`]: {
      put: {
        summary: 'How many of the newest messages the hot window keeps',
        description:
          'Older messages stay stored (archived): exported and searchable, no longer in recent history or context. Scope: ingest.',
        parameters: [session],
        requestBody: { required: true, content: json('MemoryRetention') },
        responses: { ...ok('The session', 'MemorySessionResult'), ...writeErrors },
      },
    },
    [`${base}/export`]: {
      get: {
        summary: 'The whole history (a branch’s shared part included), streamed',
        description: 'Scope: read.',
        parameters: [session, ...queryParameters(exportQuerySchema)],
        responses: {
          '200': {
            description: 'The export',
            content: {
              'application/json': { schema: ref('MemoryExport') },
              'text/markdown': { schema: { type: 'string' } },
            },
          },
          ...readErrors,
        },
      },
    },
  };
}

export function memoryOpenApi(): { paths: Record<string, unknown>; schemas: Record<string, unknown> } {
  return { paths: paths(), schemas: componentSchemas(named) };
}
