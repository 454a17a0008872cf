import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import { AgentlogError } from '../../src/domain/errors.ts';
import { decompressRaw, rawHash } from '../../src/ingest/raw-codec.ts';
import { migrations } from '../../src/storage/sqlite/migrations/index.ts';
import { runCli } from '../support/run-cli.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const latest = migrations.at(-1)!.version;
const mainSession = '3f1c2a4e-0b6d-4e8f-9a1b-2c3d4e5f6a7b';

/** A data directory holding a copy of a committed store. */
function storeCopy(name: string): string {
  const dataDir = tempDir();
  copyFileSync(join(ownFixtures, 'stores', name), join(dataDir, 'agentlog.db'));
  return dataDir;
}

const openConfig = (dataDir: string) => loadConfig({ flags: { dataDir }, env: {} });

function schemaVersion(dataDir: string): number {
  const db = new DatabaseSync(join(dataDir, 'agentlog.db'), { readOnly: true });
  try {
    return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
  } finally {
    db.close();
  }
}

describe('a store written by schema version 1', () => {
  it('opens with the latest code, migrated, its data intact and queryable', async () => {
    const dataDir = storeCopy('schema-v1.db');
    expect(schemaVersion(dataDir)).toBe(1);
    const agentlog = await createAgentlog(openConfig(dataDir));
    try {
      expect(await agentlog.store.counts(agentlog.project.id)).toEqual({
        sessions: 4,
        messages: 27,
        rawRecords: 27,
      });
      const [session] = await agentlog.store.findSessions(agentlog.project.id, mainSession);
      expect(session).toMatchObject({
        externalId: mainSession,
        title: 'Add a health check endpoint.',
        messageCount: 11,
        models: ['claude-sonnet-4-5-20250929'],
      });
      const texts: string[] = [];
      for await (const m of agentlog.store.messages(session!.id)) texts.push(m.text);
      expect(texts[0]).toBe('Add a health check endpoint.');
      // The raw line is still there, byte for byte.
      const firstLine = readFileSync(
        join(ownFixtures, 'usage', 'streaming', 'projects', '-home-dev-app', `${mainSession}.jsonl`),
        'utf8',
      ).split('\n')[0]!;
      const raw = await agentlog.store.rawRecord(
        agentlog.project.id,
        'claude-code',
        rawHash(Buffer.from(firstLine)),
      );
      expect(decompressRaw(raw!).toString('utf8')).toBe(firstLine);
    } finally {
      await agentlog.close();
    }
    expect(schemaVersion(dataDir)).toBe(latest);

    const list = await runCli(['--data-dir', dataDir, 'sessions', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).sessions).toHaveLength(4);
    const show = await runCli([
      '--data-dir',
      dataDir,
      'sessions',
      'show',
      mainSession,
      '--format',
      'markdown',
    ]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Add a health check endpoint.');
    const usage = await runCli(['--data-dir', dataDir, 'stats', 'usage', '--timezone', 'UTC', '--json']);
    expect(usage.code).toBe(0);
    const report = JSON.parse(usage.stdout);
    expect(report.totals).toEqual({
      inputTokens: 45,
      outputTokens: 4100,
      cacheCreationTokens: 1800,
      cacheReadTokens: 139500,
      totalTokens: 145445,
    });
    expect(report.rows.map((r: { key: string }) => r.key)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-06',
    ]);
  });

  it('takes new imports after the upgrade, and the store stays consistent', async () => {
    const dataDir = storeCopy('schema-v1.db');
    const imported = await runCli([
      '--data-dir',
      dataDir,
      'import',
      'claude',
      join(ownFixtures, 'usage', 'progress', 'projects'),
      '--json',
    ]);
    expect(imported.code).toBe(0);
    const summary = JSON.parse(imported.stdout);
    expect(summary.newMessages).toBeGreaterThan(0);
    expect(summary.newMessages).toBe(summary.messages);
    const db = new DatabaseSync(join(dataDir, 'agentlog.db'));
    try {
      expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      db.exec("INSERT INTO messages_fts(messages_fts) VALUES('integrity-check')");
      expect(db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 27 + summary.newMessages });
    } finally {
      db.close();
    }
  });
});

describe('a store written by a newer agentlog', () => {
  async function newerStore(): Promise<string> {
    const dataDir = tempDir();
    await (await createAgentlog(openConfig(dataDir))).close();
    const db = new DatabaseSync(join(dataDir, 'agentlog.db'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      latest + 1,
      'from-the-future',
      Date.now(),
    );
    db.close();
    return dataDir;
  }

  it('is refused with STORE_TOO_NEW, and left as it was', async () => {
    const dataDir = await newerStore();
    const refused = await createAgentlog(openConfig(dataDir)).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AgentlogError);
    expect(refused).toMatchObject({ code: 'STORE_TOO_NEW' });
    expect((refused as AgentlogError).message).toContain(`schema ${latest + 1}`);
    expect(schemaVersion(dataDir)).toBe(latest + 1);
  });

  it('makes the CLI say to upgrade, with the store exit code', async () => {
    const dataDir = await newerStore();
    const run = await runCli(['--data-dir', dataDir, 'sessions', 'list', '--json']);
    expect(run.code).toBe(6);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('newer agentlog');
    expect(run.stderr).toContain('Upgrade agentlog');
  });
});
