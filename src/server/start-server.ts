import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Agentlog } from '../agentlog.ts';
import { AgentlogError } from '../domain/errors.ts';
import { GroupCommitter } from '../ingest/group-commit.ts';
import { createJobRuntime, type JobRuntime } from '../jobs/job-runtime.ts';
import { createApp } from './app.ts';
import type { GaugeSource } from './server-metrics.ts';

export type RunningServer = {
  app: FastifyInstance;
  /** `http://host:port` as bound (the real port when the configured one was 0). */
  url: string;
  /** The session lifecycle and the job worker (started unless `jobs.workInServer` is off). */
  jobs: JobRuntime;
  /** Stops taking work, finishes what is in flight, commits the queue; the store stays open. */
  close(): Promise<void>;
};

export function createCommitter(agentlog: Agentlog): GroupCommitter {
  const limits = agentlog.config.server;
  return new GroupCommitter(agentlog.store, {
    maxQueuedItems: limits.queueMaxRecords,
    maxQueuedBytes: limits.queueMaxBytes,
    maxItemsPerCommit: limits.commitMaxRecords,
    commitDelayMs: limits.commitDelayMs,
  });
}

/** Builds the app over an opened agentlog and listens where the configuration says. */
export async function startServer(
  agentlog: Agentlog,
  options: { logger?: FastifyServerOptions['logger']; gauges?: readonly GaugeSource[] } = {},
): Promise<RunningServer> {
  const config = agentlog.config.server;
  const jobs = createJobRuntime(agentlog);
  const app = await createApp({
    store: agentlog.store,
    committer: createCommitter(agentlog),
    config,
    jobs,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.gauges === undefined ? {} : { gauges: options.gauges }),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw listenFailure(error, `${config.host}:${config.port}`);
  }
  // After listening: a second server on the same port fails before it touches the queue.
  await jobs.start(app.log);
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { app, url: `http://${host}:${port}`, jobs, close: () => app.close() };
}

function listenFailure(error: unknown, where: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new AgentlogError('CONFLICT', `${where} is already in use.`, {
      hint: 'Stop the other server, or choose another port with --port.',
      cause: error,
    });
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
    return new AgentlogError('INVALID_ARGUMENT', `Cannot listen on ${where} (${code}).`, {
      hint: 'Choose another --host or --port.',
      cause: error,
    });
  return error;
}
