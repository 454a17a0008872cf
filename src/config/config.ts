import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AgentlogError } from '../domain/errors.ts';
import { defaultProjectName } from '../domain/project.ts';
import { datasetsInputs, datasetsSchema } from './datasets-config.ts';
import { jobsSchema } from './jobs-config.ts';
import { enrichmentSchema, redactionInputs, redactionSchema } from './enrichment-config.ts';
import { llmInputs, llmSchema } from './llm-config.ts';
import { notifyInputs, notifySchema } from './notify-config.ts';
import { archiveSchema, reportsSchema } from './reports-config.ts';
import { storageInputs, storageSchema } from './storage-config.ts';
import { zeromqInputs, zeromqSchema, type ZeromqFlags } from './zeromq-config.ts';

const mib = 1024 * 1024;

/** The ingest server (`agentlog serve`): where it listens and the limits that keep memory bounded. */
const serverSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(7777),
    /** Messages in one `POST /v1/messages:batch`; more is answered 413. */
    maxBatchMessages: z.number().int().min(1).default(1000),
    /** Bytes of one request body or WebSocket frame; more is answered 413 (WebSocket: closed, 1009). */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .default(16 * mib),
    /** Bytes of request bodies being read at once (all clients together); beyond it, 429. */
    maxInflightBodyBytes: z
      .number()
      .int()
      .min(1024)
      .default(128 * mib),
    /** Records waiting for their commit; beyond either limit new work is answered 429. */
    queueMaxRecords: z.number().int().min(1).default(50_000),
    queueMaxBytes: z
      .number()
      .int()
      .min(1024)
      .default(256 * mib),
    /** Records written in one transaction at most. */
    commitMaxRecords: z.number().int().min(1).default(5000),
    /** Wait this long for more work before each commit; 0 commits as soon as the last one is done. */
    commitDelayMs: z.number().int().min(0).max(60_000).default(0),
    /**
     * Worker threads that redact and enrich records beside the writing thread; 0 does it there.
     * Off by default: on 2 cores it cut the writing thread's CPU by ~10 % but added ~20 % in all,
     * and throughput did not move (docs/BENCHMARKS.md). With cores to spare, 1 frees the writer.
     */
    prepareWorkers: z.number().int().min(0).max(16).default(0),
    /** WebSocket ping interval; a client that misses one is disconnected. */
    heartbeatSeconds: z.number().int().min(1).default(30),
    /** ZeroMQ PULL and SUB capture (off by default). */
    zeromq: zeromqSchema,
    /** An active session with no message for this long is stopped (and completed); 0 never stops one. */
    inactivitySeconds: z.number().int().min(0).default(900),
  })
  .prefault({});

export type ServerConfig = z.infer<typeof serverSchema>;

/** The one configuration schema. Precedence: defaults < config file < environment < flags. */
export const configSchema = z.object({
  dataDir: z.string().min(1),
  project: z.string().min(1).default(defaultProjectName),
  /** Worker threads used to parse transcripts on import; 0 means one per core. */
  importWorkers: z.number().int().min(0).max(64).default(0),
  server: serverSchema,
  /** Background jobs: the worker and the session completion pipeline. */
  jobs: jobsSchema,
  /** The model that explains crashes of runs (`agentlog run`, `agentlog crash`). */
  llm: llmSchema,
  /** Where crash reports are e-mailed. */
  notify: notifySchema,
  /** Analytics reports: where they go, the server's schedule, the score alert. */
  reports: reportsSchema,
  /** Checkpoints on the server's schedule, and retention of the hot store. */
  archive: archiveSchema,
  /** Secret and PII redaction before the first write, per project (src/enrich). */
  redaction: redactionSchema,
  /** Enrichment at ingest and the user's domain rules (src/enrich). */
  enrichment: enrichmentSchema,
  /** Training files: build defaults, signed download URLs (src/datasets). */
  datasets: datasetsSchema,
  /** The store and the blobs: embedded (SQLite, local files) unless a Postgres or S3 URL is set. */
  storage: storageSchema,
});

export type Config = z.infer<typeof configSchema>;

const fileSchema = configSchema.partial().strict();

export type ConfigInputs = {
  flags: {
    dataDir?: string | undefined;
    project?: string | undefined;
    host?: string | undefined;
    port?: number | undefined;
  } & ZeromqFlags;
  env: Readonly<Record<string, string | undefined>>;
  home?: string;
};

export function loadConfig(inputs: ConfigInputs): Config {
  const home = inputs.home ?? homedir();
  const dataDir = resolve(inputs.flags.dataDir ?? inputs.env.AGENTLOG_HOME ?? join(home, '.agentlog'));
  const fromFile = readConfigFile(join(dataDir, 'config.json'));
  const merged = {
    ...fromFile,
    dataDir,
    ...(inputs.env.AGENTLOG_PROJECT ? { project: inputs.env.AGENTLOG_PROJECT } : {}),
    ...(inputs.env.AGENTLOG_IMPORT_WORKERS
      ? { importWorkers: Number(inputs.env.AGENTLOG_IMPORT_WORKERS) }
      : {}),
    ...(inputs.flags.project ? { project: inputs.flags.project } : {}),
    server: serverInputs(fromFile.server, inputs),
    llm: llmInputs(fromFile.llm, inputs.env),
    notify: notifyInputs(fromFile.notify, inputs.env),
    redaction: redactionInputs(fromFile.redaction, inputs.env),
    datasets: datasetsInputs(fromFile.datasets, inputs.env),
    storage: storageInputs(fromFile.storage, inputs.env),
  };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `Invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`,
      {
        hint: `Check ${join(dataDir, 'config.json')} and the AGENTLOG_* environment variables.`,
      },
    );
  }
  return parsed.data;
}

function serverInputs(fromFile: Partial<ServerConfig> | undefined, inputs: ConfigInputs) {
  const { env, flags } = inputs;
  return {
    ...fromFile,
    ...(env.AGENTLOG_HOST ? { host: env.AGENTLOG_HOST } : {}),
    ...(env.AGENTLOG_PORT ? { port: Number(env.AGENTLOG_PORT) } : {}),
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    zeromq: zeromqInputs(fromFile?.zeromq, env, flags),
  };
}

function readConfigFile(path: string): Partial<Config> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AgentlogError('INVALID_ARGUMENT', `${path} is not valid JSON.`, { cause });
  }
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

export function storePath(config: Config): string {
  return join(config.dataDir, 'agentlog.db');
}
