import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  BuildSummary,
  CreateResult,
  DownloadedResult,
  DownloadResult,
  ShowResult,
  ValidationReport,
} from '../../src/datasets/dataset-contract.ts';
import { runCli } from '../support/run-cli.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { codingTurns, openAgentlog, seedSession } from './dataset-fixture.ts';

const tempDir = useTempDirs();

async function seeded(count: number): Promise<{ dir: string; ids: string[] }> {
  const dir = tempDir();
  const agentlog = await openAgentlog(dir);
  const ids: string[] = [];
  try {
    for (let i = 0; i < count; i++) ids.push(await seedSession(agentlog, `s${i}`, codingTurns(i)));
  } finally {
    await agentlog.close();
  }
  return { dir, ids };
}

describe('agentlog dataset', () => {
  it('create, add, list, show, build, download: one JSON document each with --json', async () => {
    const { dir, ids } = await seeded(12);
    const cli = (...args: string[]) => runCli(['--data-dir', dir, 'dataset', ...args]);
    const created = await cli('create', 'cli-set', '--sessions', ids.slice(0, 10).join(','), '--json');
    expect(created.code).toBe(0);
    expect((JSON.parse(created.stdout) as CreateResult).added).toBe(10);
    const added = await cli('add', 'cli-set', '--sessions', `${ids[10]},${ids[11]}`);
    expect(added.stdout).toBe('Added 2 sessions; cli-set has 12.\n');
    const again = await cli('add', 'cli-set', '--sessions', ids[0]!);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`Already in cli-set: ${ids[0]}. Nothing was added.`);
    expect((await cli('list')).stdout).toMatch(/^tf_\w+ {2}cli-set +12 sessions/);
    const out = join(dir, 'out');
    const built = await cli(
      'build',
      'cli-set',
      '--format',
      'trl',
      '--validation',
      '0.3',
      '--out',
      out,
      '--json',
    );
    expect(built.code).toBe(0);
    const summary = JSON.parse(built.stdout) as BuildSummary;
    expect(summary).toMatchObject({ version: 1, format: 'trl', examples: 12 });
    expect(summary.files.find((f) => f.name === 'train.jsonl')?.path).toBe(join(out, 'train.jsonl'));
    const shown = JSON.parse((await cli('show', 'cli-set', '--json')).stdout) as ShowResult;
    expect(shown.builds).toHaveLength(1);
    const human = await cli('build', 'cli-set');
    expect(human.stdout).toMatch(/^Built cli-set v2 \(openai\): 12 examples/);
    const copies = join(dir, 'copies');
    const downloaded = JSON.parse(
      (await cli('download', 'cli-set', '--out', copies, '--json')).stdout,
    ) as DownloadedResult;
    expect(downloaded).toMatchObject({ version: 2, format: 'openai' });
    const train = downloaded.files.find((f) => f.role === 'train')!;
    expect(createHash('sha256').update(readFileSync(train.path)).digest('hex')).toBe(train.sha256);
    const urls = JSON.parse(
      (await cli('download', 'cli-set', '--url', '--base-url', 'http://example.test:7777/', '--json')).stdout,
    ) as DownloadResult;
    expect(urls.url).toMatch(
      /^http:\/\/example\.test:7777\/v1\/training-files\/tf_\w+\/builds\/2\/files\/train\.jsonl\?expires=\d+&signature=[\w-]+$/,
    );
    const key = readFileSync(join(dir, 'secrets', 'url-signing.key'), 'utf8');
    expect(key.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'secrets', 'url-signing.key')).mode & 0o777).toBe(0o600);
  });

  it('validate: the report as JSON, exit 9 when the file has errors', async () => {
    const dir = tempDir();
    const good = await runCli([
      '--data-dir',
      dir,
      'dataset',
      'validate',
      join(ownFixtures, 'datasets', 'good-openai.jsonl'),
      '--json',
    ]);
    expect(good.code).toBe(0);
    expect((JSON.parse(good.stdout) as ValidationReport).ok).toBe(true);
    const bad = await runCli([
      '--data-dir',
      dir,
      'dataset',
      'validate',
      join(ownFixtures, 'datasets', 'bad-openai.jsonl'),
    ]);
    expect(bad.code).toBe(9);
    expect(bad.stdout).toMatch(/^FAILED: 13 examples \(openai\), 13 errors/);
    expect(bad.stdout).toContain('error   line 7: tool_call_unanswered:');
  });

  it('explains bad usage', async () => {
    const { dir } = await seeded(1);
    const both = await runCli(['--data-dir', dir, 'dataset', 'create', 'x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give either --sessions or --filter.');
    const filter = await runCli(['--data-dir', dir, 'dataset', 'create', 'x', '--filter', 'messages>=four']);
    expect(filter.stderr).toContain('Bad filter at column 11: "messages" takes a whole number, not "four"');
    const format = await runCli(['--data-dir', dir, 'dataset', 'build', 'x', '--format', 'csv']);
    expect(format.stderr).toContain(
      '--format takes openai, trl, sharegpt, bedrock, parquet, json, not "csv".',
    );
    const help = await runCli(['dataset', 'build', '--help']);
    expect(help.stdout).toContain('--near-duplicates <mode>');
  });
});
