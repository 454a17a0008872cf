import type { Command } from 'commander';
import type { Agentlog } from '../../agentlog.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { runStatuses, type Run, type RunStatus } from '../../domain/run.ts';
import type { CrashReport } from '../../runs/crash/crash-report.ts';
import type { RunShowOutput, RunsListOutput, RunView } from '../../runs/runs-contract.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { parsePositive } from './sessions.ts';

export function registerRuns(program: Command, io: CliIo): void {
  const runs = program
    .command('runs')
    .description('Runs launched with `agentlog run` and their crash reports.');

  runs
    .command('list')
    .description('List runs, newest first.')
    .option('--status <status>', `only runs with this status: ${runStatuses.join(', ')}`)
    .option('--limit <n>', 'at most this many', (v) => parsePositive(v, '--limit'), 50)
    .option('--json', 'print JSON on stdout')
    .action(async (options: { status?: string; limit: number; json?: boolean }, command: Command) => {
      const status = parseStatus(options.status);
      const list = await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), ({ store, project }) =>
        store.listRuns({ projectId: project.id, limit: options.limit, ...(status ? { status } : {}) }),
      );
      if (options.json) return writeJson(io, { runs: list } satisfies RunsListOutput);
      if (list.length === 0)
        return writeLine(io.stderr, 'No runs yet: launch one with `npx agentlog run -- <command>`.');
      for (const run of list) writeLine(io.stdout, runLine(run));
    });

  runs
    .command('show')
    .description(
      'Show a run: chain id, git state, status, exit code, where its conversation is, crash reports.',
    )
    .argument('<id>', 'run id or chain id')
    .option('--json', 'print JSON on stdout')
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      const shown = await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), (agentlog) =>
        showRun(agentlog, ref),
      );
      if (options.json) return writeJson(io, shown);
      const { renderCrashMarkdown } = await import('../../runs/crash/report-markdown.ts');
      printRun(io, shown, renderCrashMarkdown);
    });
}

async function showRun(agentlog: Agentlog, ref: string): Promise<RunShowOutput> {
  const { findRun } = await import('../../runs/find-run.ts');
  const run = await findRun(agentlog.store, agentlog.project.id, ref);
  const reports = await agentlog.store.crashReports(run.id);
  const view: RunView = {
    ...run,
    conversationLocation: run.conversationKey === null ? null : agentlog.blobs.locate(run.conversationKey),
    logLocation: run.logKey === null ? null : agentlog.blobs.locate(run.logKey),
  };
  return { run: view, crashReports: reports.map((r) => JSON.parse(r.json) as CrashReport) };
}

function parseStatus(value: string | undefined): RunStatus | undefined {
  if (value === undefined) return undefined;
  const found = runStatuses.find((s) => s === value);
  if (found === undefined) {
    throw new AgentlogError('INVALID_ARGUMENT', `Unknown status "${value}".`, {
      hint: `Use one of: ${runStatuses.join(', ')}.`,
    });
  }
  return found;
}

function outcome(run: Run): string {
  if (run.status === 'signaled') return `signaled (${run.signal})`;
  if (run.status === 'failed' || run.status === 'not-started') return `${run.status} (exit ${run.exitCode})`;
  return run.status;
}

function runLine(run: Run): string {
  const when = new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' ');
  const command = run.command.join(' ').replace(/\s+/g, ' ');
  return `${run.chainId}  ${run.id}  ${when}  ${outcome(run).padEnd(18)}  ${run.launchType.padEnd(8)}  ${command.slice(0, 60)}`;
}

function printRun(
  io: CliIo,
  { run, crashReports }: RunShowOutput,
  renderCrashMarkdown: (report: CrashReport) => string,
): void {
  const facts: [string, string | null][] = [
    ['Run', run.id],
    ['Chain id', run.chainId],
    ['Status', outcome(run)],
    ['Command', run.command.join(' ')],
    ['Launch type', run.launchType],
    ['Started', new Date(run.startedAt).toISOString()],
    ['Ended', run.endedAt === null ? null : new Date(run.endedAt).toISOString()],
    ['Host', run.host],
    ['Directory', run.cwd],
    [
      'Git',
      run.git === null
        ? null
        : `${run.git.commit.slice(0, 12)} on ${run.git.branch ?? '(detached)'}${run.git.dirty ? ', uncommitted changes' : ''}`,
    ],
    ['Config', run.configPath],
    ['Session', run.sessionId],
    ['Conversation', run.conversationLocation],
    ['Output', run.logLocation],
    [
      'Meta',
      Object.keys(run.meta).length === 0
        ? null
        : Object.entries(run.meta)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
    ],
  ];
  for (const [label, value] of facts)
    if (value !== null) writeLine(io.stdout, `${`${label}:`.padEnd(15)}${value}`);
  for (const warning of run.warnings) writeLine(io.stdout, `${'Warning:'.padEnd(15)}${warning}`);
  const latest = crashReports.at(-1);
  if (latest === undefined) return;
  writeLine(io.stdout, `${'Crash reports:'.padEnd(15)}${crashReports.length} (the latest follows)`);
  writeLine(io.stdout);
  io.stdout.write(renderCrashMarkdown(latest));
}
