import { createHash } from 'node:crypto';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createAgentlog, type Agentlog } from '../../../src/agentlog.ts';
import { loadConfig } from '../../../src/config/config.ts';
import type { Message } from '../../../src/domain/message.ts';
import type { Session } from '../../../src/domain/session.ts';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import { runCli } from '../../support/run-cli.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';

export const geminiFixtures = join(ownFixtures, 'gemini');

/** Runs `agentlog import gemini <paths> --json` into `dataDir` and returns its summary. */
export async function importGemini(dataDir: string, paths: string[]): Promise<ImportSummary> {
  const result = await runCli(['--data-dir', dataDir, 'import', 'gemini', ...paths, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ImportSummary;
}

/** A writable copy of one of our fixture folders, so a test can grow or rewrite its files. */
export function copyFixture(name: string, to: string): string {
  cpSync(join(geminiFixtures, name), to, { recursive: true });
  return to;
}

export function openAgentlog(dataDir: string): Promise<Agentlog> {
  return createAgentlog(loadConfig({ flags: { dataDir }, env: {}, home: dataDir }));
}

export async function withStore<T>(dataDir: string, use: (agentlog: Agentlog) => Promise<T>): Promise<T> {
  const agentlog = await openAgentlog(dataDir);
  try {
    return await use(agentlog);
  } finally {
    await agentlog.close();
  }
}

export async function sessionByExternalId(agentlog: Agentlog, externalId: string): Promise<Session> {
  const found = await agentlog.store.findSessions(agentlog.project.id, externalId);
  const exact = found.filter((s) => s.externalId === externalId);
  expect(exact, `one session with external id ${externalId}`).toHaveLength(1);
  return exact[0]!;
}

export async function messagesOf(agentlog: Agentlog, externalId: string): Promise<Message[]> {
  const session = await sessionByExternalId(agentlog, externalId);
  const out: Message[] = [];
  for await (const m of agentlog.store.messages(session.id)) out.push(m);
  return out;
}

/** Whether the store kept these bytes as a raw gemini record. */
export async function hasRaw(agentlog: Agentlog, bytes: string | Buffer): Promise<boolean> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  return (await agentlog.store.rawRecord(agentlog.project.id, 'gemini', hash)) !== null;
}
