import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { defaultZmqPullEndpoint } from '../src/config/zeromq-config.ts';
import { sourceNamesInHelp } from '../src/cli/commands/import.ts';
import { zmqPullEndpointInHelp } from '../src/cli/commands/serve.ts';
import { buildProgram, commandFiles } from '../src/cli/main.ts';
import { sourceFormats } from '../src/sources/registry.ts';
import { runCli } from './support/run-cli.ts';
import { projectRoot } from './support/shared-fixtures.ts';
import { useTempDirs } from './support/temp-dir.ts';

const tempDir = useTempDirs();
const io = { stdout: process.stdout, stderr: process.stderr, env: {} };

/** Every command path of the program: ['stats'], ['stats', 'usage'], ... */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

/** Runs bin/agentlog.js and returns the files and packages it loaded. */
async function loadsOf(args: string[]): Promise<{ ours: string[]; packages: Set<string> }> {
  const record = join(tempDir(), 'loads.json');
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      join(projectRoot, 'test', 'support', 'record-loads.ts'),
      join(projectRoot, 'bin', 'agentlog.js'),
      ...args,
    ],
    { env: { PATH: process.env.PATH, HOME: tempDir(), TZ: 'UTC', AGENTLOG_TEST_LOADS_TO: record } },
  );
  const urls = JSON.parse(readFileSync(record, 'utf8')) as string[];
  const packages = new Set(urls.flatMap((u) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(u)?.[1] ?? []));
  const ours = urls.filter((u) => u.includes('/src/')).map((u) => u.slice(u.lastIndexOf('/src/') + 1));
  return { ours, packages };
}

describe('agentlog --help and --version', { timeout: 120_000 }, () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it('every command and subcommand answers --help with its usage and description', async () => {
    const program = await buildProgram(io);
    const paths = commandPaths(program);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      let command = program;
      for (const name of path) command = command.commands.find((c) => c.name() === name)!;
      const run = await runCli([...path, '--help']);
      expect(run.code, path.join(' ')).toBe(0);
      expect(run.stdout).toContain(`Usage: agentlog ${path.join(' ')}`);
      expect(run.stdout.replace(/\s+/g, ' ')).toContain(command.description().replace(/\s+/g, ' '));
    }
  });

  it('help text written out in the command files agrees with what it stands for', async () => {
    expect(sourceNamesInHelp).toEqual(sourceFormats.map((f) => f.aliases[0]));
    expect(zmqPullEndpointInHelp).toBe(defaultZmqPullEndpoint);
    const help = (await runCli(['import', '--help'])).stdout.replace(/\s+/g, '');
    expect(help).toContain(`${sourceNamesInHelp.join('|')}|auto`);
    const serve = (await runCli(['serve', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(serve).toContain(`(default ${defaultZmqPullEndpoint})`);
  });

  it('a command line naming a command registers that command alone; anything else, every command', async () => {
    const all = (await buildProgram(io)).commands.map((c) => c.name());
    expect(all).toEqual(Object.keys(commandFiles));
    for (const name of all) {
      for (const args of [[name], [name, '--help'], ['--data-dir', '/x', name], ['--project=p', name, 'x']]) {
        const program = await buildProgram(io, { code: 0 }, args);
        expect(program.commands.map((c) => c.name())).toEqual([name]);
      }
    }
    for (const args of [
      [],
      ['--help'],
      ['-h', 'stats'],
      ['help', 'stats'],
      ['statz'],
      ['--verbose', 'stats'],
      ['--', 'stats'],
    ]) {
      const program = await buildProgram(io, { code: 0 }, args);
      expect(
        program.commands.map((c) => c.name()),
        args.join(' '),
      ).toEqual(all);
    }
    // The help of the program, however asked for, lists every command.
    for (const args of [['--help'], ['--help', 'stats'], ['help']]) {
      const run = await runCli(args);
      for (const name of all) expect(run.stdout, args.join(' ')).toContain(`\n  ${name} `);
    }
    // A global option's value is not taken for a command.
    const stats = await runCli(['--project', 'import', '--data-dir', tempDir(), 'stats', 'usage', '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ by: 'day', rows: [] });
  });

  it('start-up loads only the command registrations; a command loads what it uses', async () => {
    // Nothing but commander for the help: a command's implementation is loaded when it runs.
    const help = await loadsOf(['--help']);
    expect([...help.packages]).toEqual(['commander']);
    expect(
      help.ours.filter((f) =>
        /^src\/(config|storage|ingest|enrich|server)\/|^src\/sources\/(?!shared\/)/.test(f),
      ),
    ).toEqual([]);
    // stats usage opens the SQLite store and reads: no server, tokenizer, DuckDB, S3, mail or pg.
    const stats = await loadsOf(['--data-dir', tempDir(), 'stats', 'usage', '--json']);
    expect([...stats.packages].sort()).toEqual(['commander', 'zod']);
    expect(stats.ours.filter((f) => f.startsWith('src/cli/commands/'))).toEqual([
      'src/cli/commands/stats.ts',
    ]);
    expect(
      stats.ours.filter((f) =>
        /^src\/(server|ingest|archive|runs|jobs)\/|^src\/capture\/(?!hooks\/)|^src\/sources\/(?!shared\/)/.test(
          f,
        ),
      ),
    ).toEqual([]);
  });
});
