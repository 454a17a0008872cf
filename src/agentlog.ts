import { join } from 'node:path';
import type { Config } from './config/config.ts';
import { storePath } from './config/config.ts';
import { parseBlobUrl } from './config/storage-config.ts';
import type { Project } from './domain/project.ts';
import { IngestPipeline } from './enrich/ingest-pipeline.ts';
import { pipelineSettingsFor } from './enrich/pipeline-settings.ts';
import type { BlobStore, JobQueue, Store } from './storage/ports.ts';
import { FsBlobStore } from './storage/fs/fs-blob-store.ts';
import { SqliteStore } from './storage/sqlite/sqlite-store.ts';

/** Everything a command or the server needs, built once from the configuration (the composition root). */
export type Agentlog = {
  config: Config;
  store: Store;
  /** Large objects: captured conversations, logs of runs, archives, training files. */
  blobs: BlobStore;
  /** The persistent job queue (session completion and later background work). */
  jobs: JobQueue;
  project: Project;
  /**
   * The redaction and enrichment stage for ingests into a project (by name; default this
   * agentlog's project), built from its settings in config. Hand it to every Ingestor.
   */
  ingestPipeline(project?: string): IngestPipeline;
  close(): Promise<void>;
};

/** A store with its job queue, which lives in the same database. */
export type StoreWithJobs = Store & { readonly jobQueue: JobQueue };

/**
 * SQLite at `<data dir>/agentlog.db`, or PostgreSQL when `storage.databaseUrl` is set. The pg
 * client is loaded only then, so embedded commands do not pay for it at start.
 */
export async function openStore(config: Config): Promise<StoreWithJobs> {
  const { databaseUrl, databaseSchema, databasePoolSize } = config.storage;
  if (databaseUrl === undefined) return new SqliteStore(storePath(config));
  const { PgStore } = await import('./storage/postgres/pg-store.ts');
  return PgStore.open({ url: databaseUrl, schema: databaseSchema, max: databasePoolSize });
}

/** Local files under `<data dir>/blobs`, or S3 when `storage.blobs.url` is set. */
export async function openBlobStore(config: Config): Promise<BlobStore> {
  const blobs = config.storage.blobs;
  if (blobs.url === undefined) return new FsBlobStore(join(config.dataDir, 'blobs'));
  const { S3BlobStore } = await import('./storage/s3/s3-blob-store.ts');
  return new S3BlobStore({
    ...parseBlobUrl(blobs.url),
    region: blobs.region,
    endpoint: blobs.endpoint,
    forcePathStyle: blobs.forcePathStyle,
    credentials:
      blobs.accessKeyId === undefined || blobs.secretAccessKey === undefined
        ? undefined
        : { accessKeyId: blobs.accessKeyId, secretAccessKey: blobs.secretAccessKey },
  });
}

export async function createAgentlog(config: Config): Promise<Agentlog> {
  const store = await openStore(config);
  try {
    const project = await store.ensureProject(config.project);
    const blobs = await openBlobStore(config);
    return {
      config,
      store,
      blobs,
      jobs: store.jobQueue,
      project,
      ingestPipeline: (name = config.project) => new IngestPipeline(pipelineSettingsFor(config, name)),
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
