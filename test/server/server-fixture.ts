import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { createAgentlog, type Agentlog } from '../../src/agentlog.ts';
import { issueApiKey } from '../../src/auth/api-keys.ts';
import { loadConfig, type ServerConfig } from '../../src/config/config.ts';
import type { JobsConfig } from '../../src/config/jobs-config.ts';
import type { ApiKeyScope } from '../../src/domain/api-key.ts';
import type { GroupCommitter } from '../../src/ingest/group-commit.ts';
import { createJobRuntime, type JobRuntime } from '../../src/jobs/job-runtime.ts';
import { createApp } from '../../src/server/app.ts';
import type {
  batchResponseSchema,
  errorResponseSchema,
  sessionListResponseSchema,
} from '../../src/server/http-contract.ts';
import { createCommitter, startServer, type RunningServer } from '../../src/server/start-server.ts';

export type ServerFixture = {
  agentlog: Agentlog;
  /** A key of the `default` project with ingest and read scopes. */
  key: string;
  newKey(project: string, scopes?: ApiKeyScope[]): Promise<string>;
};

/** The job worker stays off unless a test asks for it, so a stopped session stays stopped. */
async function openAgentlog(
  dir: string,
  server: Partial<ServerConfig>,
  jobs: Partial<JobsConfig>,
): Promise<ServerFixture> {
  const config = loadConfig({ flags: { dataDir: dir }, env: {}, home: dir });
  config.server = { ...config.server, port: 0, ...server };
  config.jobs = { ...config.jobs, workInServer: false, ...jobs };
  const agentlog = await createAgentlog(config);
  const newKey = async (project: string, scopes: ApiKeyScope[] = ['ingest', 'read']) =>
    (await issueApiKey(agentlog.store, { projectName: project, scopes })).key;
  return { agentlog, key: await newKey('default'), newKey };
}

/** The app over a fresh store in `dir`, for `app.inject()`; no port is opened. */
export async function injectable(
  dir: string,
  server: Partial<ServerConfig> = {},
  jobSettings: Partial<JobsConfig> = {},
): Promise<
  ServerFixture & {
    app: FastifyInstance;
    committer: GroupCommitter;
    jobs: JobRuntime;
    close(): Promise<void>;
  }
> {
  const fixture = await openAgentlog(dir, server, jobSettings);
  const committer = createCommitter(fixture.agentlog);
  const jobs = createJobRuntime(fixture.agentlog);
  const app = await createApp({
    store: fixture.agentlog.store,
    committer,
    config: fixture.agentlog.config.server,
    jobs,
  });
  return {
    ...fixture,
    app,
    committer,
    jobs,
    close: async () => {
      await app.close();
      await fixture.agentlog.close();
    },
  };
}

/** The app listening on 127.0.0.1 (a free port), over a fresh store in `dir`. */
export async function listening(
  dir: string,
  server: Partial<ServerConfig> = {},
  jobSettings: Partial<JobsConfig> = {},
): Promise<ServerFixture & { server: RunningServer; close(): Promise<void> }> {
  const fixture = await openAgentlog(dir, server, jobSettings);
  const running = await startServer(fixture.agentlog);
  return {
    ...fixture,
    server: running,
    close: async () => {
      await running.close();
      await fixture.agentlog.close();
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export function message(id: string, session = 's1', extra: Record<string, unknown> = {}) {
  return { id, session, role: 'user', content: `text of ${id}`, ...extra };
}

/** Waits (a bounded number of event-loop turns) until `done` holds. */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error('condition never held');
}

export type BatchBody = z.infer<typeof batchResponseSchema>;
export type ErrorBody = z.infer<typeof errorResponseSchema>;
export type SessionListBody = z.infer<typeof sessionListResponseSchema>;

/** A fetch answer's JSON as the contract type it should be (the test's assertions check it). */
export async function jsonOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
