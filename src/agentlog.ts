import { join } from 'node:path';
import type { Config } from './config/config.ts';
import { storePath } from './config/config.ts';
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
  /** Large objects: captured conversations and logs of runs (`<data dir>/blobs`). */
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

export function createStore(config: Config): Store {
  return new SqliteStore(storePath(config));
}

/** Local files under `<data dir>/blobs` (S3 in distributed mode, later). */
export function createBlobStore(config: Config): BlobStore {
  return new FsBlobStore(join(config.dataDir, 'blobs'));
}

export async function createAgentlog(config: Config): Promise<Agentlog> {
  const store = new SqliteStore(storePath(config));
  const project = await store.ensureProject(config.project);
  return {
    config,
    store,
    blobs: createBlobStore(config),
    jobs: store.jobQueue,
    project,
    ingestPipeline: (name = config.project) => new IngestPipeline(pipelineSettingsFor(config, name)),
    close: () => store.close(),
  };
}
