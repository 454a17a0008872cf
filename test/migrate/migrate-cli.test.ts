import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../../src/migrate/migration-report.ts';
import { spawnCli, type CliResult } from '../support/run-cli.ts';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { freshPgSchema, testDatabaseUrl } from '../storage/postgres/pg-test-schema.ts';
import { startS3rver } from '../storage/s3/start-s3rver.ts';

const tempDir = useTempDirs();
const fixtures = join(projectRoot, 'test', 'fixtures', 'claude-code', 'projects');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

type Env = Record<string, string>;

function json<T>(run: CliResult): T {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

async function schema(): Promise<{ url: string; schema: string }> {
  const fresh = await freshPgSchema();
  cleanups.push(fresh.drop);
  return fresh;
}

/** An embedded store with the fixtures, a run, a training file and a checkpoint (blob objects). */
async function embeddedStore(env: Env): Promise<void> {
  expect((await spawnCli(['import', 'claude', fixtures, '--json'], env)).code).toBe(0);
  expect((await spawnCli(['run', '--', 'true'], env)).code).toBe(0);
  expect(
    (await spawnCli(['dataset', 'create', 'tf', '--filter', 'source=claude-code', '--json'], env)).code,
  ).toBe(0);
  expect((await spawnCli(['checkpoint', 'create', '--json'], env)).code).toBe(0);
}

/** What a user reads back: the same on every store that holds the same data. */
async function answers(env: Env): Promise<unknown[]> {
  const read = async (args: string[]) => json<Record<string, unknown>>(await spawnCli(args, env));
  const search = (await read(['search', 'widget', '--json'])) as {
    results: { messageId: number; sessionId: string }[];
  };
  return [
    await read(['sessions', 'list', '--json']),
    await read(['stats', 'usage', '--json']),
    await read(['stats', 'usage', '--by', 'model', '--json']),
    search.results.map((r) => [r.sessionId, r.messageId]).sort(),
    await read(['runs', 'list', '--json']),
    await read(['dataset', 'list', '--json']),
    await read(['checkpoint', 'list', '--json']),
  ];
}

function expectVerified(report: MigrationReport): void {
  expect(report.tables.filter((t) => !t.ok)).toEqual([]);
  expect(report.ok).toBe(true);
  const rows = (table: string) => report.tables.find((t) => t.table === table)?.target.rows ?? 0;
  for (const table of [
    'messages',
    'raw_records',
    'sessions',
    'usage',
    'runs',
    'training_files',
    'checkpoints',
  ])
    expect(rows(table), table).toBeGreaterThan(0);
}

/** Spawns the CLI and SIGKILLs it once it says it halted (the test hook after N chunks). */
function killWhenHalted(args: string[], env: Env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'agentlog.js'), ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('halted after')) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(stderr) : reject(new Error(`not halted: ${stderr}`)),
    );
  });
}

async function countRows(target: { schema: string }, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${target.schema}.${table}`);
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('agentlog migrate', { timeout: 300_000 }, () => {
  it('copies the embedded store and its blob objects to Postgres + S3 and back, with the same answers', async () => {
    const s3 = await startS3rver('migrate');
    cleanups.push(s3.stop);
    const target = await schema();
    const home = tempDir();
    const s3Env = {
      AGENTLOG_S3_ENDPOINT: s3.endpoint,
      AGENTLOG_S3_FORCE_PATH_STYLE: 'true',
      AGENTLOG_S3_ACCESS_KEY_ID: 'S3RVER',
      AGENTLOG_S3_SECRET_ACCESS_KEY: 'S3RVER',
    };
    const sqliteEnv = { HOME: home, AGENTLOG_HOME: join(home, 'sqlite'), ...s3Env };
    const pgEnv = {
      HOME: home,
      AGENTLOG_HOME: join(home, 'pg'),
      AGENTLOG_DATABASE_URL: target.url,
      AGENTLOG_DATABASE_SCHEMA: target.schema,
      AGENTLOG_BLOB_URL: 's3://migrate/store',
      ...s3Env,
    };
    const backEnv = { HOME: home, AGENTLOG_HOME: join(home, 'back') };
    await embeddedStore(sqliteEnv);

    const args = ['--schema', target.schema, '--blobs', 's3://migrate/store', '--json'];
    const to = json<MigrationReport>(await spawnCli(['migrate', '--to', target.url, ...args], sqliteEnv));
    expectVerified(to);
    expect(to.blobs?.ok).toBe(true);
    expect(to.blobs?.copied).toBeGreaterThan(0);
    const original = await answers(sqliteEnv);
    expect(await answers(pgEnv)).toEqual(original);
    // The archives moved with their index: the Postgres + S3 store verifies them.
    const verified = json<{ verifications: { ok: boolean }[] }>(
      await spawnCli(['checkpoint', 'verify', '--json'], pgEnv),
    );
    expect(verified.verifications.map((v) => v.ok)).toEqual([true]);

    const back = json<MigrationReport>(
      await spawnCli(['migrate', '--from', target.url, ...args], { ...backEnv, ...s3Env }),
    );
    expectVerified(back);
    expect(back.blobs?.ok).toBe(true);
    // `checkpoint verify` stamped the checkpoint on Postgres: that is what came back.
    expect(await answers(backEnv)).toEqual(await answers(pgEnv));
    expect((await spawnCli(['checkpoint', 'verify', '--json'], backEnv)).code).toBe(0);

    // New ids continue after the copied ones on Postgres (sequences moved past them).
    expect((await spawnCli(['import', 'claude', fixtures, '--json'], pgEnv)).code).toBe(0);
    const runAgain = await spawnCli(['run', '--', 'true'], pgEnv);
    expect(runAgain.code, runAgain.stderr).toBe(0);
  });

  it('continues an interrupted migration in both directions and ends with identical data', async () => {
    const target = await schema();
    const home = tempDir();
    const sqliteEnv = { HOME: home, AGENTLOG_HOME: join(home, 'sqlite') };
    await embeddedStore(sqliteEnv);
    const to = ['migrate', '--to', target.url, '--schema', target.schema, '--chunk-rows', '7'];

    await killWhenHalted([...to, '--halt-after-chunks', '5'], sqliteEnv);
    const partial = await countRows(target, 'raw_records');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(45);
    // Killed again later on, then finished.
    await killWhenHalted([...to, '--halt-after-chunks', '20'], sqliteEnv);
    const resumed = json<MigrationReport>(await spawnCli([...to, '--json'], sqliteEnv));
    expect(resumed.resumed).toBe(true);
    expectVerified(resumed);
    const source = json<MigrationReport>(await spawnCli([...to, '--json'], sqliteEnv));
    expect(source.copiedRows).toBe(0);

    const backEnv = { HOME: home, AGENTLOG_HOME: join(home, 'back') };
    const from = ['migrate', '--from', target.url, '--schema', target.schema, '--chunk-rows', '3'];
    await killWhenHalted([...from, '--halt-after-chunks', '10'], backEnv);
    const back = json<MigrationReport>(await spawnCli([...from, '--json'], backEnv));
    expect(back.resumed).toBe(true);
    expectVerified(back);
    expect(await answers(backEnv)).toEqual(await answers(sqliteEnv));
  });

  it('refuses a target that holds other data, saying what to do', async () => {
    const target = await schema();
    const home = tempDir();
    const sqliteEnv = { HOME: home, AGENTLOG_HOME: join(home, 'sqlite') };
    expect((await spawnCli(['import', 'claude', fixtures, '--json'], sqliteEnv)).code).toBe(0);
    const pgEnv = {
      HOME: home,
      AGENTLOG_HOME: join(home, 'pg'),
      AGENTLOG_DATABASE_URL: target.url,
      AGENTLOG_DATABASE_SCHEMA: target.schema,
    };
    expect((await spawnCli(['import', 'claude', fixtures, '--json'], pgEnv)).code).toBe(0);

    const refused = await spawnCli(['migrate', '--to', target.url, '--schema', target.schema], sqliteEnv);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/already holds data \(\d+ sessions/);
    expect(refused.stderr).toMatch(/Migrate into an empty store/);

    // A store that is a migration from elsewhere is refused too.
    const other = await schema();
    const otherEnv = { HOME: home, AGENTLOG_HOME: join(home, 'other') };
    expect((await spawnCli(['import', 'claude', fixtures, '--json'], otherEnv)).code).toBe(0);
    expect((await spawnCli(['migrate', '--to', other.url, '--schema', other.schema], otherEnv)).code).toBe(0);
    const elsewhere = await spawnCli(['migrate', '--to', other.url, '--schema', other.schema], sqliteEnv);
    expect(elsewhere.code).toBe(4);
    expect(elsewhere.stderr).toMatch(/holds an earlier migration from .*other/);

    // A table nobody planned for stops the copy before anything is written.
    const db = new DatabaseSync(join(home, 'sqlite', 'agentlog.db'));
    db.exec('CREATE TABLE notes_of_a_newer_version (id INTEGER PRIMARY KEY)');
    db.close();
    const fresh = await schema();
    const unplanned = await spawnCli(['migrate', '--to', fresh.url, '--schema', fresh.schema], sqliteEnv);
    expect(unplanned.code).toBe(8);
    expect(unplanned.stderr).toMatch(/no plan for: notes_of_a_newer_version/);

    const bad = await spawnCli(['migrate', '--to', 'mysql://x'], sqliteEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/postgres:\/\/ URL/);
  });
});
