import { hostname } from 'node:os';
import type { Command } from 'commander';
import { AgentlogError } from '../../domain/errors.ts';
import type { CrashOutcome } from '../../runs/crash/report-crash.ts';
import type { CrashOutput } from '../../runs/runs-contract.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';

type ReportOptions = { chain: string; log: string; exitCode?: number; signal?: string; json?: boolean };

export function registerCrash(program: Command, io: CliIo): void {
  const crash = program
    .command('crash')
    .description('Crash reports of runs: the error, its likely causes and the conversation that led to it.');

  crash
    .command('report')
    .description('Report a crash of a run from anywhere that shares the store (the machine the job ran on).')
    .requiredOption('--chain <id>', 'the chain id the job was given in AGENTLOG_CHAIN_ID (or its run id)')
    .requiredOption('--log <file>', "the job's output")
    .option('--exit-code <n>', "the job's exit code", (v) => parseExitCode(v))
    .option('--signal <name>', 'the signal that ended the job (SIGKILL, ...)')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText(
      'after',
      '\nExample (in the job script on the training machine):\n' +
        '  python train.py > train.log 2>&1 || npx agentlog crash report --chain "$AGENTLOG_CHAIN_ID" --log train.log --exit-code $?\n',
    )
    .action(async (options: ReportOptions, command: Command) => {
      const { reportCrashFromLog } = await import('../../runs/crash/reported-crash.ts');
      const outcome = await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), (agentlog) =>
        reportCrashFromLog(agentlog, {
          ref: options.chain,
          logPath: options.log,
          exitCode: options.exitCode ?? null,
          signal: options.signal?.toUpperCase() ?? null,
          host: hostname(),
        }),
      );
      for (const warning of outcome.warnings) writeLine(io.stderr, `agentlog: warning: ${warning}`);
      printReport(io, outcome, options.json === true);
    });

  crash
    .command('analyze')
    .alias('analyse')
    .description('Analyse a stored run again (after configuring a model, say) and store the new report.')
    .argument('<id>', 'run id or chain id')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      const { reanalyzeRun } = await import('../../runs/crash/reported-crash.ts');
      const outcome = await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), (agentlog) =>
        reanalyzeRun(agentlog, ref, hostname()),
      );
      printReport(io, outcome, options.json === true);
    });
}

function parseExitCode(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 255) {
    throw new AgentlogError('INVALID_ARGUMENT', `--exit-code takes a number from 0 to 255, not "${value}".`);
  }
  return n;
}

function printReport(io: CliIo, outcome: CrashOutcome, json: boolean): void {
  if (json) {
    writeJson(io, { report: outcome.report, email: outcome.email } satisfies CrashOutput);
    return;
  }
  io.stdout.write(outcome.markdown);
  writeLine(
    io.stderr,
    `agentlog: crash report ${outcome.report.id} stored with run ${outcome.report.runId}; ${emailText(outcome)}`,
  );
}

function emailText(outcome: CrashOutcome): string {
  const email = outcome.email;
  switch (email.status) {
    case 'sent':
      return `e-mailed to ${email.to.join(', ')}`;
    case 'failed':
      return `the e-mail to ${email.to.join(', ')} failed: ${email.reason}`;
    case 'not-configured':
      return 'no e-mail (set AGENTLOG_SMTP_URL and AGENTLOG_NOTIFY_TO to send one)';
    default:
      return email satisfies never;
  }
}

/** What `agentlog run` prints after a crash: the gist, and where the whole report is. */
export function printCrashSummary(io: CliIo, outcome: CrashOutcome): void {
  const { report } = outcome;
  const say = (text: string) => writeLine(io.stderr, `agentlog: ${text}`);
  say(`error: ${report.error.summary}`);
  if (report.analysis !== null) {
    say(`root cause (${report.analysis.provider} ${report.analysis.model}): ${report.analysis.rootCause}`);
    say(`fix: ${report.analysis.fix}`);
  } else {
    if (report.providerError !== null) say(`the model was not asked: ${report.providerError}`);
    const first = report.likelyCauses[0];
    if (first !== undefined) say(`likely: ${first.title}: ${first.causes[0]}`);
  }
  if (report.excerpts.length > 0) say(`${report.excerpts.length} related conversation turns in the report`);
  say(`crash report ${report.id} stored; ${emailText(outcome)}`);
  say(`see: npx agentlog runs show ${report.chainId}`);
}
