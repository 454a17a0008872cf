import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { createAgentlog, type Agentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Session } from '../../src/domain/session.ts';
import type { ImportSummary } from '../../src/ingest/import-run.ts';
import { runCli } from '../support/run-cli.ts';

/** Runs `agentlog import <source> <paths> --json` into `dataDir` and returns its summary. */
export async function importWith(
  dataDir: string,
  source: string,
  paths: string[],
): Promise<ImportSummary & { detected?: Record<string, number> }> {
  const result = await runCli(['--data-dir', dataDir, 'import', source, ...paths, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ImportSummary;
}

export async function withStore<T>(dataDir: string, use: (agentlog: Agentlog) => Promise<T>): Promise<T> {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir }, env: {}, home: dataDir }));
  try {
    return await use(agentlog);
  } finally {
    await agentlog.close();
  }
}

/** The sessions of one source, oldest first (then by external id, for sources without times). */
export async function sessionsOf(agentlog: Agentlog, source: string): Promise<Session[]> {
  const list = await agentlog.store.listSessions({ projectId: agentlog.project.id, source, limit: 1000 });
  return list.sort(
    (a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0) || a.externalId.localeCompare(b.externalId),
  );
}

export async function sessionByExternalId(agentlog: Agentlog, externalId: string): Promise<Session> {
  const found = await agentlog.store.findSessions(agentlog.project.id, externalId);
  const exact = found.filter((s) => s.externalId === externalId);
  expect(exact, `one session with external id ${externalId}`).toHaveLength(1);
  return exact[0]!;
}

export async function messagesOf(agentlog: Agentlog, session: Session): Promise<Message[]> {
  const out: Message[] = [];
  for await (const m of agentlog.store.messages(session.id)) out.push(m);
  return out;
}

/** Whether the store kept this value, serialised, as a raw record of `source`. */
export async function hasRaw(agentlog: Agentlog, source: string, bytes: string): Promise<boolean> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  return (await agentlog.store.rawRecord(agentlog.project.id, source, hash)) !== null;
}
