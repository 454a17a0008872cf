import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { generateClaudeCorpus } from '../../bench/generate-claude-corpus.ts';
import type { ImportSummary } from '../../src/ingest/import-run.ts';
import { spawnCli } from '../support/run-cli.ts';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { turnLines, writeLines } from './claude-lines.ts';

const tempDir = useTempDirs();

/** What a store holds, summed up so that two stores can be compared. */
type StoreState = {
  sessions: number;
  messages: number;
  rawRecords: number;
  usageRows: number;
  usageTokens: number;
  /** Digests of every message, session and usage row: equal digests, equal contents. */
  messagesDigest: string;
  sessionsDigest: string;
  usageDigest: string;
  duplicateExternalIds: number;
  filesFullyRead: number;
};

function digest(db: DatabaseSync, sql: string): string {
  const hash = createHash('sha256');
  for (const row of db.prepare(sql).iterate()) hash.update(JSON.stringify(row));
  return hash.digest('hex');
}

function one(db: DatabaseSync, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

function readState(dataDir: string): StoreState {
  const db = new DatabaseSync(join(dataDir, 'agentlog.db'), { readOnly: true });
  try {
    return {
      sessions: one(db, 'SELECT COUNT(*) AS n FROM sessions'),
      messages: one(db, 'SELECT COUNT(*) AS n FROM messages'),
      rawRecords: one(db, 'SELECT COUNT(*) AS n FROM raw_records'),
      usageRows: one(db, 'SELECT COUNT(*) AS n FROM usage'),
      usageTokens: one(db, 'SELECT COALESCE(SUM(total_tokens), 0) AS n FROM usage'),
      messagesDigest: digest(
        db,
        `SELECT s.external_id AS session, m.external_id, m.role, m.kind, m.content_hash, m.timestamp, m.seq
         FROM messages m JOIN sessions s ON s.id = m.session_id ORDER BY m.external_id`,
      ),
      sessionsDigest: digest(
        db,
        `SELECT external_id, parent_session_id, title, started_at, ended_at, message_count FROM sessions ORDER BY id`,
      ),
      usageDigest: digest(
        db,
        'SELECT dedup_key, session_id, model, timestamp, total_tokens FROM usage ORDER BY dedup_key',
      ),
      duplicateExternalIds: one(
        db,
        `SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages GROUP BY project_id, source, external_id HAVING COUNT(*) > 1)`,
      ),
      filesFullyRead: one(db, 'SELECT COUNT(*) AS n FROM source_files WHERE byte_offset = size'),
    };
  } finally {
    db.close();
  }
}

/** Messages committed so far; none when the killed import had not yet created the schema. */
function messagesIn(dataDir: string): number {
  const path = join(dataDir, 'agentlog.db');
  if (!existsSync(path)) return 0;
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages'").get();
    return table === undefined ? 0 : one(db, 'SELECT COUNT(*) AS n FROM messages');
  } finally {
    db.close();
  }
}

/** SQLite's own checks, the full-text index's included (that one is a write, so not read-only). */
function expectIntact(dataDir: string): void {
  const db = new DatabaseSync(join(dataDir, 'agentlog.db'));
  try {
    expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    expect(() => db.exec("INSERT INTO messages_fts(messages_fts) VALUES('integrity-check')")).not.toThrow();
  } finally {
    db.close();
  }
}

function importArgs(dataDir: string, projects: string): string[] {
  return ['--data-dir', dataDir, 'import', 'claude', projects, '--json'];
}

/** What can be seen of an import under way: time since its start, its write-ahead log, and files committed. */
type Probe = { ms: number; walBytes: number; filesCommitted: number; messages: number };

/** Files (wholly or partly) and messages an import has committed, read from another connection. */
function committed(
  dataDir: string,
  reader: { db: DatabaseSync | null },
): { files: number; messages: number } {
  try {
    reader.db ??= new DatabaseSync(join(dataDir, 'agentlog.db'), { readOnly: true });
    return {
      files: one(reader.db, 'SELECT COUNT(*) AS n FROM source_files'),
      messages: one(reader.db, 'SELECT COUNT(*) AS n FROM messages'),
    };
  } catch {
    return { files: 0, messages: 0 }; // not created yet, or its schema is being written
  }
}

/**
 * Starts an import and kills it with SIGKILL at the first probe `moment` accepts (probed every
 * few milliseconds), or lets it finish if it ends first. Returns whether it was killed.
 */
async function importKilledAt(
  dataDir: string,
  projects: string,
  moment: (probe: Probe) => boolean,
): Promise<boolean> {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'bin', 'agentlog.js'), ...importArgs(dataDir, projects)],
    {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, HOME: dataDir, TZ: 'UTC' },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  const wal = join(dataDir, 'agentlog.db-wal');
  const reader: { db: DatabaseSync | null } = { db: null };
  const started = Date.now();
  try {
    while (!done) {
      const seen = existsSync(join(dataDir, 'agentlog.db'))
        ? committed(dataDir, reader)
        : { files: 0, messages: 0 };
      const probe = {
        ms: Date.now() - started,
        walBytes: statSync(wal, { throwIfNoEntry: false })?.size ?? 0,
        filesCommitted: seen.files,
        messages: seen.messages,
      };
      if (moment(probe)) {
        child.kill('SIGKILL');
        await exited;
        return true;
      }
      await sleep(5);
    }
    return false;
  } finally {
    reader.db?.close();
  }
}

describe('an import killed with SIGKILL', { timeout: 600_000 }, () => {
  const corpus = generateClaudeCorpus(tempDir(), 2_500_000, 7);
  // One long session too, read in several transactions, so that a kill can fall inside a file.
  const turns = Array.from({ length: 2500 }, (_, i) =>
    turnLines('0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', {
      prompt: `Step ${i}: rename the next handler.`,
      answer: `Renamed handler ${i}.`,
      at: new Date(Date.UTC(2026, 0, 5) + i * 60_000).toISOString(),
      outputTokens: 10 + (i % 50),
    }),
  );
  writeLines(
    join(corpus.projects, '-home-dev-bulk', '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6.jsonl'),
    turns.flat(),
  );
  const files = corpus.files + 1;

  it('is completed by the next import into exactly what one clean import stores', async () => {
    const reference = tempDir();
    const clean = await spawnCli(importArgs(reference, corpus.projects), { HOME: reference });
    expect(clean.code).toBe(0);
    const cleanSummary = JSON.parse(clean.stdout) as ImportSummary;
    expect(cleanSummary.skippedLines).toEqual([]);
    const expected = readState(reference);
    expect(expected.messages).toBe(cleanSummary.newMessages);
    expect(expected.usageRows).toBeGreaterThan(0);
    expect(expected.filesFullyRead).toBe(files);

    // Kill moments: by time since start (start-up, creating the schema), while the first
    // transaction is written, inside a file read in several transactions, and between files.
    const share = (part: number) => Math.max(1, Math.floor(files * part));
    const moments: [string, (probe: Probe) => boolean][] = [
      ['50 ms after start', (p) => p.ms >= 50],
      ['150 ms after start', (p) => p.ms >= 150],
      ['400 ms after start', (p) => p.ms >= 400],
      ['as the first transaction is written', (p) => p.walBytes > 0],
      // The long session's directory sorts first: it is read first, in several transactions.
      ['after the first transaction of the long file', (p) => p.messages >= 1],
      ['in the middle of the long file', (p) => p.messages >= 3000],
      ['after a quarter of the files', (p) => p.filesCommitted >= share(0.25)],
      ['after half of the files', (p) => p.filesCommitted >= share(0.5)],
      ['after three quarters of the files', (p) => p.filesCommitted >= share(0.75)],
    ];
    let killedMidway = 0;
    for (const [name, moment] of moments) {
      const dataDir = tempDir();
      const killed = await importKilledAt(dataDir, corpus.projects, moment);
      if (killed) killedMidway++;
      const before = messagesIn(dataDir);
      const resumed = await spawnCli(importArgs(dataDir, corpus.projects), { HOME: dataDir });
      expect(resumed.code, name).toBe(0);
      const summary = JSON.parse(resumed.stdout) as ImportSummary;
      expect(summary.skippedLines, name).toEqual([]);
      // Whatever the killed import had committed stays, and is not added again.
      expect(summary.newMessages, name).toBe(expected.messages - before);
      expect(readState(dataDir), name).toEqual(expected);
      expectIntact(dataDir);
    }
    // Most moments fall inside the import; a fast machine may finish before the last ones.
    expect(killedMidway).toBeGreaterThanOrEqual(6);
  });
});
