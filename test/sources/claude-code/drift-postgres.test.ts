import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../../support/run-cli.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { freshPgSchema } from '../../storage/postgres/pg-test-schema.ts';

const project = join(ownFixtures, 'claude-code', 'drift', 'projects', '-home-dev-drift');

// jsonb refuses a lone surrogate's escape: one such string in a batch would fail the whole write.
describe('Claude Code drift records into PostgreSQL', { timeout: 120_000 }, () => {
  const tempDir = useTempDirs();

  it('imports the lone surrogate, documents and unknown types as the embedded store does', async () => {
    const target = await freshPgSchema();
    try {
      const home = tempDir();
      const pgEnv = {
        HOME: home,
        AGENTLOG_HOME: join(home, 'pg'),
        AGENTLOG_DATABASE_URL: target.url,
        AGENTLOG_DATABASE_SCHEMA: target.schema,
      };
      const summary = async (env: Record<string, string>) => {
        const result = await spawnCli(['import', 'claude', project, '--json'], env);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const { durationMs: _, ...rest } = JSON.parse(result.stdout) as { durationMs: number };
        return rest;
      };
      const imported = await summary(pgEnv);
      expect(imported).toMatchObject({ newMessages: 11 });
      expect(imported).toEqual(await summary({ HOME: home, AGENTLOG_HOME: join(home, 'sqlite') }));
    } finally {
      await target.drop();
    }
  });
});
