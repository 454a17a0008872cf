import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Agentlog } from '../agentlog.ts';
import type { Periodic } from '../analytics/periodic.ts';
import { startReportSchedule } from '../analytics/report/report-schedule.ts';
import { startCheckpointSchedule } from '../archive/checkpoint-schedule.ts';
import { AgentlogError } from '../domain/errors.ts';
import type { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import { GroupCommitter, type CommitTarget } from '../ingest/group-commit.ts';
import { PreparePool } from '../ingest/prepare-pool.ts';
import { createJobRuntime, type JobRuntime } from '../jobs/job-runtime.ts';
import { createApp, type SideListener } from './app.ts';
import type { GaugeSource } from './server-metrics.ts';
import { ZeromqListener } from './zeromq/zmq-listener.ts';

export type RunningServer = {
  app: FastifyInstance;
  /** `http://host:port` as bound (the real port when the configured one was 0). */
  url: string;
  /** The session lifecycle and the job worker (started unless `jobs.workInServer` is off). */
  jobs: JobRuntime;
  /** The ZeroMQ listener, when configured. */
  zeromq: ZeromqListener | null;
  /** Stops taking work, finishes what is in flight, commits the queue; the store stays open. */
  close(): Promise<void>;
};

export function createCommitter(agentlog: Agentlog): GroupCommitter {
  const limits = agentlog.config.server;
  // One pipeline per project, kept: building one compiles the rules.
  const pipelines = new Map<string, IngestPipeline>();
  const pipelineFor = ({ projectName = agentlog.config.project }: CommitTarget) => {
    let pipeline = pipelines.get(projectName);
    if (pipeline === undefined) pipelines.set(projectName, (pipeline = agentlog.ingestPipeline(projectName)));
    return pipeline;
  };
  return new GroupCommitter(
    agentlog.store,
    {
      maxQueuedItems: limits.queueMaxRecords,
      maxQueuedBytes: limits.queueMaxBytes,
      maxItemsPerCommit: limits.commitMaxRecords,
      commitDelayMs: limits.commitDelayMs,
    },
    pipelineFor,
    limits.prepareWorkers > 0 ? new PreparePool(limits.prepareWorkers) : undefined,
  );
}

/** Builds the app over an opened agentlog and listens where the configuration says. */
export async function startServer(
  agentlog: Agentlog,
  options: { logger?: FastifyServerOptions['logger']; gauges?: readonly GaugeSource[] } = {},
): Promise<RunningServer> {
  const config = agentlog.config.server;
  const zeromq = await createZeromqListener(agentlog);
  const listeners: SideListener[] = zeromq === null ? [] : [zeromq];
  const jobs = createJobRuntime(agentlog);
  const app = await createApp({
    store: agentlog.store,
    committer: createCommitter(agentlog),
    config,
    jobs,
    listeners,
    trainingFiles: {
      store: agentlog.store,
      blobs: agentlog.blobs,
      config: agentlog.config.datasets,
      dataDir: agentlog.config.dataDir,
      maxValidateBytes: config.maxBodyBytes,
    },
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
  const schedules = startSchedules(agentlog, app.log);
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const close = async () => {
    await Promise.all(schedules.map((s) => s.stop()));
    await app.close();
  };
  return { app, url: `http://${host}:${port}`, jobs, zeromq, close };
}

/** ZeroMQ capture, when an endpoint is configured; its traffic belongs to the configured project. */
async function createZeromqListener(agentlog: Agentlog): Promise<ZeromqListener | null> {
  const zmq = agentlog.config.server.zeromq;
  if (zmq.pull === null && zmq.sub.length === 0) return null;
  const project = await agentlog.store.ensureProject(zmq.project ?? agentlog.config.project);
  return new ZeromqListener({
    pull: zmq.pull,
    sub: zmq.sub,
    topics: zmq.topics,
    principal: { keyId: 'zeromq', projectId: project.id, projectName: project.name, scopes: ['ingest'] },
  });
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

/** Checkpoints (archive.checkpointEveryMinutes) and reports (reports.every) of the configured project. */
function startSchedules(agentlog: Agentlog, log: FastifyBaseLogger): Periodic[] {
  const { store, blobs, project, config } = agentlog;
  const checkpoints = startCheckpointSchedule({ store, blobs, project }, config.archive, log);
  const reports = startReportSchedule(
    { store, project, dataDir: config.dataDir, reports: config.reports, notify: config.notify },
    log,
  );
  return [checkpoints, reports].filter((s): s is Periodic => s !== null);
}
