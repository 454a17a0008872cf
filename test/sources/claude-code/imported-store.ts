import { rawLinesKept as rawLinesKeptAs } from '../../support/raw-lines.ts';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { createAgentlog, type Agentlog } from '../../../src/agentlog.ts';
import { loadConfig } from '../../../src/config/config.ts';
import type { Message } from '../../../src/domain/message.ts';
import type { Session } from '../../../src/domain/session.ts';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import { runCli } from '../../support/run-cli.ts';

/** Runs `agentlog import claude <paths> --json` into `dataDir` and returns its summary. */
export async function importClaude(dataDir: string, paths: string[]): Promise<ImportSummary> {
  const result = await runCli(['--data-dir', dataDir, 'import', 'claude', ...paths, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ImportSummary;
}

/** The store an import wrote, opened the way the CLI opens it. */
export function openAgentlog(dataDir: string): Promise<Agentlog> {
  return createAgentlog(loadConfig({ flags: { dataDir }, env: {}, home: dataDir }));
}

export async function sessionByExternalId(agentlog: Agentlog, externalId: string): Promise<Session> {
  const found = await agentlog.store.findSessions(agentlog.project.id, externalId);
  const exact = found.filter((s) => s.externalId === externalId);
  expect(exact, `one session with external id ${externalId}`).toHaveLength(1);
  return exact[0]!;
}

export async function messagesOf(agentlog: Agentlog, sessionId: string): Promise<Message[]> {
  const out: Message[] = [];
  for await (const m of agentlog.store.messages(sessionId)) out.push(m);
  return out;
}

/** The non-empty lines of a JSON Lines file, as bytes (what the store hashes). */
export function fileLines(path: string): Buffer[] {
  const bytes = readFileSync(path);
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 10) continue;
    if (i > start) lines.push(bytes.subarray(start, i));
    start = i + 1;
  }
  return lines;
}

export async function rawLinesKept(agentlog: Agentlog, path: string): Promise<number> {
  return rawLinesKeptAs(agentlog, path, 'claude-code');
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
