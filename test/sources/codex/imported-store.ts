import { rawLinesKept as rawLinesKeptAs } from '../../support/raw-lines.ts';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createAgentlog, type Agentlog } from '../../../src/agentlog.ts';
import { loadConfig } from '../../../src/config/config.ts';
import type { Message } from '../../../src/domain/message.ts';
import type { Session } from '../../../src/domain/session.ts';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import type { UsageRow } from '../../../src/storage/ports.ts';
import { runCli } from '../../support/run-cli.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';

export const codexFixtures = join(ownFixtures, 'codex');

/** Runs `agentlog import codex <paths> --json` into `dataDir` and returns its summary. */
export async function importCodex(
  dataDir: string,
  paths: string[],
  env: Record<string, string> = {},
): Promise<ImportSummary> {
  const result = await runCli(['--data-dir', dataDir, 'import', 'codex', ...paths, '--json'], env);
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

export async function sessionOf(agentlog: Agentlog, externalId: string): Promise<Session> {
  const found = await agentlog.store.findSessions(agentlog.project.id, externalId);
  const exact = found.filter((s) => s.externalId === externalId);
  expect(exact, `one session with external id ${externalId}`).toHaveLength(1);
  return exact[0]!;
}

export async function messagesOf(agentlog: Agentlog, externalId: string): Promise<Message[]> {
  const session = await sessionOf(agentlog, externalId);
  const out: Message[] = [];
  for await (const m of agentlog.store.messages(session.id)) out.push(m);
  return out;
}

/** Codex usage summed per session id (`ses_…`). */
export async function usageBySession(agentlog: Agentlog): Promise<Map<string, UsageRow>> {
  const rows = await agentlog.store.usage({
    projectId: agentlog.project.id,
    groupBy: 'session',
    source: 'codex',
  });
  return new Map(rows.map((r) => [r.key, r]));
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export async function rawLinesKept(agentlog: Agentlog, path: string): Promise<number> {
  return rawLinesKeptAs(agentlog, path, 'codex');
}
