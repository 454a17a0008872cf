import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AgentlogError, exitCodeOf } from '../domain/errors.ts';
import type { ExitStatus } from './exit-status.ts';
import type { CliIo } from './io.ts';

type Register = (program: Command, io: CliIo, exit: ExitStatus) => void;

/**
 * Each command's file under the name it registers, in the order `--help` lists them. A command
 * registers its name, options and help cheaply and imports its implementation only when its action
 * runs; a command line that names a command loads that one file alone.
 */
export const commandFiles: Readonly<Record<string, () => Promise<Register>>> = {
  import: async () => (await import('./commands/import.ts')).registerImport,
  sessions: async () => (await import('./commands/sessions.ts')).registerSessions,
  stats: async () => (await import('./commands/stats.ts')).registerStats,
  watch: async () => (await import('./commands/watch.ts')).registerWatch,
  hooks: async () => (await import('./commands/hooks.ts')).registerHooks,
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  keys: async () => (await import('./commands/keys.ts')).registerKeys,
  memory: async () => (await import('./commands/memory.ts')).registerMemory,
  run: async () => (await import('./commands/run.ts')).registerRun,
  runs: async () => (await import('./commands/runs.ts')).registerRuns,
  crash: async () => (await import('./commands/crash.ts')).registerCrash,
  jobs: async () => (await import('./commands/jobs.ts')).registerJobs,
  search: async () => (await import('./commands/search.ts')).registerSearch,
  enrich: async () => (await import('./commands/enrich.ts')).registerEnrich,
  report: async () => (await import('./commands/report.ts')).registerReport,
  alerts: async () => (await import('./commands/alerts.ts')).registerAlerts,
  checkpoint: async () => (await import('./commands/checkpoint.ts')).registerCheckpoint,
  query: async () => (await import('./commands/query.ts')).registerQuery,
  export: async () => (await import('./commands/export.ts')).registerExport,
  dataset: async () => (await import('./commands/dataset.ts')).registerDataset,
  migrate: async () => (await import('./commands/migrate.ts')).registerMigrate,
};

/**
 * The program for a command line (`args`: argv without node and the script): every command, or
 * only the one the line names.
 */
export async function buildProgram(
  io: CliIo,
  exit: ExitStatus = { code: 0 },
  args: readonly string[] = [],
): Promise<Command> {
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
  const named = commandNamed(program, args);
  const files = named === undefined ? Object.values(commandFiles) : [commandFiles[named]!];
  for (const register of await Promise.all(files.map((load) => load()))) register(program, io, exit);
  return program;
}

/**
 * The command a command line names ahead of anything else: global options and their values may come
 * first. Anything else first (help, an unknown option or command, `--`, nothing) needs every command.
 */
function commandNamed(program: Command, args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) return Object.hasOwn(commandFiles, arg) ? arg : undefined;
    const [flag, value] = arg.split(/=(.*)/s);
    const option = program.options.find((o) => o.long === flag || o.short === flag);
    if (option === undefined || !option.required) return undefined;
    if (value === undefined) i++;
  }
  return undefined;
}

/** Runs the CLI and returns the exit code; the only place errors become exit codes. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const exit: ExitStatus = { code: 0 };
  try {
    const program = await buildProgram(io, exit, argv.slice(2));
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
