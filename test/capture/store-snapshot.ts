import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';

/**
 * Everything stored for the default project, in a form two stores can be compared by: sessions
 * by external id with their messages (without row ids), and the counts.
 */
export async function storeSnapshot(dataDir: string) {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir }, env: {}, home: dataDir }));
  try {
    const { store, project } = agentlog;
    const sessions = await store.listSessions({ projectId: project.id, limit: 10_000 });
    const bySession: Record<string, unknown[]> = {};
    for (const session of sessions.sort((a, b) => a.externalId.localeCompare(b.externalId))) {
      const messages = [];
      for await (const { id: _id, ...message } of store.messages(session.id)) messages.push(message);
      bySession[session.externalId] = messages;
    }
    return { counts: await store.counts(project.id), sessions: bySession };
  } finally {
    await agentlog.close();
  }
}
