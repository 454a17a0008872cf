import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AgentlogError, exitCodeOf } from '../domain/errors.ts';
import { registerHooks } from './commands/hooks.ts';
import { registerImport } from './commands/import.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerCrash } from './commands/crash.ts';
import { registerDataset } from './commands/dataset.ts';
import { registerEnrich } from './commands/enrich.ts';
import { registerKeys } from './commands/keys.ts';
import { registerMemory } from './commands/memory.ts';
import { registerRun } from './commands/run.ts';
import { registerRuns } from './commands/runs.ts';
import { registerAlerts } from './commands/alerts.ts';
import { registerCheckpoint } from './commands/checkpoint.ts';
import { registerExport } from './commands/export.ts';
import { registerQuery } from './commands/query.ts';
import { registerReport } from './commands/report.ts';
import { registerSearch } from './commands/search.ts';
import { registerServe } from './commands/serve.ts';
import { registerSessions } from './commands/sessions.ts';
import { registerStats } from './commands/stats.ts';
import { registerWatch } from './commands/watch.ts';
import type { ExitStatus } from './exit-status.ts';
import type { CliIo } from './io.ts';

/**
 * Every command registers its name, options and help here, cheaply: a command file imports its
 * implementation only when its action runs, so start-up costs the same whatever the command.
 */
export function buildProgram(io: CliIo, exit: ExitStatus = { code: 0 }): Command {
  const program = new Command('agentlog')
    .description(
      'Record every AI-agent conversation, keep it safe, and turn it into knowledge and training data.',
    )
    .version(packageVersion(), '-V, --version', 'print the version of agentlog')
    .option('--data-dir <dir>', 'where the embedded store lives (env AGENTLOG_HOME; default ~/.agentlog)')
    .option('--project <name>', 'the project that owns the data (env AGENTLOG_PROJECT; default "default")')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  registerImport(program, io);
  registerSessions(program, io);
  registerStats(program, io);
  registerWatch(program, io);
  registerHooks(program, io);
  registerServe(program, io);
  registerKeys(program, io);
  registerMemory(program, io);
  registerRun(program, io, exit);
  registerRuns(program, io);
  registerCrash(program, io);
  registerJobs(program, io);
  registerSearch(program, io);
  registerEnrich(program, io);
  registerReport(program, io);
  registerAlerts(program, io);
  registerCheckpoint(program, io);
  registerQuery(program, io);
  registerExport(program, io);
  registerDataset(program, io, exit);
  return program;
}

/** Runs the CLI and returns the exit code; the only place errors become exit codes. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const exit: ExitStatus = { code: 0 };
  const program = buildProgram(io, exit);
  try {
    await program.parseAsync(argv);
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof AgentlogError) {
      io.stderr.write(`agentlog: ${error.message}\n`);
      if (error.hint) io.stderr.write(`  ${error.hint}\n`);
      return exitCodeOf(error);
    }
    io.stderr.write(
      `agentlog: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
