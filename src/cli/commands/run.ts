import { homedir, hostname, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AgentlogError } from '../../domain/errors.ts';
import type { SignalSource } from '../../runs/launch-command.ts';
import { loadCliConfig, type GlobalOptions } from '../context.ts';
import type { ExitStatus } from '../exit-status.ts';
import type { CliIo } from '../io.ts';
import { printCrashSummary } from './crash.ts';

type RunOptions = {
  cwd?: string;
  config?: string;
  launchType: string;
  runId?: string;
  session?: string;
  meta?: Record<string, string>;
};

const forwarded: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export function registerRun(program: Command, io: CliIo, exit: ExitStatus): void {
  program
    .command('run')
    .description(
      'Run a command with a chain of custody: link the agent conversation that launched it, record the run, and analyse a crash.',
    )
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--cwd <dir>', 'run in this directory, as if agentlog were started there')
    .option('--config <path>', 'the config file the command reads (a copy is kept with the run)')
    .option(
      '--launch-type <type>',
      'the kind of launch (local, slurm, k8s, ...): groups stored conversations',
      'local',
    )
    .option('--run-id <id>', 'the run id (default: a new one)')
    .option(
      '--session <id>',
      'the agent session to link (default: the latest one whose working directory is this one)',
    )
    .option('--meta <key=value>', 'a fact to keep with the run (repeatable)', collectMeta)
    .addHelpText(
      'after',
      '\nThe command gets AGENTLOG_RUN_ID and AGENTLOG_CHAIN_ID in its environment and agentlog exits with its exit\n' +
        'code (128 + the signal number when a signal ended it; 127 when it does not exist). Nothing agentlog fails\n' +
        'to capture stops the command: it is a warning on stderr.\n' +
        '\nExamples:\n' +
        '  npx agentlog run -- python train.py --lr 3e-4\n' +
        '  npx agentlog run --config configs/sft.yaml --meta gpus=8 --launch-type slurm -- sbatch train.sh\n',
    )
    .action(async (command: string[], options: RunOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const home = io.env.HOME ?? homedir();
      const [{ createAgentlog }, { checkRunName }, { runWithCustody }] = await Promise.all([
        import('../../agentlog.ts'),
        import('../../runs/run-ids.ts'),
        import('../../runs/run-with-custody.ts'),
      ]);
      const result = await runWithCustody(async () => createAgentlog(await loadCliConfig(io, global)), {
        command,
        cwd: resolve(options.cwd ?? process.cwd()),
        launchType: checkRunName(options.launchType, '--launch-type'),
        runId: options.runId === undefined ? undefined : checkRunName(options.runId, '--run-id'),
        sessionRef: options.session,
        configPath: options.config,
        meta: options.meta ?? {},
        host: hostname(),
        env: { ...io.env },
        sourceEnv: { home, vars: io.env },
        tmpDir: tmpdir(),
        stdout: io.stdout,
        stderr: io.stderr,
        // A Ctrl-C at a terminal reaches the command too (same process group): pass it on once only.
        signals: processSignals(process.stdin.isTTY === true),
      });
      if (result.crash !== null) printCrashSummary(io, result.crash);
      exit.code = result.launch.exitCode;
    });
}

function collectMeta(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) {
    throw new AgentlogError('INVALID_ARGUMENT', `--meta takes key=value, not "${value}".`, {
      hint: 'For example: --meta gpus=8 --meta dataset=v3',
    });
  }
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function processSignals(fromTerminal: boolean): SignalSource {
  return {
    subscribe(forward) {
      const handlers = forwarded.map((signal) => {
        const handler = () => {
          if (fromTerminal && (signal === 'SIGINT' || signal === 'SIGQUIT')) return;
          forward(signal);
        };
        process.on(signal, handler);
        return { signal, handler };
      });
      return () => {
        for (const { signal, handler } of handlers) process.off(signal, handler);
      };
    },
  };
}
