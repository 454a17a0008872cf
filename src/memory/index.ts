import { createAgentlog, type Agentlog } from '../agentlog.ts';
import { loadConfig } from '../config/config.ts';
import { GroupCommitter } from '../ingest/group-commit.ts';
import { SessionMemory } from './session-memory.ts';

/**
 * `agentlog/memory`: session memory as a library, on the local store. The HTTP routes under
 * /v1/memory (server/routes/memory.ts) and `agentlog memory` offer the same operations.
 *
 *   const memory = await openMemory({ dataDir: '/var/lib/my-agent' });
 *   await memory.addMessage('chat-42', { role: 'user', content: 'Hello', agent: 'web' });
 *   const { text } = await memory.context('chat-42', { maxTokens: 2000 });
 *   await memory.close();
 */

export { SessionMemory, type SearchScope, type SessionMemoryDeps } from './session-memory.ts';
export type * from './memory-contract.ts';

export type OpenMemoryOptions = {
  /** The store's directory (default: $AGENTLOG_HOME from `env`, else ~/.agentlog). */
  dataDir?: string;
  /** The project owning the sessions (default: `default`). */
  project?: string;
  /** Environment variables to read AGENTLOG_* settings from (pass process.env to honour them). */
  env?: Readonly<Record<string, string | undefined>>;
};

function committerFor(agentlog: Agentlog): GroupCommitter {
  const limits = agentlog.config.server;
  return new GroupCommitter(agentlog.store, {
    maxQueuedItems: limits.queueMaxRecords,
    maxQueuedBytes: limits.queueMaxBytes,
    maxItemsPerCommit: limits.commitMaxRecords,
  });
}

/** Memory over an opened agentlog, with a group committer of its own (`close()` drains it). */
export function memoryOver(agentlog: Agentlog, release?: () => Promise<void>): SessionMemory {
  const committer = committerFor(agentlog);
  return new SessionMemory({
    store: agentlog.store,
    committer,
    projectId: agentlog.project.id,
    close: async () => {
      await committer.close();
      await release?.();
    },
  });
}

/** Opens the local store and returns its session memory; `close()` it when done. */
export async function openMemory(options: OpenMemoryOptions = {}): Promise<SessionMemory> {
  const config = loadConfig({
    flags: { dataDir: options.dataDir, project: options.project },
    env: options.env ?? {},
  });
  const agentlog = await createAgentlog(config);
  return memoryOver(agentlog, () => agentlog.close());
}
