import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { spawnCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/** A current store with the default project, closed again. */
async function currentStore(): Promise<{ dataDir: string; path: string }> {
  const dataDir = tempDir();
  const path = join(dataDir, 'agentlog.db');
  const store = new SqliteStore(path);
  await store.ensureProject('default');
  await store.close();
  return { dataDir, path };
}

/** Holds the store's write lock, as an import or the server does during each commit. */
function holdWriteLock(path: string): { release(): void } {
  const writer = new DatabaseSync(path);
  writer.exec('BEGIN IMMEDIATE');
  writer.exec("UPDATE projects SET created_at = created_at WHERE name = 'default'");
  return {
    release: () => {
      writer.exec('ROLLBACK');
      writer.close();
    },
  };
}

describe('opening a SQLite store that is current', { timeout: 60_000 }, () => {
  it('opens and answers read-only commands while another process holds the write lock', async () => {
    const { dataDir, path } = await currentStore();
    const lock = holdWriteLock(path);
    try {
      // Before, opening inserted the project (doing nothing) and so queued behind the writer.
      const stats = await spawnCli(['--data-dir', dataDir, 'stats', 'usage', '--json'], { HOME: dataDir });
      expect(stats.stderr).toBe('');
      expect(JSON.parse(stats.stdout)).toMatchObject({ by: 'day', rows: [] });
      const sessions = await spawnCli(['--data-dir', dataDir, 'sessions', 'list', '--json'], {
        HOME: dataDir,
      });
      expect(JSON.parse(sessions.stdout)).toEqual({ sessions: [] });
    } finally {
      lock.release();
    }
  });

  it('still creates a project named for the first time', async () => {
    const { path } = await currentStore();
    const store = new SqliteStore(path);
    try {
      const first = await store.ensureProject('web');
      expect(first.name).toBe('web');
      expect(await store.ensureProject('web')).toEqual(first);
      expect((await store.ensureProject('default')).id).not.toBe(first.id);
    } finally {
      await store.close();
    }
  });
});
