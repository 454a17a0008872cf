import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildSummary, CreateResult } from '../../../src/datasets/dataset-contract.ts';
import type { RunShowOutput, RunsListOutput } from '../../../src/runs/runs-contract.ts';
import { makeMachine, trainingTurns, writeClaudeSession } from '../../runs/run-fixture.ts';
import { spawnCli, type CliResult } from '../../support/run-cli.ts';
import { projectRoot } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { freshPgSchema } from './pg-test-schema.ts';

const tempDir = useTempDirs();
const fixtures = join(projectRoot, 'test', 'fixtures', 'claude-code', 'projects');

function json<T>(run: CliResult): T {
  expect(run.stderr.replace(/^(npm warn|agentlog: writing).*\n/gm, '')).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

type Checkpointed = { status: string; checkpoint: { seq: number; messages: number; rawRecords: number } };
type Pruned = { verifiedThrough: number; messages: number; rawRecords: number; failed: unknown };

/**
 * Runs, training files and checkpoints through the CLI: the same commands against PostgreSQL and
 * against the embedded store, answering the same.
 */
describe('agentlog run, dataset and checkpoint on PostgreSQL', { timeout: 300_000 }, () => {
  it('record a failing run with its conversation, build a training file, checkpoint and prune as on SQLite', async () => {
    const target = await freshPgSchema();
    try {
      const machine = makeMachine(tempDir());
      writeClaudeSession(machine, '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d', machine.project, trainingTurns);
      const base = { HOME: machine.home };
      const backends = {
        postgres: {
          ...base,
          AGENTLOG_HOME: join(machine.home, 'pg-home'),
          AGENTLOG_DATABASE_URL: target.url,
          AGENTLOG_DATABASE_SCHEMA: target.schema,
        },
        sqlite: { ...base, AGENTLOG_HOME: join(machine.home, 'sqlite-home') },
      };
      const answers: Record<string, unknown> = {};
      for (const [backend, env] of Object.entries(backends)) {
        const cli = (...args: string[]) => spawnCli(args, env);

        // A failing command: its exit code passes through, the run and its crash report are stored.
        const ran = await cli(
          'run',
          '--cwd',
          machine.project,
          '--',
          'sh',
          '-c',
          'echo "Error: boom at step 3" >&2; exit 3',
        );
        expect(ran.code, ran.stderr).toBe(3);
        const chain = /chain ([2-9A-Z]{6})/.exec(ran.stderr)![1]!;
        const { runs } = json<RunsListOutput>(await cli('runs', 'list', '--json'));
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({ chainId: chain, status: 'failed', exitCode: 3, warnings: [] });
        expect(runs[0]!.sessionId).toMatch(/^ses_/);
        const shown = json<RunShowOutput>(await cli('runs', 'show', chain.toLowerCase(), '--json'));
        expect(shown.crashReports).toHaveLength(1);
        expect(shown.crashReports[0]!.error.message).toContain('boom at step 3');

        // Training files: the imported sessions and the run's conversation, built once.
        json(await cli('import', 'claude', fixtures, '--json'));
        const sessions = json<{ sessions: { id: string }[] }>(
          await cli('sessions', 'list', '--json'),
        ).sessions;
        const created = json<CreateResult>(
          await cli('dataset', 'create', 'set', '--sessions', sessions.map((s) => s.id).join(','), '--json'),
        );
        expect(created.added).toBe(sessions.length);
        const out = join(machine.home, `${backend}-build`);
        const built = json<BuildSummary>(
          await cli(
            'dataset',
            'build',
            'set',
            '--format',
            'openai',
            '--min-examples',
            '1',
            '--out',
            out,
            '--json',
          ),
        );
        expect(built).toMatchObject({ version: 1, format: 'openai' });
        expect(built.examples).toBeGreaterThan(0);

        // Checkpoint, verify, prune everything older than a day (the fixtures are older).
        const first = json<Checkpointed>(await cli('checkpoint', '--json'));
        expect(first).toMatchObject({ status: 'written', checkpoint: { seq: 1 } });
        expect((await cli('checkpoint')).stdout).toContain('Nothing new since checkpoint 1');
        const verified = json<{ verifications: { ok: boolean }[] }>(
          await cli('checkpoint', 'verify', '--json'),
        );
        expect(verified.verifications).toEqual([{ seq: 1, ok: true, problems: [] }]);
        const pruned = json<Pruned>(await cli('checkpoint', 'prune', '--keep-days', '1', '--json'));
        expect(pruned).toMatchObject({ verifiedThrough: 1, failed: null });
        expect(pruned.messages).toBeGreaterThan(0);

        answers[backend] = {
          run: {
            ...runs[0],
            id: '',
            chainId: '',
            startedAt: 0,
            endedAt: 0,
            sessionId: '',
            conversationKey: '',
            logKey: '',
            projectId: 0,
          },
          error: shown.crashReports[0]!.error,
          build: {
            examples: built.examples,
            sessions: built.sessions,
            dropped: built.dropped.total,
            // The same bytes: tool arguments keep their key order on PostgreSQL too.
            train: readFileSync(join(out, 'train.jsonl'), 'utf8'),
          },
          checkpoint: { messages: first.checkpoint.messages, rawRecords: first.checkpoint.rawRecords },
          pruned: { messages: pruned.messages, rawRecords: pruned.rawRecords },
        };
      }
      expect(answers.postgres).toEqual(answers.sqlite);
    } finally {
      await target.drop();
    }
  });
});
