import { homedir } from 'node:os';
import type { Command } from 'commander';
import type { WatchEvent } from '../../capture/watch-events.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { WorkerLog } from '../../jobs/job-worker.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeLine, type CliIo } from '../io.ts';
import { stopSignal } from '../stop-signal.ts';

export function registerWatch(program: Command, io: CliIo): void {
  program
    .command('watch')
    .description(
      'Follow every agent’s transcripts (and the given paths) and store new messages as they are written.',
    )
    .argument('[paths...]', 'more files or directories to follow, besides every agent’s default location')
    .option('--interval <seconds>', 'full rescan period, a safety net for lost fs events', parseSeconds, 5)
    .option('--json', 'print one JSON object per event on stdout')
    .addHelpText(
      'after',
      '\nStops on Ctrl-C or SIGTERM after committing the import in progress; a restart resumes where it stopped.\n',
    )
    .action(async (paths: string[], options: { interval: number; json?: boolean }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const env = { home: io.env.HOME ?? homedir(), vars: io.env };
      const [{ LiveCapture }, { LiveSessions }, { watchTargets }, { createJobRuntime }, { sourceFormats }] =
        await Promise.all([
          import('../../capture/live-capture.ts'),
          import('../../capture/live-sessions.ts'),
          import('../../capture/watch-targets.ts'),
          import('../../jobs/job-runtime.ts'),
          import('../../sources/registry.ts'),
        ]);
      const targets = await watchTargets(sourceFormats, paths, env);
      await withAgentlog(io, global, async (agentlog) => {
        const stop = stopSignal();
        const emit = (event: WatchEvent) =>
          options.json ? io.stdout.write(`${JSON.stringify(event)}\n`) : printEvent(io, event);
        // The same job runtime as serve: idle sessions are stopped, their completion jobs worked.
        const jobs = createJobRuntime(agentlog);
        const windowMs = agentlog.config.server.inactivitySeconds * 1000;
        const capture = new LiveCapture({
          store: agentlog.store,
          projectId: agentlog.project.id,
          targets,
          intervalMs: Math.round(options.interval * 1000),
          pipeline: agentlog.ingestPipeline(),
          onEvent: emit,
          ...(windowMs > 0
            ? {
                live: {
                  sessions: new LiveSessions(agentlog.store, jobs.lifecycle, agentlog.project.id),
                  windowMs,
                },
              }
            : {}),
        });
        try {
          await capture.start();
          await jobs.start(jobLog(emit));
          await stop.signalled;
        } finally {
          stop.dispose();
          await capture.stop();
          await jobs.close();
        }
      });
    });
}

/** Job problems are watch errors; routine job news is not printed. */
function jobLog(emit: (event: WatchEvent) => void): WorkerLog {
  const report = (fields: object, message: string) =>
    emit({
      event: 'error',
      file: null,
      message: `jobs: ${message} ${JSON.stringify(fields)}`,
      time: new Date().toISOString(),
    });
  return { info: () => {}, warn: report, error: report };
}

function printEvent(io: CliIo, event: WatchEvent): void {
  switch (event.event) {
    case 'watching': {
      const found = event.roots.filter((r) => r.exists);
      writeLine(
        io.stderr,
        `watching ${found.length} of ${event.roots.length} locations (rescan every ${event.intervalMs / 1000} s; Ctrl-C stops)`,
      );
      for (const r of event.roots)
        writeLine(io.stderr, `  ${r.exists ? '' : '(not yet present) '}${r.root}  [${r.sources.join(', ')}]`);
      return;
    }
    case 'imported':
      if (event.newMessages > 0)
        writeLine(io.stderr, `${event.source}: +${event.newMessages} messages  ${event.file}`);
      for (const l of event.skippedLines) writeLine(io.stderr, `  skipped ${l.file}:${l.line}: ${l.reason}`);
      return;
    case 'skipped':
      writeLine(io.stderr, `  skipped file ${event.file}: ${event.reason}`);
      return;
    case 'error':
      writeLine(io.stderr, `  error${event.file === null ? '' : ` ${event.file}`}: ${event.message}`);
      return;
    case 'stopped':
      writeLine(io.stderr, `stopped: ${event.imports} imports, ${event.newMessages} new messages`);
      return;
    default:
      event satisfies never;
  }
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.1 || n > 3600) {
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `--interval takes seconds between 0.1 and 3600, not "${value}".`,
    );
  }
  return n;
}
