import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { spawnCli, type CliResult } from '../../support/run-cli.ts';
import { projectRoot } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { freshPgSchema, testDatabaseUrl } from './pg-test-schema.ts';

const tempDir = useTempDirs();
const fixtures = join(projectRoot, 'test', 'fixtures', 'claude-code', 'projects');

function json<T>(run: CliResult): T {
  expect(run.stderr.replace(/^npm warn.*\n/gm, '')).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** Rows of a table in the schema, read directly (not through agentlog). */
async function countRows(schema: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}.${table}`);
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

// Spawns Node several times: on a busy machine that takes a while.
describe('AGENTLOG_DATABASE_URL selects PostgreSQL for every command', { timeout: 180_000 }, () => {
  it('imports, lists and reports from Postgres exactly as the embedded store does', async () => {
    const target = await freshPgSchema();
    try {
      const home = tempDir();
      const pgEnv = {
        HOME: home,
        AGENTLOG_HOME: join(home, 'pg-home'),
        AGENTLOG_DATABASE_URL: target.url,
        AGENTLOG_DATABASE_SCHEMA: target.schema,
      };
      const sqliteEnv = { HOME: home, AGENTLOG_HOME: join(home, 'sqlite-home') };
      const run = (env: Record<string, string>, args: string[]) => spawnCli(args, env);

      type Summary = { durationMs: number; newMessages: number };
      const summary = async (env: Record<string, string>) => {
        const { durationMs: _, ...rest } = json<Summary>(
          await run(env, ['import', 'claude', fixtures, '--json']),
        );
        return rest;
      };
      const imported = await summary(pgEnv);
      expect(imported.newMessages).toBeGreaterThan(0);
      expect(imported).toEqual(await summary(sqliteEnv));

      // The data is in Postgres, and no SQLite file was made beside it.
      expect(await countRows(target.schema, 'messages')).toBe(imported.newMessages);
      expect(await countRows(target.schema, 'usage')).toBeGreaterThan(0);
      expect(existsSync(join(pgEnv.AGENTLOG_HOME, 'agentlog.db'))).toBe(false);
      expect((await summary(pgEnv)).newMessages).toBe(0);

      const sessions = json<{ sessions: { id: string }[] }>(await run(pgEnv, ['sessions', 'list', '--json']));
      expect(sessions.sessions.length).toBeGreaterThan(0);
      expect(sessions).toEqual(json(await run(sqliteEnv, ['sessions', 'list', '--json'])));

      const usage = json(await run(pgEnv, ['stats', 'usage', '--by', 'model', '--json']));
      expect(usage).toEqual(json(await run(sqliteEnv, ['stats', 'usage', '--by', 'model', '--json'])));

      // Search, the report and enrichment read what the import stored, as on SQLite.
      type Search = { results: { sessionId: string; snippet: string }[] };
      const found = async (env: Record<string, string>) =>
        json<Search>(await run(env, ['search', 'widget', '--json']))
          .results.map((r) => r.sessionId)
          .sort();
      expect((await found(pgEnv)).length).toBeGreaterThan(0);
      expect(await found(pgEnv)).toEqual(await found(sqliteEnv));
      type Report = { report: { totals: unknown } };
      const totals = async (env: Record<string, string>) =>
        json<Report>(await run(env, ['report', '--json'])).report.totals;
      expect(await totals(pgEnv)).toEqual(await totals(sqliteEnv));
      expect(await countRows(target.schema, 'message_enrichments')).toBeGreaterThan(0);
    } finally {
      await target.drop();
    }
  });

  it('names the setting when the database cannot be reached', async () => {
    const home = tempDir();
    const result = await spawnCli(['sessions', 'list', '--json'], {
      HOME: home,
      AGENTLOG_HOME: home,
      AGENTLOG_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/none/);
    expect(result.stderr).toMatch(/AGENTLOG_DATABASE_URL/);
  });

  it('refuses a database URL that is not one, saying which setting is wrong', async () => {
    const home = tempDir();
    const result = await spawnCli(['sessions', 'list', '--json'], {
      HOME: home,
      AGENTLOG_HOME: home,
      AGENTLOG_DATABASE_URL: 'mysql://x',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/storage\.databaseUrl: must start with postgres:\/\//);
  });
});
