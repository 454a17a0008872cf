import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AgentlogError } from '../../domain/errors.ts';
import type { GroupCommitter } from '../../ingest/group-commit.ts';
import {
  addMessageSchema,
  branchSchema,
  contextQuerySchema,
  editMessageSchema,
  exportQuerySchema,
  messageParamsSchema,
  pinSchema,
  recentQuerySchema,
  retentionSchema,
  searchQuerySchema,
  sessionParamsSchema,
  type AddResult,
  type ContextResult,
  type EditResult,
  type PinResult,
  type RecentResult,
  type RevisionsResult,
  type SearchResult,
  type SessionResult,
} from '../../memory/memory-contract.ts';
import { SessionMemory } from '../../memory/session-memory.ts';
import type { Store } from '../../storage/ports.ts';
import { principalOf } from '../auth-hook.ts';
import { parseInput } from '../zod-reason.ts';

/**
 * Session memory over HTTP (/v1/memory/...), the same operations and answers as the library
 * (`agentlog/memory`); payloads are defined in memory/memory-contract.ts. Writes go through the
 * server's group committer and are answered once committed.
 */
export function registerMemoryRoutes(app: FastifyInstance, store: Store, committer: GroupCommitter): void {
  // One memory per project: each keeps its token counter and label counts between requests.
  const memories = new Map<number, SessionMemory>();
  const memoryFor = (request: Parameters<typeof principalOf>[0]) => {
    const { projectId } = principalOf(request);
    let memory = memories.get(projectId);
    if (memory === undefined) {
      memory = new SessionMemory({ store, committer, projectId });
      memories.set(projectId, memory);
    }
    return memory;
  };
  const session = (params: unknown) => parseInput(sessionParamsSchema, params, 'path').session;
  const messageId = (params: unknown) => parseInput(messageParamsSchema, params, 'path').id;
  const read = { config: { access: 'read' as const } };
  const write = { config: { access: 'ingest' as const } };

  app.get('/v1/memory/sessions/:session', read, async (request) => {
    const body: SessionResult = { session: await memoryFor(request).getSession(session(request.params)) };
    return body;
  });

  app.post('/v1/memory/sessions/:session/messages', write, async (request, reply) =>
    retryable(reply, async () => {
      const input = parseInput(addMessageSchema, request.body, 'body');
      const body: AddResult = await memoryFor(request).addMessage(session(request.params), input);
      return reply.code(body.status === 'stored' ? 201 : 200).send(body);
    }),
  );

  app.get('/v1/memory/sessions/:session/messages', read, async (request) => {
    const { limit } = parseInput(recentQuerySchema, request.query, 'query');
    const body: RecentResult = await memoryFor(request).recentMessages(session(request.params), {
      ...(limit === undefined ? {} : { limit }),
    });
    return body;
  });

  app.get('/v1/memory/sessions/:session/context', read, async (request) => {
    const query = parseInput(contextQuerySchema, request.query, 'query');
    const body: ContextResult = await memoryFor(request).context(session(request.params), query);
    return body;
  });

  app.get('/v1/memory/sessions/:session/search', read, async (request) => {
    const { q, limit } = parseInput(searchQuerySchema, request.query, 'query');
    const scope = { session: session(request.params) };
    const body: SearchResult = await memoryFor(request).search(
      scope,
      q,
      limit === undefined ? {} : { limit },
    );
    return body;
  });

  app.get('/v1/memory/search', read, async (request) => {
    const { q, limit } = parseInput(searchQuerySchema, request.query, 'query');
    const body: SearchResult = await memoryFor(request).search(
      'project',
      q,
      limit === undefined ? {} : { limit },
    );
    return body;
  });

  app.patch('/v1/memory/messages/:id', write, async (request, reply) =>
    retryable(reply, async () => {
      const { content } = parseInput(editMessageSchema, request.body, 'body');
      const body: EditResult = await memoryFor(request).editMessage(messageId(request.params), content);
      return reply.send(body);
    }),
  );

  app.get('/v1/memory/messages/:id/revisions', read, async (request) => {
    const body: RevisionsResult = await memoryFor(request).revisions(messageId(request.params));
    return body;
  });

  app.post('/v1/memory/sessions/:session/branches', write, async (request, reply) =>
    retryable(reply, async () => {
      const { fromMessageId, name } = parseInput(branchSchema, request.body, 'body');
      const options = name === undefined ? {} : { name };
      const branched = await memoryFor(request).branch(session(request.params), fromMessageId, options);
      const body: SessionResult = { session: branched };
      return reply.code(201).send(body);
    }),
  );

  app.get('/v1/memory/sessions/:session/pins', read, async (request) => ({
    pins: await memoryFor(request).pins(session(request.params)),
  }));

  app.post('/v1/memory/sessions/:session/pins', write, async (request, reply) =>
    retryable(reply, async () => {
      const { note } = parseInput(pinSchema, request.body, 'body');
      const body: PinResult = { note: await memoryFor(request).pin(session(request.params), note) };
      return reply.code(201).send(body);
    }),
  );

  app.put('/v1/memory/sessions/:session/retention', write, async (request, reply) =>
    retryable(reply, async () => {
      const body: SessionResult = {
        session: await memoryFor(request).setRetention(
          session(request.params),
          parseInput(retentionSchema, request.body, 'body'),
        ),
      };
      return reply.send(body);
    }),
  );

  app.get('/v1/memory/sessions/:session/export', read, async (request, reply) => {
    const { format } = parseInput(exportQuerySchema, request.query, 'query');
    const name = session(request.params);
    const stream = await memoryFor(request).exportSession(name, format);
    reply.type(format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8');
    return reply.send(Readable.from(stream));
  });
}

/** A write refused for now (queue full, shutting down) tells the client when to send it again. */
async function retryable(reply: FastifyReply, write: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof AgentlogError && (error.code === 'BUSY' || error.code === 'UNAVAILABLE'))
      reply.header('retry-after', '1');
    throw error;
  }
}
