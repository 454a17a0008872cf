import type { Config } from './config/config.ts';
import { storePath } from './config/config.ts';
import type { Project } from './domain/project.ts';
import type { Store } from './storage/ports.ts';
import { SqliteStore } from './storage/sqlite/sqlite-store.ts';

/** Everything a command or the server needs, built once from the configuration (the composition root). */
export type Agentlog = {
  config: Config;
  store: Store;
  project: Project;
  close(): Promise<void>;
};

export function createStore(config: Config): Store {
  return new SqliteStore(storePath(config));
}

export async function createAgentlog(config: Config): Promise<Agentlog> {
  const store = createStore(config);
  const project = await store.ensureProject(config.project);
  return { config, store, project, close: () => store.close() };
}
