import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { createMarkdownRenderer, sessionHeader } from '../../analytics/session-markdown.ts';
import type { Message } from '../../domain/message.ts';
import type { Session } from '../../domain/session.ts';
import type { SessionLifecycle } from '../../jobs/session-lifecycle.ts';
import type { Store } from '../../storage/ports.ts';
import { principalOf } from '../auth-hook.ts';
import {
  decodeMessageCursor,
  decodeSessionCursor,
  encodeMessageCursor,
  encodeSessionCursor,
} from '../cursor.ts';
import {
  exportQuerySchema,
  messageListQuerySchema,
  sessionListQuerySchema,
  sessionParamsSchema,
  stopRequestSchema,
  type messageListResponseSchema,
  type sessionResponseSchema,
  type sessionListResponseSchema,
  type stopResponseSchema,
} from '../http-contract.ts';
import { requireSession, stopFailure, stopSession } from '../session-lookup.ts';
import { parseInput } from '../zod-reason.ts';

export function registerSessionRoutes(app: FastifyInstance, store: Store, lifecycle: SessionLifecycle): void {
  app.get('/v1/sessions', { config: { access: 'read' } }, async (request) => {
    const principal = principalOf(request);
    const query = parseInput(sessionListQuerySchema, request.query, 'query');
    const sessions = await store.listSessions({
      projectId: principal.projectId,
      limit: query.limit + 1,
      ...(query.source === undefined ? {} : { source: query.source }),
      ...(query.speaker === undefined ? {} : { speaker: query.speaker }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until }),
      ...(query.q === undefined ? {} : { text: query.q }),
      ...(query.cursor === undefined ? {} : { after: decodeSessionCursor(query.cursor) }),
    });
    const page = sessions.slice(0, query.limit);
    const last = page.at(-1);
    const body: z.infer<typeof sessionListResponseSchema> = {
      sessions: page,
      nextCursor:
        sessions.length > query.limit && last !== undefined
          ? encodeSessionCursor({ startedAt: last.startedAt ?? 0, id: last.id })
          : null,
    };
    return body;
  });

  app.get('/v1/sessions/:id', { config: { access: 'read' } }, async (request) => {
    const { id } = parseInput(sessionParamsSchema, request.params, 'path');
    const session = await requireSession(store, principalOf(request), id);
    const body: z.infer<typeof sessionResponseSchema> = {
      session,
      transitions: await store.sessionTransitions(session.id),
    };
    return body;
  });

  app.get('/v1/sessions/:id/messages', { config: { access: 'read' } }, async (request) => {
    const { id } = parseInput(sessionParamsSchema, request.params, 'path');
    const query = parseInput(messageListQuerySchema, request.query, 'query');
    const session = await requireSession(store, principalOf(request), id);
    const messages: Message[] = [];
    const page = {
      limit: query.limit + 1,
      ...(query.cursor === undefined ? {} : { after: decodeMessageCursor(query.cursor) }),
    };
    for await (const message of store.messages(session.id, page)) messages.push(message);
    const shown = messages.slice(0, query.limit);
    const last = shown.at(-1);
    const body: z.infer<typeof messageListResponseSchema> = {
      messages: shown,
      nextCursor:
        messages.length > query.limit && last !== undefined
          ? encodeMessageCursor({ timestamp: last.timestamp ?? 0, seq: last.seq, id: last.id })
          : null,
    };
    return body;
  });

  app.get('/v1/sessions/:id/export', { config: { access: 'read' } }, async (request, reply) => {
    const { id } = parseInput(sessionParamsSchema, request.params, 'path');
    const { format } = parseInput(exportQuerySchema, request.query, 'query');
    const session = await requireSession(store, principalOf(request), id);
    const extension = format === 'json' ? 'json' : 'md';
    reply
      .type(format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8')
      .header('content-disposition', `attachment; filename="${session.id}.${extension}"`);
    // Streamed: a long session is never held whole in memory.
    return reply.send(
      Readable.from(format === 'json' ? jsonExport(store, session) : markdownExport(store, session)),
    );
  });

  app.post('/v1/sessions/:id/stop', { config: { access: 'ingest' } }, async (request) => {
    const { id } = parseInput(sessionParamsSchema, request.params, 'path');
    const { reason } = parseInput(stopRequestSchema, request.body ?? {}, 'body');
    const outcome = await stopSession(
      store,
      lifecycle,
      principalOf(request),
      id,
      reason ?? 'stopped through the HTTP API',
    );
    if (outcome.status === 'not_found' || outcome.status === 'not_active') throw stopFailure(id, outcome);
    const body: z.infer<typeof stopResponseSchema> = {
      session: outcome.session,
      transition: outcome.status === 'stopped' ? outcome.transition : null,
    };
    return body;
  });
}

async function* jsonExport(store: Store, session: Session): AsyncIterable<string> {
  yield `{"session":${JSON.stringify(session)},"messages":[`;
  let separator = '';
  for await (const message of store.messages(session.id)) {
    yield `${separator}${JSON.stringify(message)}`;
    separator = ',';
  }
  yield ']}\n';
}

async function* markdownExport(store: Store, session: Session): AsyncIterable<string> {
  yield `${sessionHeader(session)}\n`;
  const render = createMarkdownRenderer();
  for await (const message of store.messages(session.id)) {
    const text = render(message);
    if (text.length > 0) yield `${text}\n`;
  }
}
