import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ServerConfig } from '../config/config.ts';
import { AgentlogError } from '../domain/errors.ts';
import type { GroupCommitter } from '../ingest/group-commit.ts';
import type { JobRuntime } from '../jobs/job-runtime.ts';
import type { Store } from '../storage/ports.ts';
import { ApiIngest } from './api-ingest.ts';
import { principalOf, redactToken, registerAuth } from './auth-hook.ts';
import { asAgentlogError, sendError } from './http-errors.ts';
import { jobsGauge } from './jobs-gauge.ts';
import { buildOpenApi } from './openapi.ts';
import { registerIngestRoutes } from './routes/ingest-routes.ts';
import { registerMemoryRoutes } from './routes/memory.ts';
import { registerOpsRoutes } from './routes/ops-routes.ts';
import { registerSearchRoutes } from './routes/search.ts';
import { registerSessionRoutes } from './routes/session-routes.ts';
import { registerTrainingFileRoutes, type TrainingFileRouteDeps } from './routes/training-files.ts';
import type { Metric } from './prometheus.ts';
import { ServerMetrics, type GaugeSource } from './server-metrics.ts';
import { WsHub } from './ws-hub.ts';
import { registerBodyBudget } from './body-budget.ts';

/** What the server is built from: the core, already made (see createAgentlog), and its settings. */
export type AppDeps = {
  store: Store;
  committer: GroupCommitter;
  config: ServerConfig;
  /** The session lifecycle (stops queue completion jobs) and the job worker, closed with the app. */
  jobs: JobRuntime;
  /** Pino options for Fastify's logger, or false for none (tests). */
  logger?: FastifyServerOptions['logger'];
  /** More gauges for /metrics (the job queue's jobs by state). */
  gauges?: readonly GaugeSource[];
  /** Listeners beside HTTP and WebSocket (ZeroMQ), started when the app is ready. */
  listeners?: readonly SideListener[];
  /** Training files (/v1/training-files): the blob store and settings they need; absent, no such routes. */
  trainingFiles?: TrainingFileRouteDeps;
};

/** Another way in (ZeroMQ): it writes through the app's ingest and reports in its /metrics. */
export type SideListener = {
  readonly metrics: readonly Metric[];
  start(ingest: ApiIngest, log: FastifyBaseLogger): Promise<void>;
  /** Stops taking work and settles what it took, while the committer still commits. */
  stop(): Promise<void>;
};

/**
 * The HTTP and WebSocket API over the core: thin handlers that parse at the boundary, authorise
 * by key, and hand writes to the group committer. Closing the app drains: WebSocket frames in
 * flight are answered, HTTP requests in flight complete, then the committer empties its queue.
 */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const { store, committer, config } = deps;
  const app = Fastify({
    logger: withRedactedUrls(deps.logger ?? false),
    bodyLimit: config.maxBodyBytes,
    // Idle keep-alive connections are closed at shutdown, busy ones after their answer.
    forceCloseConnections: 'idle',
  });
  const listeners = deps.listeners ?? [];
  const metrics = new ServerMetrics(
    committer,
    [...(deps.gauges ?? []), jobsGauge(deps.jobs)],
    listeners.flatMap((l) => l.metrics),
  );
  committer.observe({
    onCommit: (stats) => metrics.commit(stats.items, stats.durationMs / 1000),
    onError: (error) => app.log.error({ err: error }, 'group commit failed'),
  });
  const ingest = new ApiIngest(committer, metrics);
  const hub = new WsHub(
    { ingest, store, lifecycle: deps.jobs.lifecycle, log: app.log },
    metrics,
    config.heartbeatSeconds * 1000,
  );

  // An answer given while closing also closes its connection: a keep-alive connection still open
  // once its request is answered would hold the shutdown until the client lets go.
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // Bodies are JSON only: anything else is answered 415 instead of reaching a handler as text.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error, request, reply) => {
    const agentlogError = asAgentlogError(error, config);
    if (agentlogError.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    return sendError(reply, request, agentlogError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      request,
      new AgentlogError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`, {
        hint: 'See /openapi.json for the routes.',
      }),
    ),
  );

  await app.register(fastifyWebsocket, {
    options: { maxPayload: config.maxBodyBytes },
    // ws closes the connection itself, with the right code (1009 for a frame too large); the
    // plugin's default would cut it without a close frame.
    errorHandler: (error, _socket, request) => request.log.warn({ err: error }, 'WebSocket error'),
    // Replaces the plugin's own preClose: answer what is in flight before closing the sockets.
    preClose: async () => {
      closing = true;
      committer.hurry();
      await hub.drain();
      for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
      app.websocketServer.close();
    },
  });
  registerAuth(app, store);
  registerBodyBudget(app, config);
  registerIngestRoutes(app, ingest, config);
  registerSessionRoutes(app, store, deps.jobs.lifecycle);
  registerMemoryRoutes(app, store, committer);
  if (deps.trainingFiles !== undefined) registerTrainingFileRoutes(app, deps.trainingFiles);
  registerSearchRoutes(app, store);
  registerOpsRoutes(app, metrics, buildOpenApi());
  app.get('/v1/ws', { websocket: true, config: { access: 'ingest' } }, (socket, request) => {
    hub.open(socket, principalOf(request));
  });
  app.addHook('onReady', async () => {
    for (const listener of listeners) await listener.start(ingest, app.log);
  });
  app.addHook('onClose', async () => {
    for (const listener of listeners) await listener.stop();
    hub.stop();
    await deps.jobs.close();
    await committer.close();
  });
  return app;
}

function withRedactedUrls(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return false;
  return {
    ...(typeof logger === 'object' ? logger : {}),
    serializers: {
      req: (request: { method: string; url: string; id: string }) => ({
        method: request.method,
        url: redactToken(request.url),
        id: request.id,
      }),
    },
  };
}
